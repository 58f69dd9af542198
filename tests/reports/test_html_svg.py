"""The citywide network picture: placement by coordinates or topology, styling, highlights."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

import networkx as nx
from support.citybuild import circuit
from support.citybuild import city as build_city

from analysis.graph import build_graph, site_graph
from inventory.model import Inventory, Room, Site
from reports.svg import (
    MAP_HEIGHT,
    MAP_WIDTH,
    Highlights,
    PictureLabels,
    carrier_colour,
    network_svg,
    site_positions,
)

SVG = "{http://www.w3.org/2000/svg}"


def city(sites: list[Site], circuits: list, rooms: list[Room] = (), central: tuple[str, ...] = ()):
    """The inventory (:func:`support.citybuild.city`) and its site graph, as the picture draws it."""
    inv = build_city(sites=sites, circuits=circuits, rooms=rooms, central_rooms=central)
    return inv, site_graph(build_graph(inv, {}))


def inside(pos: dict[str, tuple[float, float]]) -> bool:
    return all(0 <= x <= MAP_WIDTH and 0 <= y <= MAP_HEIGHT for x, y in pos.values())


def paths_of(svg: str, cls: str) -> list[ET.Element]:
    return [p for p in ET.fromstring(svg).iter(f"{SVG}path") if p.get("class") == cls]


# --------------------------------------------------------------------------- placement


def test_coordinates_put_north_up_and_east_right_keeping_the_shape() -> None:
    sites = [Site(id="centre", name="C", district="d", coordinates=(30.0, 120.0)),
             Site(id="north", name="N", district="d", coordinates=(30.1, 120.0)),
             Site(id="east", name="E", district="d", coordinates=(30.0, 120.1))]
    _, S = city(sites, [])
    pos, by_coordinates = site_positions(S)
    assert by_coordinates and inside(pos)
    assert pos["north"][1] < pos["centre"][1] and pos["east"][0] > pos["centre"][0]
    # a degree of longitude is cos(30°) of a degree of latitude: the map is not stretched
    north = math.dist(pos["centre"], pos["north"])
    east = math.dist(pos["centre"], pos["east"])
    assert abs(east / north - math.cos(math.radians(30.0))) < 0.01


def test_sites_without_coordinates_join_the_ones_with_them() -> None:
    sites = [Site(id="a", name="A", district="d", coordinates=(30.0, 120.0)),
             Site(id="b", name="B", district="d", coordinates=(30.2, 120.2)),
             Site(id="lost", name="L", district="d")]
    _, S = city(sites, [circuit("c1", "a", "lost"), circuit("c2", "b", "lost")])
    pos, by_coordinates = site_positions(S)
    assert by_coordinates and inside(pos)
    assert len({pos[s] for s in pos}) == 3
    assert pos["b"][0] > pos["a"][0] and pos["b"][1] < pos["a"][1]  # the known ones keep their places


def test_without_coordinates_the_layout_is_seeded_and_readable() -> None:
    sites = [Site(id=f"s{i}", name=f"S{i}", district="d") for i in range(8)]
    circuits = [circuit(f"c{i}", f"s{i}", f"s{(i + 1) % 8}") for i in range(8)]
    circuits.append(circuit("island-link", "s0", "s0"))  # a loop is ignored
    _, S = city([*sites, Site(id="island", name="I", district="d")], circuits)
    first, by_coordinates = site_positions(S)
    again, _ = site_positions(S)
    assert not by_coordinates and first == again and inside(first)
    closest = min(math.dist(p, q) for i, p in enumerate(first.values()) for q in list(first.values())[i + 1:])
    assert closest > 20  # no two sites drawn on top of each other


def test_large_cities_are_clustered_by_district() -> None:
    S = nx.MultiGraph()
    for d in range(6):
        for i in range(40):
            S.add_node(f"d{d}-s{i}", district=f"district {d}")
            if i:
                S.add_edge(f"d{d}-s{i}", f"d{d}-s0", kind="link")
        S.add_edge(f"d{d}-s0", f"d{(d + 1) % 6}-s0", kind="link")
    pos, _ = site_positions(S)
    assert inside(pos) and len(set(pos.values())) == len(pos)

    def centre(d: int) -> tuple[float, float]:
        xs, ys = zip(*(pos[f"d{d}-s{i}"] for i in range(40)), strict=False)
        return sum(xs) / 40, sum(ys) / 40

    for d in range(6):  # every site is nearer its own district's centre than any other one
        own = centre(d)
        for i in range(40):
            p = pos[f"d{d}-s{i}"]
            assert all(math.dist(p, own) < math.dist(p, centre(o)) for o in range(6) if o != d)


# --------------------------------------------------------------------------- drawing


def test_lines_are_styled_by_carrier_and_kind_and_parallel_lines_do_not_overlap() -> None:
    sites = [Site(id="a", name="A", district="d"), Site(id="b", name="B", district="d")]
    inv, S = city(sites, [circuit("t1", "a", "b", carrier="China Telecom", kind="mstp"),
                          circuit("u1", "a", "b", carrier="中国联通", kind="sdh"),
                          circuit("m1", "a", "b", carrier="China Mobile", kind="mpls_vpn")])
    circuits = {p.get("data-circuit"): p for p in paths_of(network_svg(S, inv), "nc-circuit")}
    assert set(circuits) == {"t1", "u1", "m1"}
    assert len({p.get("d") for p in circuits.values()}) == 3  # three distinct curves
    assert len({p.get("stroke") for p in circuits.values()}) == 3
    assert circuits["u1"].get("stroke") == carrier_colour("China Unicom")  # English or Chinese name
    assert circuits["t1"].get("stroke-dasharray") is None and circuits["u1"].get("stroke-dasharray")


def test_proposed_and_flagged_lines_sites_and_room_moves_are_highlighted() -> None:
    sites = [Site(id="a", name="A", district="d"), Site(id="b", name="B", district="d"),
             Site(id="c", name="C", district="d")]
    rooms = [Room(id="small", site="b", department="it", racks_total=4, racks_used=1, power_kw=2,
                  yearly_cost_cny=1),
             Room(id="dc", site="a", department="it", racks_total=40, racks_used=1, power_kw=2,
                  yearly_cost_cny=1, role="central")]
    inv, S = city(sites, [circuit("go", "a", "b"), circuit("check", "b", "c"), circuit("fine", "a", "c")],
                  rooms, ("dc",))
    hl = Highlights(cancel_circuits=frozenset({"go"}), flagged_circuits=frozenset({"check"}),
                    flagged_sites=frozenset({"c"}), room_moves={"small": "dc"})
    svg = network_svg(S, inv, highlights=hl)
    root = ET.fromstring(svg)
    halos = {p.get("data-circuit"): p.get("stroke") for p in paths_of(svg, "nc-halo")}
    assert set(halos) == {"go", "check"} and halos["go"] != halos["check"]  # cancel vs other finding
    assert len(paths_of(svg, "nc-move")) == 1  # small (at b) -> dc (at a)
    site_groups = {g.get("data-site"): g for g in root.iter(f"{SVG}g") if g.get("class") == "nc-site"}
    assert len(list(site_groups["c"].iter(f"{SVG}circle"))) == 2  # node + finding halo
    assert list(site_groups["a"].iter(f"{SVG}rect"))  # the central room's site is a square


def test_seen_links_without_a_line_record_are_drawn_dotted() -> None:
    S = nx.MultiGraph()
    S.add_node("a", name="A")
    S.add_node("b", name="B")
    S.add_edge("a", "b", key="link:r1:Gi0/1", kind="link")
    S.add_edge("a", "b", key="link:r1:Gi0/2", kind="link")
    links = paths_of(network_svg(S, Inventory()), "nc-link")
    assert len(links) == 1 and "(2)" in "".join(links[0].itertext())


def test_legend_lists_the_carriers_and_kinds_drawn_in_the_readers_language() -> None:
    sites = [Site(id="a", name="A", district="d"), Site(id="b", name="B", district="d")]
    inv, S = city(sites, [circuit("t1", "a", "b", carrier="China Telecom", kind="dark_fibre")])
    labels = PictureLabels(legend="图例", kinds="专线类型", kind_names={"dark_fibre": "裸纤"})
    legend = next(g for g in ET.fromstring(network_svg(S, inv, labels=labels)).iter(f"{SVG}g")
                  if g.get("class") == "nc-legend")
    text = " ".join("".join(t.itertext()) for t in legend.iter(f"{SVG}text"))
    assert "图例" in text and "China Telecom" in text and "裸纤" in text
    assert "China Unicom" not in text


def test_site_labels_show_local_names_and_stay_on_the_map() -> None:
    sites = [Site(id=f"s{i}", name=f"Site {i}", local_name=f"站点{i}", district="d",
                  coordinates=(30.0, 120.0 + i * 0.05)) for i in range(4)]
    inv, S = city(sites, [])
    texts = [t for t in ET.fromstring(network_svg(S, inv)).iter(f"{SVG}text") if t.get("class") == "nc-label"]
    assert {t.text for t in texts} == {f"Site {i} (站点{i})" for i in range(4)}
    eastmost = max(texts, key=lambda t: float(t.get("x")))
    assert eastmost.get("text-anchor") == "end"  # written leftwards, not under the legend


def test_an_empty_inventory_draws_a_message() -> None:
    svg = network_svg(nx.MultiGraph(), Inventory(), labels=PictureLabels(no_sites="台账中没有站点。"))
    assert "台账中没有站点。" in svg
    ET.fromstring(svg)
    assert not re.search(r"<circle", svg)
