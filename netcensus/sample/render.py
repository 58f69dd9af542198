"""Render a device's command outputs in its vendor's format (dispatch by platform)."""

from __future__ import annotations

from collections.abc import Callable

from core.platforms import PLATFORMS
from netcensus.sample import render_comware, render_ios, render_vrp
from netcensus.sample.render_common import DeviceView

RENDERERS: dict[str, Callable[[DeviceView], dict[str, str]]] = {
    "cisco_ios": render_ios.outputs,
    "huawei": render_vrp.outputs,
    "hp_comware": render_comware.outputs,
}


def render_device(view: DeviceView) -> dict[str, str]:
    """One text per command of the device's platform, keyed by the command as typed.

    Raises ``KeyError`` naming the platform or command when the renderer and the
    platform table disagree (a new command without a renderer).
    """
    platform = view.device.platform
    texts = RENDERERS[platform](view)
    # A fallback form without a renderer (a summary or brief table) is left out: the city
    # shows the form a survey types first; every preferred command must be rendered.
    wanted = [c.command for c in PLATFORMS[platform].commands if c.command in texts or c.fallback_for is None]
    missing = [c for c in wanted if c not in texts]
    if missing:
        raise KeyError(f"no sample output for {platform} commands {missing}")
    return {command: texts[command] for command in wanted}
