"""A city adds a check or a report format from its own installed package (entry points).

Each test installs a throwaway distribution: a ``*.dist-info`` folder with ``entry_points.txt``
in a folder put on ``sys.path``, found by ``importlib.metadata`` as any installed package is.
"""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from typer.testing import CliRunner

from analysis.registry import CHECKS, selected_checks
from core.registry import PluginLoadError
from inventory.loader import load_inventory
from netcensus.cli import app
from netcensus.job import write_reports
from netcensus.pipeline import audit
from reports.registry import FORMATS, HISTORY_FREE

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "inventory"

SITE_CHECK = '''
    from analysis.findings import Severity
    from analysis.registry import check, spec


    @check("CTY001", "governance", Severity.LOW, "site-without-address")
    def sites_without_address(ctx):
        """A site with no street address: the field team cannot find it."""
        for site in ctx.inventory.sites.values():
            if site.address is None:
                yield spec("CTY001").finding([site.id], title=f"Site {site.id} has no street address",
                                             recommendation="Add its street address to the inventory.")
'''

SITE_LIST = '''
    from pathlib import Path


    def site_list(result, out_dir, options):
        """One line per city finding: code and subjects."""
        lines = sorted(f"{f.code} {' '.join(f.subjects)}" for f in result.findings if f.code.startswith("CTY"))
        path = Path(out_dir) / "city-findings.txt"
        path.write_text("".join(line + "\\n" for line in lines), encoding="utf-8")
        return [path]
'''


@dataclass
class SitePackages:
    """A folder on sys.path to install throwaway distributions into."""

    root: Path
    modules: list[str] = field(default_factory=list)

    def install(self, dist: str, modules: dict[str, str], entry_points: dict[str, dict[str, str]]) -> None:
        """Write the modules and a ``<dist>-1.0.dist-info`` declaring the entry points."""
        for name, code in modules.items():
            (self.root / f"{name}.py").write_text(textwrap.dedent(code), encoding="utf-8")
            self.modules.append(name)
        info = self.root / f"{dist.replace('-', '_')}-1.0.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n", encoding="utf-8")
        (info / "entry_points.txt").write_text("".join(
            f"[{group}]\n" + "".join(f"{name} = {value}\n" for name, value in points.items()) + "\n"
            for group, points in entry_points.items()), encoding="utf-8")


@pytest.fixture()
def site_packages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SitePackages]:
    """Installed plugins for one test: the registers forget them (and their modules) afterwards."""
    CHECKS.load()
    FORMATS.load()
    before = {CHECKS: set(CHECKS.available), FORMATS: set(FORMATS.available)}
    history_free = set(HISTORY_FREE)
    root = tmp_path / "site-packages"
    root.mkdir()
    monkeypatch.syspath_prepend(str(root))
    for register in before:
        register.refresh()  # read the entry points again, with the new folder on sys.path
    packages = SitePackages(root)
    yield packages
    for register, names in before.items():
        for name in set(register.available) - names:
            register.deregister(name)
        register.refresh()
    HISTORY_FREE.intersection_update(history_free)
    for name in packages.modules:
        sys.modules.pop(name, None)


def sites_without_address() -> list[str]:
    """What CTY001 must find in the example inventory, read from the inventory itself."""
    return sorted(s.id for s in load_inventory(EXAMPLE).sites.values() if s.address is None)


def test_a_city_check_runs_beside_the_bundled_ones(site_packages: SitePackages) -> None:
    site_packages.install("qingshan-checks", {"qingshan_checks": SITE_CHECK},
                          {"netcensus.checks": {"CTY001": "qingshan_checks:sites_without_address"}})
    assert "CTY001" in [s.code for s in selected_checks()]
    assert [s.name for s in selected_checks(["governance"]) if s.code.startswith("CTY")] == ["site-without-address"]
    assert CHECKS.origin("CTY001").endswith(
        "(entry point CTY001 = qingshan_checks:sites_without_address (group netcensus.checks, "
        "distribution qingshan-checks 1.0))")

    result = audit(EXAMPLE, None, select=["CTY001"])
    expected = sites_without_address()
    assert expected  # the example has sites without an address, else this test proves nothing
    assert sorted(f.subjects[0] for f in result.findings) == expected
    assert {f.code for f in result.findings} == {"CTY001"}
    assert {f.title for f in result.findings} == {f"Site {s} has no street address" for s in expected}


def test_the_cli_lists_a_city_check(site_packages: SitePackages) -> None:
    site_packages.install("qingshan-checks", {"qingshan_checks": SITE_CHECK},
                          {"netcensus.checks": {"CTY001": "qingshan_checks:sites_without_address"}})
    result = CliRunner().invoke(app, ["checks"], terminal_width=200)
    assert result.exit_code == 0, result.output
    row = next(line for line in result.stdout.splitlines() if "CTY001" in line)
    assert "governance" in row and "A site with no street address" in row


def test_a_city_report_format_is_written_with_the_bundled_reports(site_packages: SitePackages,
                                                                   tmp_path: Path) -> None:
    """A plain function is a renderer too; undecorated, it is taken to read the history."""
    site_packages.install("qingshan-reports", {"qingshan_checks": SITE_CHECK, "qingshan_reports": SITE_LIST}, {
        "netcensus.checks": {"CTY001": "qingshan_checks:sites_without_address"},
        "netcensus.renderers": {"city-list": "qingshan_reports:site_list"},
    })
    result = audit(EXAMPLE, None)
    written = write_reports(result, tmp_path / "out", "en")
    listing = tmp_path / "out" / "city-findings.txt"
    assert listing in written and (tmp_path / "out" / "netcensus-report.json") in written
    assert listing.read_text(encoding="utf-8").splitlines() == [f"CTY001 {s}" for s in sites_without_address()]
    assert "city-list" not in HISTORY_FREE


