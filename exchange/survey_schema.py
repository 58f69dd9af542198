"""What a survey workbook holds: its sheets, their columns, and the closed vocabularies.

One sheet per section a department declares. Each column maps to one field of the
inventory model (``a.site`` is the ``site`` of a circuit's A end; ``latitude`` and
``longitude`` together make a site's ``coordinates``). Headers, choices and sheet
names exist in Chinese and English; reading accepts either language, and the field
key itself, whatever language the template was written in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from core.platforms import PLATFORMS

__all__ = ["BOOLEAN_WORDS", "CARRIERS", "INSTRUCTIONS_SHEET", "LISTS_SHEET", "OPEN_VOCABULARIES", "SHEETS",
           "SHEETS_BY_SECTION", "VOCABULARIES", "Choice", "Column", "Lang", "SheetSpec", "choice_label", "choices_text"]

Lang = Literal["zh", "en"]
CellKind = Literal["text", "int", "number", "date", "bool", "list", "choice"]


@dataclass(frozen=True, slots=True)
class Choice:
    """One allowed value: what the inventory stores (``code``) and how people write it."""

    code: Any
    en: str
    zh: str

    def label(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en


def _choices(*rows: tuple[Any, str, str]) -> tuple[Choice, ...]:
    return tuple(Choice(*row) for row in rows)


#: Carriers offered in the drop-down. The inventory keeps the English name; other
#: carriers (a city's cable-TV operator) may be typed in as they are.
CARRIERS = _choices(
    ("China Telecom", "China Telecom", "中国电信"),
    ("China Unicom", "China Unicom", "中国联通"),
    ("China Mobile", "China Mobile", "中国移动"),
    ("China Broadnet", "China Broadnet", "中国广电"),
)

#: Vocabulary name -> its choices. ``carrier`` is open (other values allowed); the rest are closed.
VOCABULARIES: dict[str, tuple[Choice, ...]] = {
    "department_kind": _choices(("municipal", "municipal", "市直部门"), ("district", "district", "区县部门"),
                                ("vertical", "vertical", "垂直管理部门")),
    "isolation": _choices(("none", "none", "无隔离"), ("logical", "logical", "逻辑隔离"),
                          ("physical", "physical", "物理隔离")),
    "network_kind": _choices(("lan", "LAN", "局域网"), ("private", "private network", "专网"),
                             ("egov_extranet", "e-government extranet", "电子政务外网"),
                             ("classified", "classified network", "涉密网"), ("internet", "internet", "互联网")),
    "room_role": _choices(("central", "central data centre", "市级中心机房"),
                          ("departmental", "departmental", "部门机房")),
    "circuit_kind": _choices(("mstp", "MSTP", "MSTP"), ("sdh", "SDH/E1", "SDH/E1"),
                             ("mpls_vpn", "MPLS VPN", "MPLS VPN"), ("dark_fibre", "dark fibre", "裸纤"),
                             ("internet", "dedicated internet access", "互联网专线")),
    "billing": _choices(("monthly", "monthly", "按月"), ("yearly", "yearly", "按年")),
    "device_role": _choices(("core", "core", "核心"), ("distribution", "distribution", "汇聚"),
                            ("access", "access", "接入"), ("router", "router", "路由器"),
                            ("firewall", "firewall", "防火墙"), ("server", "server", "服务器"),
                            ("wan", "WAN edge", "广域网出口")),
    "transport": _choices(("netmiko", "netmiko", "netmiko"), ("napalm", "napalm", "napalm"),
                          ("asyncssh", "asyncssh", "asyncssh")),
    "platform": tuple(Choice(name, name, name) for name in sorted(PLATFORMS)),
    "boolean": _choices((True, "yes", "是"), (False, "no", "否")),
    "carrier": CARRIERS,
}

#: Vocabularies whose drop-down also accepts values outside the list.
OPEN_VOCABULARIES = frozenset({"carrier"})

#: Further spellings of yes and no people type into a yes/no column.
BOOLEAN_WORDS = {"true": True, "false": False, "y": True, "n": False, "1": True, "0": False,
                 "√": True, "×": False, "x": False}


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a sheet: an inventory field, its headers, how its cells read."""

    key: str  # field path: "name", "a.site", "latitude"
    zh: str
    en: str
    kind: CellKind = "text"
    required: bool = False
    vocab: str | None = None  # choices of a "choice" column (or an open list for text)
    ref: str | None = None  # section whose ids fill the drop-down (departments, sites, ...)
    hint_zh: str = ""
    hint_en: str = ""
    example: Any = None  # the example row's value (a choice code for choice columns)

    def header(self, lang: Lang) -> str:
        """The header cell's text; required columns end with ``*``."""
        text = self.zh if lang == "zh" else self.en
        return f"{text} *" if self.required else text

    def hint(self, lang: Lang) -> str:
        return self.hint_zh if lang == "zh" else self.hint_en


