"""The napalm transport: open the driver, call the survey getters, store their JSON."""

from __future__ import annotations

import contextlib
import json
from typing import Any

from collectors.credentials import Credentials
from collectors.facts import CommandProblem
from collectors.live.errors import DeviceError, classify
from collectors.live.session import Attempt, SessionCollector, SessionSettings, connecting
from collectors.napalm_facts import GETTERS, output_key
from collectors.redact import redact_config
from core.platforms import Platform
from inventory.model import Device


def driver_args(device: Device, creds: Credentials, settings: SessionSettings) -> dict[str, Any]:
    """napalm driver arguments; ``optional_args`` reach netmiko (timeouts, host keys, secret)."""
    timeout = settings.connect_timeout_s
    return {
        "hostname": device.host,
        "username": creds.username,
        "password": creds.password,
        "timeout": int(max(1, settings.command_timeout_s)),
        "optional_args": {
            "port": device.port,
            "secret": creds.secret or "",
            "conn_timeout": timeout,
            "banner_timeout": timeout,
            "auth_timeout": timeout,
            "read_timeout_override": settings.command_timeout_s,
            "allow_agent": False,
            "use_keys": False,
            **settings.host_keys.connection_args(device.host, device.port),
        },
    }


def redact_getter(platform: str, getter: str, result: Any) -> Any:
    """A getter's result with configuration texts redacted (only ``get_config`` holds any)."""
    if getter == "get_config" and isinstance(result, dict):
        return {k: redact_config(platform, v) if isinstance(v, str) else v for k, v in result.items()}
    return result


class NapalmCollector(SessionCollector):
    """Collect napalm getter results (the :class:`Collector` protocol): every survey getter,
    stored as JSON keyed ``napalm:<getter>``."""

    def _session(self, device: Device, platform: Platform, creds: Credentials, attempt: Attempt) -> None:
        settings = self.settings
        where = settings.where(device)
        if not platform.napalm_driver:
            raise DeviceError("error", f"{where}: no napalm driver for platform {platform.name!r}; "
                                       "use transport: netmiko")
        from napalm import get_network_driver  # imported late: napalm loads every driver it has

        driver = get_network_driver(platform.napalm_driver)(**driver_args(device, creds, settings))
        connecting(driver.open, where)
        try:
            settings.record_host_key(device, getattr(driver, "device", None))
            for getter in GETTERS:
                if settings.stop.is_set():
                    raise DeviceError("error", f"{where}: interrupted before {getter}")
                try:
                    call = getattr(driver, getter)
                    result = call(retrieve="running") if getter == "get_config" else call()
                except NotImplementedError:
                    attempt.problems.append(CommandProblem(getter, "device_error", "not implemented by the driver"))
                    continue
                except Exception as exc:
                    err = classify(exc, where=where, phase="command", command=getter)
                    if err.status != "error":
                        raise err from None  # the session itself failed
                    attempt.problems.append(CommandProblem(getter, "device_error", err.message))
                    continue
                result = redact_getter(platform.name, getter, result)
                attempt.outputs[output_key(getter)] = json.dumps(result, indent=2, sort_keys=True, default=str)
        finally:
            with contextlib.suppress(Exception):  # already closed by the device: nothing to report
                driver.close()
