"""Names of the fictional city of Xiyue (汐月市): departments, districts, carriers.

Everything here is invented. The city, its districts and its domain do not exist;
public addresses come from the documentation ranges (RFC 5737).
"""

from __future__ import annotations

from dataclasses import dataclass

CITY = "Xiyue"
CITY_LOCAL = "汐月市"
PORTAL_DOMAIN = "xiyue.gov.cn"
DNS_DOMAIN = "xiyue.gov.cn"  # what Cisco devices append to their LLDP/CDP names
CITY_CENTRE = (28.4612, 117.9433)  # (latitude, longitude) of the fictional city hall


@dataclass(frozen=True, slots=True)
class DepartmentName:
    """A municipal department of the base city."""

    id: str
    name: str
    local_name: str
    kind: str  # municipal | vertical
    short: str  # Chinese short name, used in site and room names
    portal: str | None  # sub-domain of the city portal, None: no website


#: The twelve departments of the base city. ``bdb`` runs the backbone and the central rooms;
#: ``jiyao`` runs the classified network; psb/tax/hrss are vertical (ministry-led) bureaus.
DEPARTMENTS: tuple[DepartmentName, ...] = (
    DepartmentName("bdb", "Big Data Bureau", "汐月市大数据局", "municipal", "大数据局", "dsjj"),
    DepartmentName("psb", "Public Security Bureau", "汐月市公安局", "vertical", "公安局", "gaj"),
    DepartmentName("tax", "Taxation Bureau", "国家税务总局汐月市税务局", "vertical", "税务局", "sw"),
    DepartmentName("hrss", "Human Resources and Social Security Bureau", "汐月市人力资源和社会保障局",
                   "vertical", "人社局", "rsj"),
    DepartmentName("edu", "Education Bureau", "汐月市教育局", "municipal", "教育局", "jyj"),
    DepartmentName("health", "Health Commission", "汐月市卫生健康委员会", "municipal", "卫健委", "wjw"),
    DepartmentName("transport", "Transport Bureau", "汐月市交通运输局", "municipal", "交通局", "jtj"),
    DepartmentName("housing", "Housing and Urban-Rural Development Bureau", "汐月市住房和城乡建设局",
                   "municipal", "住建局", "zjj"),
    DepartmentName("market", "Market Supervision Administration", "汐月市市场监督管理局", "municipal",
                   "市场监管局", "scjgj"),
    DepartmentName("finance", "Finance Bureau", "汐月市财政局", "municipal", "财政局", "czj"),
    DepartmentName("emergency", "Emergency Management Bureau", "汐月市应急管理局", "municipal",
                   "应急局", "yjglj"),
    DepartmentName("jiyao", "Confidential Communications Bureau", "中共汐月市委机要局", "municipal",
                   "机要局", None),
)

#: Departments that get district branches when the city grows (all but the classified bureau).
BRANCHING = tuple(d.id for d in DEPARTMENTS if d.id != "jiyao")

#: The six districts of the base city: (id, English name, local name).
DISTRICTS: tuple[tuple[str, str, str], ...] = (
    ("xc", "Xicheng", "汐城区"),
    ("yh", "Yuehu", "月湖区"),
    ("dg", "Donggang", "东港区"),
    ("ns", "Nanshan", "南山区"),
    ("bl", "Beiling", "北岭区"),
    ("xw", "Xiwan", "西湾区"),
)

#: Syllables for the extra districts of a grown city: (pinyin, character). Pinyin is unique.
DISTRICT_SYLLABLES: tuple[tuple[str, str], ...] = (
    ("qing", "青"), ("song", "松"), ("tao", "桃"), ("liu", "柳"), ("mei", "梅"), ("zhu", "竹"),
    ("shi", "石"), ("quan", "泉"), ("he", "河"), ("lin", "林"), ("feng", "峰"), ("yun", "云"),
    ("xia", "霞"), ("an", "安"), ("ping", "平"), ("ning", "宁"), ("hua", "华"), ("yang", "阳"),
    ("xing", "兴"), ("de", "德"), ("jin", "金"), ("bao", "宝"), ("long", "龙"), ("fu", "福"),
    ("chang", "长"), ("tai", "泰"), ("kang", "康"), ("rui", "瑞"), ("jing", "景"), ("lan", "兰"),
)

#: Carriers: (code used in circuit ids, name, local name, share of new lines).
CARRIERS: tuple[tuple[str, str, str, float], ...] = (
    ("CT", "China Telecom", "电信", 0.45),
    ("CU", "China Unicom", "联通", 0.30),
    ("CM", "China Mobile", "移动", 0.20),
    ("GD", "Xiyue Cable TV Network", "广电", 0.05),
)

KIND_LOCAL = {"mstp": "MSTP", "sdh": "SDH", "mpls_vpn": "MPLS-VPN", "dark_fibre": "裸纤", "internet": "互联网"}

STREETS = ("人民路", "解放大道", "滨江路", "建设路", "中山路", "文化路", "湖滨路", "新华路", "学府路",
           "长安街", "和平路", "光明路", "迎宾大道", "科技路", "东风路", "青年路")