@dataclass(frozen=True, slots=True)
class SheetSpec:
    """A sheet: the inventory section it declares and its columns (the first is the key)."""

    section: str
    zh: str
    en: str
    columns: tuple[Column, ...]
    purpose_zh: str
    purpose_en: str

    def name(self, lang: Lang) -> str:
        return self.zh if lang == "zh" else self.en

    def purpose(self, lang: Lang) -> str:
        return self.purpose_zh if lang == "zh" else self.purpose_en

    @property
    def key(self) -> Column:
        return self.columns[0]

    @property
    def example_key(self) -> str:
        """The key of the example row: rows with this key are never imported."""
        return str(self.key.example)


def _c(key: str, zh: str, en: str, kind: CellKind = "text", *, req: bool = False, vocab: str | None = None,
       ref: str | None = None, hz: str = "", he: str = "", ex: Any = None) -> Column:
    if vocab is not None and kind == "text" and vocab not in OPEN_VOCABULARIES:
        kind = "choice"
    return Column(key, zh, en, kind, req, vocab, ref, hz, he, ex)


_ID_ZH = "字母、数字、. _ -，字母或数字开头"
_ID_EN = "letters, digits, . _ -, starting with a letter or digit"
_APPROVAL_ZH = "审批文号（见“审批”表）"
_APPROVAL_EN = "approval reference (see the Approvals sheet)"
_BUILT_ZH = "建成日期 YYYY-MM-DD"
_BUILT_EN = "date built, YYYY-MM-DD"

