"""Exchange the inventory with where users keep their data, and with the tools they use.

- survey workbooks (调查表) departments fill in: :func:`write_survey_template`,
  :func:`import_surveys`, :func:`export_surveys`;
- Nornir and Ansible inventories: :func:`export_nornir`, :func:`import_nornir`,
  :func:`export_ansible`, :func:`import_ansible`;
- NetBox: :func:`import_netbox`;
- Batfish snapshots: :func:`export_batfish`.

Every import writes (or returns) inventory YAML that :func:`inventory.loader.load_inventory`
accepts, and reports bad input as :class:`core.errors.InputError`. See ``docs/exchange.md``.
"""

from exchange.ansible import export_ansible, import_ansible
from exchange.batfish import BatfishExport, export_batfish
from exchange.hosts import DeviceDefaults, DeviceImport, Skipped
from exchange.netbox import NetboxReport, import_netbox
from exchange.nornir import export_nornir, import_nornir
from exchange.survey import ImportReport, export_surveys, import_surveys, write_survey_template
from exchange.writer import write_yaml

__all__ = [
    "BatfishExport",
    "DeviceDefaults",
    "DeviceImport",
    "ImportReport",
    "NetboxReport",
    "Skipped",
    "export_ansible",
    "export_batfish",
    "export_nornir",
    "export_surveys",
    "import_ansible",
    "import_netbox",
    "import_nornir",
    "import_surveys",
    "write_survey_template",
    "write_yaml",
]