@pytest.mark.parametrize("module, entry_point, message", [
    pytest.param("import qingshan_missing_dependency\n", "qingshan_broken:sites",
                 "failed to import: ModuleNotFoundError: No module named 'qingshan_missing_dependency'",
                 id="import fails"),
    pytest.param(SITE_CHECK.replace("CTY001", "ADR001"), "qingshan_broken:sites_without_address",
                 "check ADR001 is already taken by the built-in analysis.checks.addressing:",
                 id="code of a built-in check"),
    pytest.param("def sites(ctx):\n    return []\n", "qingshan_broken:sites",
                 "qingshan_broken:sites is not a check: decorate it with @analysis.registry.check(",
                 id="not decorated"),
    pytest.param(SITE_CHECK.replace("CTY001", "CTY002"), "qingshan_broken:sites_without_address",
                 "it is registered as check CTY002: name the entry point CTY002",
                 id="entry point named for another code"),
])
def test_a_check_plugin_that_fails_names_its_entry_point(
        site_packages: SitePackages, module: str, entry_point: str, message: str) -> None:
    site_packages.install("qingshan-checks", {"qingshan_broken": module},
                          {"netcensus.checks": {"CTY001": entry_point}})
    with pytest.raises(PluginLoadError) as error:
        selected_checks()
    text = str(error.value)
    assert text.startswith(f"entry point CTY001 = {entry_point} (group netcensus.checks, "
                           "distribution qingshan-checks 1.0)")
    assert message in text
    with pytest.raises(PluginLoadError):  # every lookup, not only the first: no audit without it
        selected_checks()


def test_a_renderer_plugin_under_a_bundled_format_name_is_refused(site_packages: SitePackages) -> None:
    site_packages.install("qingshan-reports", {"qingshan_reports": SITE_LIST},
                          {"netcensus.renderers": {"json": "qingshan_reports:site_list"}})
    with pytest.raises(PluginLoadError, match=r"^entry point json = qingshan_reports:site_list "
                       r"\(group netcensus.renderers, distribution qingshan-reports 1.0\): report format json "
                       r"is already taken by the built-in reports\.json_report:"):
        FORMATS.get("json")


def test_the_audit_command_reports_a_broken_plugin_without_a_traceback(
        site_packages: SitePackages, tmp_path: Path) -> None:
    site_packages.install("qingshan-checks", {"qingshan_broken": "raise RuntimeError('half-installed')\n"},
                          {"netcensus.checks": {"CTY001": "qingshan_broken:sites"}})
    result = CliRunner().invoke(app, ["audit", str(EXAMPLE), "--inventory-only", "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output + result.stderr
    assert ("entry point CTY001 = qingshan_broken:sites (group netcensus.checks, distribution "
            "qingshan-checks 1.0) failed to import: RuntimeError: half-installed") in result.stderr


def test_the_checks_command_reports_a_broken_plugin_without_a_traceback(site_packages: SitePackages) -> None:
    site_packages.install("qingshan-checks", {"qingshan_broken": "def sites(ctx):\n    return []\n"},
                          {"netcensus.checks": {"CTY001": "qingshan_broken:sites"}})
    result = CliRunner().invoke(app, ["checks"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output + result.stderr
    assert "qingshan_broken:sites is not a check" in result.stderr


def test_two_packages_with_the_same_check_code_are_refused_naming_both(site_packages: SitePackages) -> None:
    site_packages.install("qingshan-checks", {"qingshan_checks": SITE_CHECK},
                          {"netcensus.checks": {"CTY001": "qingshan_checks:sites_without_address"}})
    site_packages.install("wuhan-checks", {"wuhan_checks": SITE_CHECK},
                          {"netcensus.checks": {"CTY001": "wuhan_checks:sites_without_address"}})
    with pytest.raises(PluginLoadError) as error:
        selected_checks()
    first, second = sorted(("qingshan", "wuhan"))  # entry points load in a stable order
    assert str(error.value) == (
        f"entry point CTY001 = {second}_checks:sites_without_address (group netcensus.checks, "
        f"distribution {second}-checks 1.0): check CTY001 is already taken by "
        f"{first}_checks:sites_without_address (entry point CTY001 = {first}_checks:sites_without_address "
        f"(group netcensus.checks, distribution {first}-checks 1.0))")


def test_chinese_reports_show_a_city_checks_own_english_text(site_packages: SitePackages, tmp_path: Path) -> None:
    """The bundled catalogue has no entry for a city's code: its Chinese reports keep the check's words."""
    site_packages.install("qingshan-checks", {"qingshan_checks": SITE_CHECK},
                          {"netcensus.checks": {"CTY001": "qingshan_checks:sites_without_address"}})
    result = audit(EXAMPLE, None, select=["CTY001"])
    written = write_reports(result, tmp_path / "out", "zh")
    markdown = next(p for p in written if p.suffix == ".md").read_text(encoding="utf-8")
    for site in sites_without_address():
        assert f"Site {site} has no street address" in markdown