SHEETS: tuple[SheetSpec, ...] = (
    SheetSpec("departments", "部门", "Departments", (
        _c("id", "部门编号", "Department id", req=True, hz=_ID_ZH, he=_ID_EN, ex="example-bureau"),
        _c("name", "英文名称", "Name", req=True, hz="英文名称", he="English name", ex="Example Bureau"),
        _c("local_name", "中文名称", "Chinese name", hz="中文全称", he="name in Chinese", ex="示例局"),
        _c("kind", "部门类型", "Kind", vocab="department_kind", hz="市直、区县或垂直管理部门",
           he="municipal, district or vertical (ministry-mandated)", ex="municipal"),
        _c("parent", "上级部门", "Parent department", ref="departments", hz="上级部门编号（区县部门填所属区政府）",
           he="id of the department it belongs to"),
        _c("district", "所属区县", "District", hz="区县部门所在区县", he="district of a district department"),
    ), "本部门（及下属单位）", "your department (and its sub-units)"),
    SheetSpec("sites", "站点", "Sites", (
        _c("id", "站点编号", "Site id", req=True, hz=_ID_ZH, he=_ID_EN, ex="example-site"),
        _c("name", "英文名称", "Name", req=True, hz="英文名称", he="English name", ex="Example Building"),
        _c("local_name", "中文名称", "Chinese name", hz="中文名称", he="name in Chinese", ex="示例大楼"),
        _c("district", "区县", "District", req=True, hz="所在区县；用 / 分隔更细的区域",
           he="district; / separates finer parts", ex="Xiling"),
        _c("address", "地址", "Address", hz="通信地址", he="postal address", ex="1 Example Road"),
        _c("latitude", "纬度", "Latitude", "number", hz="纬度（度），与经度同填", he="degrees, with the longitude",
           ex=30.5),
        _c("longitude", "经度", "Longitude", "number", hz="经度（度），与纬度同填", he="degrees, with the latitude",
           ex=114.3),
        _c("critical", "关键站点", "Critical", "bool", vocab="boolean", hz="是：须有到骨干网的备份路径",
           he="yes: needs a backup path to the backbone", ex=False),
    ), "本部门使用的站点（楼宇、园区），包括专线另一端的站点", "the sites (buildings, campuses) you use, "
       "including the far ends of your leased lines"),
    SheetSpec("rooms", "机房", "Rooms", (
        _c("id", "机房编号", "Room id", req=True, hz=_ID_ZH, he=_ID_EN, ex="example-room"),
        _c("site", "所在站点", "Site", req=True, ref="sites", hz="站点编号", he="site id", ex="example-site"),
        _c("department", "所属部门", "Department", req=True, ref="departments", hz="出资和管理的部门编号",
           he="id of the department that owns and pays for it", ex="example-bureau"),
        _c("name", "名称", "Name", hz="显示名称", he="display name", ex="Example Bureau machine room"),
        _c("racks_total", "机柜总数", "Racks total", "int", req=True, hz="个", he="racks", ex=10),
        _c("racks_used", "已用机柜", "Racks used", "int", req=True, hz="个，不超过总数", he="racks, at most the total",
           ex=4),
        _c("power_kw", "用电功率(kW)", "Power (kW)", "number", req=True, hz="千瓦", he="kW drawn", ex=12.5),
        _c("power_capacity_kw", "供电容量(kW)", "Power capacity (kW)", "number", hz="千瓦", he="kW available",
           ex=40),
        _c("yearly_cost_cny", "年运行费用(元)", "Yearly cost (CNY)", "number", req=True,
           hz="元/年：租金、电费、制冷、人员", he="CNY per year: rent, power, cooling, staff", ex=350000),
        _c("built", "建成日期", "Built", "date", hz=_BUILT_ZH, he=_BUILT_EN, ex="2016-05-01"),
        _c("approval", "审批文号", "Approval", ref="approvals", hz=_APPROVAL_ZH, he=_APPROVAL_EN),
        _c("role", "机房定位", "Role", vocab="room_role", hz="市级中心机房或部门机房",
           he="central data centre or departmental", ex="departmental"),
        _c("isolation", "隔离要求", "Isolation", vocab="isolation", hz="物理隔离：承载涉密网",
           he="physical: hosts an isolated network", ex="none"),
    ), "本部门的系统机房", "your machine rooms"),
    SheetSpec("networks", "网络", "Networks", (
        _c("id", "网络编号", "Network id", req=True, hz=_ID_ZH, he=_ID_EN, ex="example-lan"),
        _c("name", "英文名称", "Name", req=True, hz="英文名称", he="English name", ex="Example Bureau LAN"),
        _c("department", "所属部门", "Department", req=True, ref="departments", hz="部门编号", he="owner's id",
           ex="example-bureau"),
        _c("kind", "网络类型", "Kind", req=True, vocab="network_kind", hz="局域网、专网、电子政务外网、涉密网或互联网",
           he="LAN, private network, e-government extranet, classified or internet", ex="lan"),
        _c("isolation", "隔离要求", "Isolation", vocab="isolation", hz="物理隔离的网络不参与整合",
           he="physically isolated networks are never merged", ex="none"),
        _c("mandated_by", "上级主管部委", "Mandated by", hz="垂直专网的主管部委，如 公安部",
           he="ministry mandating a vertical network"),
        _c("vrf", "VRF", "VRF", hz="承载该网络的 VRF", he="VRF that carries it"),
        _c("prefixes", "地址段", "Prefixes", "list", hz="CIDR，多个用逗号分隔", he="CIDR blocks, comma separated",
           ex=["192.0.2.0/26"]),
        _c("built", "建成日期", "Built", "date", hz=_BUILT_ZH, he=_BUILT_EN),
        _c("approval", "审批文号", "Approval", ref="approvals", hz=_APPROVAL_ZH, he=_APPROVAL_EN),
    ), "本部门的网络：局域网、专网等", "your networks: LANs, private networks, ..."),
    SheetSpec("devices", "设备", "Devices", (
        _c("name", "设备名称", "Device name", req=True, hz=_ID_ZH, he=_ID_EN, ex="example-core1"),
        _c("host", "管理地址", "Management address", req=True, hz="IP 地址或域名（不要填用户名、密码）",
           he="IP address or DNS name (never a user name or password)", ex="192.0.2.1"),
        _c("platform", "平台", "Platform", req=True, vocab="platform", hz="设备系统类型", he="device OS",
           ex="huawei"),
        _c("department", "所属部门", "Department", req=True, ref="departments", hz="部门编号", he="owner's id",
           ex="example-bureau"),
        _c("room", "所在机房", "Room", ref="rooms", hz="机房编号；不在机房时填站点", he="room id; else give the site",
           ex="example-room"),
        _c("site", "所在站点", "Site", ref="sites", hz="站点编号（不在机房内的设备）",
           he="site id, for a device outside any room"),
        _c("role", "设备角色", "Role", vocab="device_role", hz="核心、汇聚、接入等",
           he="core, distribution, access, ...",
           ex="core"),
        _c("networks", "所属网络", "Networks", "list", hz="网络编号，多个用逗号分隔", he="network ids, comma separated",
           ex=["example-lan"]),
        _c("credentials", "凭据配置名", "Credential profile", hz="凭据配置的名称（不是密码）",
           he="credential profile name (not a password)"),
        _c("transport", "采集方式", "Transport", vocab="transport", hz="netmiko、napalm 或 asyncssh",
           he="netmiko, napalm or asyncssh"),
        _c("port", "SSH 端口", "SSH port", "int", hz="默认 22", he="default 22"),
        _c("serial", "序列号", "Serial number", hz="设备序列号", he="serial number", ex="EX1234567890"),
    ), "本部门的网络设备", "your network devices"),
    SheetSpec("circuits", "专线", "Leased lines", (
        _c("id", "电路编号", "Circuit id", req=True, hz="运营商电路编号", he="the carrier's circuit id",
           ex="EXAMPLE-0001"),
        _c("carrier", "运营商", "Carrier", req=True, vocab="carrier", hz="可选列表之外的运营商可直接填写",
           he="other carriers may be typed in", ex="China Telecom"),
        _c("kind", "线路类型", "Line kind", req=True, vocab="circuit_kind",
           hz="MSTP、SDH/E1、MPLS VPN、裸纤、互联网专线",
           he="MSTP, SDH/E1, MPLS VPN, dark fibre, internet access", ex="mstp"),
        _c("department", "付费部门", "Department", req=True, ref="departments", hz="付费部门编号",
           he="id of the department that pays", ex="example-bureau"),
        _c("network", "承载网络", "Network", ref="networks", hz="网络编号", he="network id", ex="example-lan"),
        _c("a.site", "A端站点", "A-end site", req=True, ref="sites", hz="站点编号", he="site id", ex="example-site"),
        _c("a.device", "A端设备", "A-end device", ref="devices", hz="设备名称", he="device name", ex="example-core1"),
        _c("a.interface", "A端接口", "A-end interface", hz="设备上的接口名", he="interface as the device names it",
           ex="GigabitEthernet0/0/1"),
        _c("z.site", "Z端站点", "Z-end site", req=True, ref="sites", hz="站点编号", he="site id", ex="example-dc"),
        _c("z.device", "Z端设备", "Z-end device", ref="devices", hz="设备名称", he="device name"),
        _c("z.interface", "Z端接口", "Z-end interface", hz="设备上的接口名", he="interface as the device names it"),
        _c("bandwidth_mbps", "带宽(Mbps)", "Bandwidth (Mbit/s)", "number", req=True, hz="签约带宽，Mbit/s",
           he="contracted bandwidth", ex=100),
        _c("cost_cny", "费用(元)", "Fee (CNY)", "number", req=True, hz="每个计费周期的费用",
           he="fee per billing period",
           ex=3000),
        _c("billing", "计费周期", "Billing", vocab="billing", hz="按月或按年", he="monthly or yearly", ex="monthly"),
        _c("distance_km", "距离(km)", "Distance (km)", "number", hz="计费距离", he="length as billed", ex=8.5),
        _c("contract_start", "合同开始", "Contract start", "date", hz="YYYY-MM-DD", he="YYYY-MM-DD", ex="2022-01-01"),
        _c("contract_end", "合同结束", "Contract end", "date", hz="YYYY-MM-DD", he="YYYY-MM-DD", ex="2025-12-31"),
        _c("notice_days", "提前通知(天)", "Notice (days)", "int", hz="合同结束前须提前通知的天数，默认 90",
           he="notice before the contract end, default 90"),
        _c("early_termination_cny", "提前解约费(元)", "Early termination (CNY)", "number", hz="提前解约的费用",
           he="fee to end the contract early"),
        _c("approval", "审批文号", "Approval", ref="approvals", hz=_APPROVAL_ZH, he=_APPROVAL_EN),
    ), "本部门租用的专线", "the leased lines you pay for"),
    SheetSpec("websites", "网站", "Websites", (
        _c("domain", "域名", "Domain", req=True, hz="如 edu.example.gov.cn", he="e.g. edu.example.gov.cn",
           ex="example.gov.example"),
        _c("department", "主办部门", "Department", req=True, ref="departments", hz="部门编号", he="id of who runs it",
           ex="example-bureau"),
        _c("hosted_in", "部署位置", "Hosted in", hz="机房编号或设备名称", he="room id or device name",
           ex="example-room"),
        _c("independent", "独立域名", "Independent domain", "bool", vocab="boolean",
           hz="是：独立域名，不是政府门户的子站", he="yes: own domain, not a sub-site of the city portal", ex=True),
        _c("built", "上线日期", "Online since", "date", hz="YYYY-MM-DD", he="YYYY-MM-DD"),
        _c("approval", "审批文号", "Approval", ref="approvals", hz=_APPROVAL_ZH, he=_APPROVAL_EN),
    ), "本部门的网站", "your websites"),
    SheetSpec("approvals", "审批", "Approvals", (
        _c("id", "审批文号", "Reference", req=True, hz=_ID_ZH, he=_ID_EN, ex="EXAMPLE-2021-01"),
        _c("title", "项目名称", "Title", req=True, hz="批准的项目", he="what was approved",
           ex="Example Bureau machine room"),
        _c("date", "批准日期", "Date", "date", req=True, hz="YYYY-MM-DD", he="YYYY-MM-DD", ex="2015-11-20"),
        _c("covers", "涵盖对象", "Covers", "list", hz="批准的机房、网络、专线、网站等编号，逗号分隔",
           he="ids of the rooms, networks, lines, websites it covers, comma separated", ex=["example-room"]),
    ), "信息化主管部门对本部门项目的审批", "approvals of your projects by the city informatization office"),
)

SHEETS_BY_SECTION = {sheet.section: sheet for sheet in SHEETS}

INSTRUCTIONS_SHEET = {"zh": "填写说明", "en": "Instructions"}
LISTS_SHEET = {"zh": "选项", "en": "Lists"}


def choice_label(vocab: str, code: Any, lang: Lang) -> str:
    """The label of ``code`` in ``lang``; a code outside the vocabulary (an open one) as itself."""
    for choice in VOCABULARIES[vocab]:
        if choice.code == code:
            return choice.label(lang)
    return str(code)


def choices_text(vocab: str, lang: Lang) -> str:
    """The choices of a vocabulary as one line, for error messages.

    >>> choices_text("billing", "zh")
    '按月, 按年'
    """
    return ", ".join(c.label(lang) for c in VOCABULARIES[vocab])
