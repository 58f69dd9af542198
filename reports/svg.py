"""The citywide network picture: one SVG of sites, leased lines and observed links.

Sites are placed by their ``coordinates`` (latitude, longitude) when the inventory
has them, through a simple equirectangular projection; sites without coordinates
are placed by a seeded force layout around the fixed ones. Without any coordinates
the whole site graph gets a deterministic layout (Kamada-Kawai when small; districts
laid out first, their sites clustered around them, when large), so the same audit
always draws the same picture.

Every piece of text in the picture comes from the inventory or from devices, so it
is escaped with :func:`markupsafe.escape` (which also escapes both quote kinds) before
it reaches an attribute or a text node. The result is a well-formed XML fragment
that can be inlined in HTML or saved as a ``.svg`` file.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import networkx as nx
from markupsafe import escape

from inventory.model import Inventory

__all__ = [
    "Highlights",
    "PictureLabels",
    "carrier_colour",
    "network_svg",
    "site_positions",
]

#: Drawing area (the legend sits to its right), in SVG user units.
MAP_WIDTH = 900
MAP_HEIGHT = 620
LEGEND_WIDTH = 250
MARGIN = 40

#: Above this many sites only the important ones (backbone, critical, flagged) get a
#: visible label; every site keeps a hover tooltip. Below it every site is labelled.
LABEL_ALL_BELOW = 45
#: Above this many lines and links, ordinary ones are drawn faint (highlighted ones stay solid).
DENSE_LINES = 300
#: Kamada-Kawai reads best but is quadratic in memory; above this use the spring layout.
KAMADA_KAWAI_MAX_SITES = 150

#: Well-known carriers get a fixed colour so two reports of one city look alike;
#: matched on a lower-case substring of the carrier name (English or Chinese).
_KNOWN_CARRIERS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("telecom", "电信"), "#1f6fb4"),
    (("unicom", "联通"), "#7b3fa0"),
    (("mobile", "移动"), "#1a9a7a"),
    (("cable", "broadcast", "广电", "有线"), "#a0652a"),
)
_OTHER_CARRIER_COLOURS = ("#4a7a9c", "#8c6d9e", "#5f8f4f", "#9c7b4a", "#6d6d8c")

#: Dash pattern per circuit kind (``inventory.model.CircuitKind``).
KIND_DASH: dict[str, str] = {
    "mstp": "",
    "sdh": "9 4",
    "mpls_vpn": "3 3",
    "dark_fibre": "14 3 3 3",
    "internet": "1 4",
}
_LINK_COLOUR = "#8a8f98"
_CANCEL_COLOUR = "#e03131"
_FLAG_COLOUR = "#f08c00"
_MOVE_COLOUR = "#c2255c"


@dataclass(frozen=True)
class Highlights:
    """What the picture singles out, decided by the report from findings and the room plan."""

    cancel_circuits: frozenset[str] = frozenset()  # proposed for cancellation or merging
    flagged_circuits: frozenset[str] = frozenset()  # other findings on the line
    flagged_sites: frozenset[str] = frozenset()  # findings on the site (island, SPOF, ...)
    room_moves: Mapping[str, str | None] = field(default_factory=dict)  # closing room -> target room


@dataclass(frozen=True)
class PictureLabels:
    """Every word of the picture, already translated by the caller."""

    title: str = "Citywide network"
    legend: str = "Legend"
    backbone_site: str = "Backbone site"
    site: str = "Site"
    critical_site: str = "Critical site"
    site_flagged: str = "Site with a finding"
    room_closing: str = "Room to close"
    room_move: str = "Room moves to"
    cancel_line: str = "Line proposed for cancellation"
    flagged_line: str = "Line with a finding"
    observed_link: str = "Observed link, no circuit record"
    carriers: str = "Carriers"
    kinds: str = "Line kinds"
    kind_names: Mapping[str, str] = field(default_factory=dict)  # circuit kind -> label
    no_sites: str = "No sites in the inventory"
    placed_by_coordinates: str = "Sites placed by coordinates"
    placed_by_layout: str = "Sites placed by topology (no coordinates)"
    devices: str = "devices"


def carrier_colour(carrier: str, others: Mapping[str, str] | None = None) -> str:
    """The stroke colour of a carrier's lines; unknown carriers take ``others[carrier]`` or grey."""
    lowered = carrier.lower()
    for needles, colour in _KNOWN_CARRIERS:
        if any(n in lowered for n in needles):
            return colour
    return (others or {}).get(carrier, "#666c75")


def _other_carrier_colours(carriers: Iterable[str]) -> dict[str, str]:
    """Stable colours for carriers that are not one of the well-known four."""
    unknown = sorted({c for c in carriers if carrier_colour(c) == "#666c75"})
    return {c: _OTHER_CARRIER_COLOURS[i % len(_OTHER_CARRIER_COLOURS)] for i, c in enumerate(unknown)}


# --------------------------------------------------------------------------- layout


def _project(coordinates: Mapping[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    """Equirectangular projection, north up: x grows east, y grows south.

    Longitudes shrink by cos(mean latitude) so a city's shape is not stretched.
    """
    mean_lat = sum(lat for lat, _ in coordinates.values()) / len(coordinates)
    shrink = math.cos(math.radians(mean_lat))
    return {s: (lon * shrink, -lat) for s, (lat, lon) in coordinates.items()}


def _fit(points: Mapping[str, tuple[float, float]], width: float, height: float,
         margin: float) -> dict[str, tuple[float, float]]:
    """Scale and centre points into the box, keeping the aspect ratio."""
    if not points:
        return {}
    xs = [p[0] for p in points.values()]
    ys = [p[1] for p in points.values()]
    span_x, span_y = max(xs) - min(xs), max(ys) - min(ys)
    inner_w, inner_h = width - 2 * margin, height - 2 * margin
    if span_x == 0 and span_y == 0:
        return {s: (width / 2, height / 2) for s in points}
    scale = min(inner_w / span_x if span_x else math.inf, inner_h / span_y if span_y else math.inf)
    off_x = margin + (inner_w - span_x * scale) / 2
    off_y = margin + (inner_h - span_y * scale) / 2
    min_x, min_y = min(xs), min(ys)  # once, not once per point: thousands of sites
    return {s: (round(off_x + (x - min_x) * scale, 1), round(off_y + (y - min_y) * scale, 1))
            for s, (x, y) in points.items()}


def _simple_graph(S: nx.MultiGraph) -> nx.Graph:
    """The site graph without parallel edges, nodes in sorted order (for determinism)."""
    G = nx.Graph()
    G.add_nodes_from(sorted(S.nodes))
    G.add_edges_from((u, v) for u, v in S.edges() if u != v)
    return G


def _topology_layout(G: nx.Graph, districts: Mapping[str, str] | None) -> dict[str, tuple[float, float]]:
    """A deterministic layout of a graph without coordinates (same graph, same picture).

    Kamada-Kawai for small graphs, with the distance between two components set to
    one more than the largest distance inside any component, so islands sit near the
    rest instead of being thrown to the edge; large graphs are clustered by district.
    """
    if len(G) == 1:
        return {next(iter(G)): (0.0, 0.0)}
    if len(G) <= KAMADA_KAWAI_MAX_SITES:
        lengths = dict(nx.shortest_path_length(G))
        longest = max((d for row in lengths.values() for d in row.values()), default=1)
        dist = {u: {v: lengths[u].get(v, longest + 1) for v in G} for u in G}
        start = nx.circular_layout(G)
        pos = nx.kamada_kawai_layout(G, dist=dist, pos=start)
    else:
        return _district_layout(G, districts or {})
    return {n: (float(x), float(y)) for n, (x, y) in pos.items()}


def _district_layout(G: nx.Graph, districts: Mapping[str, str]) -> dict[str, tuple[float, float]]:
    """Large graphs: lay out the districts, then each district's sites as a sunflower around it.

    A force layout of hundreds of sites costs seconds and draws a hairball; districts
    are few, and planners read a city by district anyway. Inside a district the best
    connected sites sit in the centre (golden-angle spiral, deterministic).
    """
    members: dict[str, list[str]] = defaultdict(list)
    for site in G:
        members[districts.get(site) or "?"].append(site)
    D = nx.Graph()
    D.add_nodes_from(sorted(members))
    for u, v in G.edges():
        du, dv = districts.get(u) or "?", districts.get(v) or "?"
        if du != dv:
            D.add_edge(du, dv)
    centres = _topology_layout(D, None) if len(D) <= KAMADA_KAWAI_MAX_SITES else nx.circular_layout(D)
    # Cluster radius: districts must not overlap, so scale by the closest pair of centres.
    points = list(centres.values())
    closest = min((math.dist(a, b) for i, a in enumerate(points) for b in points[i + 1:]), default=1.0)
    largest = max(len(m) for m in members.values())
    golden = math.pi * (3 - math.sqrt(5))
    pos: dict[str, tuple[float, float]] = {}
    for district, sites in members.items():
        cx, cy = centres[district]
        step = 0.45 * (closest or 1.0) / math.sqrt(largest)
        ordered = sorted(sites, key=lambda s: (-G.degree(s), s))
        for i, site in enumerate(ordered):
            r, angle = step * math.sqrt(i), i * golden
            pos[site] = (cx + r * math.cos(angle), cy + r * math.sin(angle))
    return pos


def site_positions(S: nx.MultiGraph, *, width: float = MAP_WIDTH, height: float = MAP_HEIGHT,
                   margin: float = MARGIN, seed: int = 7) -> tuple[dict[str, tuple[float, float]], bool]:
    """Place every site of the site graph in a ``width`` x ``height`` box.

    Returns the positions and whether they come from coordinates (True) or from the
    topology (False). When only some sites have coordinates, the others are placed by
    a spring layout (seeded by ``seed``) with the known sites held fixed.

    Examples
    --------
    >>> S = nx.MultiGraph()
    >>> S.add_node("north", coordinates=(31.0, 121.0))
    >>> S.add_node("south", coordinates=(30.0, 121.0))
    >>> pos, by_coordinates = site_positions(S, width=100, height=100, margin=10)
    >>> by_coordinates, pos["north"][1] < pos["south"][1]
    (True, True)
    """
    sites = sorted(S.nodes)
    if not sites:
        return {}, False
    known = {s: tuple(S.nodes[s]["coordinates"]) for s in sites if S.nodes[s].get("coordinates")}
    if not known:
        districts = {s: str(S.nodes[s].get("district") or "") for s in sites}
        return _fit(_topology_layout(_simple_graph(S), districts), width, height, margin), False
    projected = _project(known)  # type: ignore[arg-type]
    if len(known) < len(sites):
        projected = _place_unknown(_simple_graph(S), projected, seed)
    return _fit(projected, width, height, margin), True


def _place_unknown(G: nx.Graph, fixed: dict[str, tuple[float, float]],
                   seed: int) -> dict[str, tuple[float, float]]:
    """Spring-place sites without coordinates around the projected ones (held fixed)."""
    # Normalise the fixed points into the unit square: the spring layout's natural
    # edge length (1/sqrt(n)) assumes positions of that order.
    xs = [p[0] for p in fixed.values()]
    ys = [p[1] for p in fixed.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    unit = {s: ((x - min(xs)) / span, (y - min(ys)) / span) for s, (x, y) in fixed.items()}
    if len(unit) == 1:  # one known site: give the others room around it
        unit = {s: (0.5, 0.5) for s in unit}
    pos = nx.spring_layout(G, pos=unit, fixed=sorted(unit), seed=seed, iterations=60)
    return {n: (float(x), float(y)) for n, (x, y) in pos.items()}


# --------------------------------------------------------------------------- drawing


@dataclass(frozen=True, slots=True)
class _Line:
    """One circuit between two sites, ready to draw."""

    id: str
    carrier: str
    kind: str
    bandwidth_mbps: float
    yearly_cost_cny: float
    department: str


def _stroke_width(bandwidth_mbps: float) -> float:
    """Wider for faster lines, on a log scale: 2 Mbit/s -> 1.3, 10 Gbit/s -> 4.1."""
    return round(1.0 + 0.75 * math.log10(max(bandwidth_mbps, 1.0)), 2)


def _attr(value: object) -> str:
    """An escaped attribute value (quotes included in what is escaped)."""
    return str(escape(str(value)))


def _site_label(data: Mapping[str, object], site: str) -> str:
    """``English name (local name)`` when both exist and differ."""
    name = str(data.get("name") or site)
    local = data.get("local_name")
    return f"{name} ({local})" if local and local != name else name


def _curve(a: tuple[float, float], b: tuple[float, float], offset: float) -> str:
    """Path data of a straight line (offset 0) or a quadratic curve bent by ``offset``."""
    (x1, y1), (x2, y2) = a, b
    if offset == 0:
        return f"M{x1:.1f},{y1:.1f} L{x2:.1f},{y2:.1f}"
    dx, dy = x2 - x1, y2 - y1
    length = math.hypot(dx, dy) or 1.0
    cx = (x1 + x2) / 2 - dy / length * offset
    cy = (y1 + y2) / 2 + dx / length * offset
    return f"M{x1:.1f},{y1:.1f} Q{cx:.1f},{cy:.1f} {x2:.1f},{y2:.1f}"


def _edge_groups(S: nx.MultiGraph) -> tuple[dict[tuple[str, str], list[_Line]], dict[tuple[str, str], int]]:
    """Circuits per sorted site pair, and the number of observed links of pairs with no circuit."""
    lines: dict[tuple[str, str], list[_Line]] = defaultdict(list)
    links: dict[tuple[str, str], int] = defaultdict(int)
    for u, v, data in S.edges(data=True):
        pair = (u, v) if u <= v else (v, u)
        if data.get("kind") == "circuit":
            lines[pair].append(_Line(str(data.get("id")), str(data.get("carrier") or "?"),
                                     str(data.get("circuit_kind") or ""),
                                     float(data.get("bandwidth_mbps") or 1.0),
                                     float(data.get("yearly_cost_cny") or 0.0),
                                     str(data.get("department") or "")))
        else:
            links[pair] += 1
    for group in lines.values():
        group.sort(key=lambda line: line.id)
    return dict(lines), {p: n for p, n in links.items() if p not in lines}


def _draw_edges(S: nx.MultiGraph, pos: Mapping[str, tuple[float, float]], hl: Highlights,
                labels: PictureLabels, others: Mapping[str, str], names: Mapping[str, str]) -> list[str]:
    lines, links = _edge_groups(S)
    total = sum(len(group) for group in lines.values()) + len(links)
    # A dense city draws its ordinary lines faint and thin, so the highlighted ones stand out.
    faint = total > DENSE_LINES
    faint_attr = (f' stroke-opacity="{max(0.08, DENSE_LINES / total / 3):.2f}" stroke-width="0.7"'
                  if faint else "")
    halos: list[str] = []
    plain: list[str] = []
    marked: list[str] = []
    for (u, v), count in sorted(links.items()):
        tip = f"{names[u]} - {names[v]}: {labels.observed_link} ({count})"
        plain.append(f'<path d="{_curve(pos[u], pos[v], 0)}" fill="none" stroke="{_LINK_COLOUR}" '
                     f'stroke-width="1.2" stroke-dasharray="2 4"{faint_attr} class="nc-link">'
                     f'<title>{_attr(tip)}</title></path>')
    for (u, v), group in sorted(lines.items()):
        spacing = 9.0
        for i, line in enumerate(group):
            offset = (i - (len(group) - 1) / 2) * spacing
            d = _curve(pos[u], pos[v], offset)
            width = _stroke_width(line.bandwidth_mbps)
            highlighted = line.id in hl.cancel_circuits or line.id in hl.flagged_circuits
            if highlighted:
                colour = _CANCEL_COLOUR if line.id in hl.cancel_circuits else _FLAG_COLOUR
                halos.append(f'<path d="{d}" fill="none" stroke="{colour}" stroke-opacity="0.45" '
                             f'stroke-width="{5 if faint else width + 7:.1f}" stroke-linecap="round" '
                             f'class="nc-halo" data-circuit="{_attr(line.id)}"/>')
            dash = KIND_DASH.get(line.kind, "")
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            kind_name = labels.kind_names.get(line.kind, line.kind)
            tip = (f"{line.id} · {line.carrier} · {kind_name} · {line.bandwidth_mbps:g} Mbit/s · "
                   f"{names[u]} - {names[v]}")
            look = faint_attr if faint and not highlighted else f' stroke-width="{min(width, 1.6) if faint else width}"'
            (marked if highlighted else plain).append(
                f'<path d="{d}" fill="none" stroke="{carrier_colour(line.carrier, others)}"{look}{dash_attr} '
                f'class="nc-circuit" data-circuit="{_attr(line.id)}">'
                f'<title>{_attr(tip)}</title></path>')
    return plain + halos + marked


def _draw_moves(inventory: Inventory, pos: Mapping[str, tuple[float, float]], hl: Highlights,
                labels: PictureLabels) -> list[str]:
    """Dashed arrows from the site of each closing room to its target room's site."""
    out = []
    for room_id, target_id in sorted(hl.room_moves.items()):
        room = inventory.rooms.get(room_id)
        target = inventory.rooms.get(target_id) if target_id else None
        if room is None or target is None or room.site == target.site:
            continue
        if room.site not in pos or target.site not in pos:
            continue
        tip = f"{labels.room_move}: {room_id} → {target_id}"
        out.append(f'<path d="{_curve(pos[room.site], pos[target.site], 28)}" fill="none" '
                   f'stroke="{_MOVE_COLOUR}" stroke-width="1.6" stroke-dasharray="6 4" '
                   f'marker-end="url(#nc-arrow)" class="nc-move"><title>{_attr(tip)}</title></path>')
    return out


def _draw_sites(S: nx.MultiGraph, inventory: Inventory, pos: Mapping[str, tuple[float, float]],
                hl: Highlights, labels: PictureLabels, names: Mapping[str, str],
                short: Mapping[str, str]) -> list[str]:
    closing_sites = {inventory.rooms[r].site for r in hl.room_moves if r in inventory.rooms}
    central_sites = {inventory.rooms[r].site for r in inventory.policy.central_rooms if r in inventory.rooms}
    devices_per_site: dict[str, int] = defaultdict(int)
    for name in inventory.devices:
        site = inventory.device_site(name)
        if site:
            devices_per_site[site] += 1
    label_all = len(S) < LABEL_ALL_BELOW
    font = 12 if label_all else 10
    small = 1.0 if len(S) <= KAMADA_KAWAI_MAX_SITES else 0.6  # crowded maps draw smaller sites
    shapes: list[str] = []
    wanted: list[tuple[int, str, float]] = []  # (priority, site, radius) of the labels to place
    for site in sorted(S.nodes, key=lambda s: (bool(S.nodes[s].get("backbone")), s)):
        data = S.nodes[site]
        x, y = pos[site]
        count = devices_per_site.get(site, 0)
        radius = round(small * (5 + min(7.0, 1.6 * math.sqrt(count))), 1)
        backbone = bool(data.get("backbone"))
        fill = "#1b2a41" if backbone else "#ffffff"
        stroke = "#1b2a41" if backbone else "#4a5568"
        tip = f"{names[site]} · {data.get('district') or ''} · {count} {labels.devices}"
        parts = [f'<g class="nc-site" data-site="{_attr(site)}"><title>{_attr(tip)}</title>']
        if site in hl.flagged_sites:
            parts.append(f'<circle cx="{x}" cy="{y}" r="{radius + 7}" fill="{_FLAG_COLOUR}" fill-opacity="0.35"/>')
        if site in closing_sites:
            parts.append(f'<circle cx="{x}" cy="{y}" r="{radius + 4}" fill="none" stroke="{_MOVE_COLOUR}" '
                         f'stroke-width="2.2" stroke-dasharray="3 2"/>')
        if bool(data.get("critical")):
            parts.append(f'<circle cx="{x}" cy="{y}" r="{radius + 2.5}" fill="none" stroke="{stroke}" '
                         f'stroke-width="1.2"/>')
        if site in central_sites:
            side = radius * 2
            parts.append(f'<rect x="{x - radius}" y="{y - radius}" width="{side}" height="{side}" rx="2" '
                         f'fill="{fill}" stroke="{stroke}" stroke-width="1.8"/>')
        else:
            parts.append(f'<circle cx="{x}" cy="{y}" r="{radius}" fill="{fill}" stroke="{stroke}" stroke-width="1.8"/>')
        parts.append("</g>")
        shapes.append("".join(parts))
        # A crowded map labels only what the reader must find: critical, flagged and closing
        # sites (being on the backbone is not enough: most sites are).
        important = data.get("critical") or site in hl.flagged_sites or site in closing_sites
        if label_all or important:
            priority = (2 * backbone + bool(data.get("critical")) + (site in hl.flagged_sites)
                        + (site in closing_sites))
            wanted.append((priority, site, radius))
    texts = []
    for site, (lx, ly, anchor) in _place_labels(wanted, pos, short, font, keep_all=label_all).items():
        anchor_attr = f' text-anchor="{anchor}"' if anchor != "start" else ""
        texts.append(f'<text x="{lx:.1f}" y="{ly:.1f}"{anchor_attr} font-size="{font}" class="nc-label" '
                     f'paint-order="stroke" stroke="#ffffff" stroke-width="3" stroke-linejoin="round" '
                     f'fill="#1f2933">{_attr(short[site])}</text>')
    return shapes + texts


def _text_width(text: str, font: float) -> float:
    """Rough rendered width: CJK characters are square, Latin ones a little over half as wide."""
    return sum(font if ord(ch) > 0x2E80 else 0.6 * font for ch in text)


Box = tuple[float, float, float, float]  # x0, y0, x1, y1


def _overlap(a: Box, b: Box) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


class _BoxIndex:
    """Boxes bucketed on a coarse grid, so "what does this box overlap" looks only nearby."""

    CELL = 48.0

    def __init__(self) -> None:
        self._cells: dict[tuple[int, int], list[Box]] = defaultdict(list)

    def _keys(self, box: Box) -> Iterable[tuple[int, int]]:
        for i in range(int(box[0] // self.CELL), int(box[2] // self.CELL) + 1):
            for j in range(int(box[1] // self.CELL), int(box[3] // self.CELL) + 1):
                yield i, j

    def add(self, box: Box) -> None:
        for key in self._keys(box):
            self._cells[key].append(box)

    def crowding(self, box: Box, ignore: Box) -> float:
        """Total area of ``box`` covered by indexed boxes (other than ``ignore``)."""
        near = {b for key in self._keys(box) for b in self._cells.get(key, ()) if b != ignore}
        x0, y0, x1, y1 = box
        # Most nearby boxes miss this one entirely: four comparisons say so before _overlap.
        return sum(_overlap(box, b) for b in near if b[0] < x1 and b[2] > x0 and b[1] < y1 and b[3] > y0)


def _place_labels(wanted: list[tuple[int, str, float]], pos: Mapping[str, tuple[float, float]],
                  names: Mapping[str, str], font: float, *, keep_all: bool) -> dict[str, tuple[float, float, str]]:
    """Greedy label placement around each node (8 spots), avoiding other labels and nodes.

    The most important sites choose first, each taking its least crowded spot. A label
    that would still hide much of another one (a quarter of its box on small maps,
    anything on large ones) is left out: its site keeps the hover tooltip.
    """
    taken = _BoxIndex()
    for x, y in pos.values():
        taken.add((x - 6, y - 6, x + 6, y + 6))
    placed: dict[str, tuple[float, float, str]] = {}
    for _, site, r in sorted(wanted, key=lambda w: (-w[0], w[1])):
        x, y = pos[site]
        own = (x - 6, y - 6, x + 6, y + 6)
        width = _text_width(names[site], font)
        gap = r + 4
        diag = gap * 0.7
        candidates = [  # (text x, baseline y, anchor, box)
            (x + gap, y + font / 3, "start", (x + gap, y - font / 2, x + gap + width, y + font / 2)),
            (x - gap, y + font / 3, "end", (x - gap - width, y - font / 2, x - gap, y + font / 2)),
            (x, y - gap - 1, "middle", (x - width / 2, y - gap - 1 - font, x + width / 2, y - gap - 1)),
            (x, y + gap + font, "middle", (x - width / 2, y + gap + 1, x + width / 2, y + gap + font + 1)),
            (x + diag, y - diag, "start", (x + diag, y - diag - font, x + diag + width, y - diag)),
            (x + diag, y + diag + font, "start", (x + diag, y + diag, x + diag + width, y + diag + font)),
            (x - diag, y - diag, "end", (x - diag - width, y - diag - font, x - diag, y - diag)),
            (x - diag, y + diag + font, "end", (x - diag - width, y + diag, x - diag, y + diag + font)),
        ]
        candidates = [c for c in candidates if c[3][0] >= 2 and c[3][2] <= MAP_WIDTH - 2
                      and c[3][1] >= 2 and c[3][3] <= MAP_HEIGHT - 2] or candidates
        crowd, _, best = min((taken.crowding(c[3], own), i, c) for i, c in enumerate(candidates))
        allowed = 0.25 * width * font if keep_all else 0.0
        if crowd > allowed:
            continue
        placed[site] = (best[0], best[1], best[2])
        taken.add(best[3])
    return placed


def _district_names(S: nx.MultiGraph, pos: Mapping[str, tuple[float, float]]) -> list[str]:
    """District names above their clusters (large maps laid out by district)."""
    members: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for site, (x, y) in pos.items():
        members[str(S.nodes[site].get("district") or "")].append((x, y))
    out = []
    for district, points in sorted(members.items()):
        if not district:
            continue
        x = sum(p[0] for p in points) / len(points)
        y = max(14.0, min(p[1] for p in points) - 8)
        out.append(f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="middle" font-size="13" font-weight="bold" '
                   f'fill="#5c6570" fill-opacity="0.85" paint-order="stroke" stroke="#ffffff" stroke-width="4" '
                   f'class="nc-district">{_attr(district)}</text>')
    return out


def _legend(S: nx.MultiGraph, x0: float, labels: PictureLabels, others: Mapping[str, str],
            by_coordinates: bool) -> list[str]:
    """The legend panel: node styles, highlights, then the carriers and kinds actually drawn."""
    carriers = sorted({str(d.get("carrier") or "?") for _, _, d in S.edges(data=True) if d.get("kind") == "circuit"})
    kinds = sorted({str(d.get("circuit_kind") or "") for _, _, d in S.edges(data=True) if d.get("kind") == "circuit"})
    out = ['<g class="nc-legend" font-size="12" fill="#1f2933">',
           f'<rect x="{x0}" y="10" width="{LEGEND_WIDTH - 20}" height="{MAP_HEIGHT - 20}" rx="6" '
           f'fill="#f7f8fa" stroke="#d8dde3"/>',
           f'<text x="{x0 + 12}" y="34" font-weight="bold" font-size="13">{_attr(labels.legend)}</text>']
    y = 56.0
    sx, tx = x0 + 22, x0 + 42

    def row(symbol: str, text: str) -> None:
        nonlocal y
        out.append(symbol)
        out.append(f'<text x="{tx}" y="{y + 4}">{_attr(text)}</text>')
        y += 21

    row(f'<circle cx="{sx}" cy="{y}" r="6" fill="#1b2a41" stroke="#1b2a41"/>', labels.backbone_site)
    row(f'<circle cx="{sx}" cy="{y}" r="6" fill="#ffffff" stroke="#4a5568" stroke-width="1.8"/>', labels.site)
    row(f'<circle cx="{sx}" cy="{y}" r="6" fill="#ffffff" stroke="#4a5568" stroke-width="1.8"/>'
        f'<circle cx="{sx}" cy="{y}" r="8.5" fill="none" stroke="#4a5568" stroke-width="1.2"/>', labels.critical_site)
    row(f'<circle cx="{sx}" cy="{y}" r="11" fill="{_FLAG_COLOUR}" fill-opacity="0.35"/>'
        f'<circle cx="{sx}" cy="{y}" r="5" fill="#ffffff" stroke="#4a5568"/>', labels.site_flagged)
    row(f'<circle cx="{sx}" cy="{y}" r="9" fill="none" stroke="{_MOVE_COLOUR}" stroke-width="2.2" '
        f'stroke-dasharray="3 2"/><circle cx="{sx}" cy="{y}" r="5" fill="#ffffff" stroke="#4a5568"/>',
        labels.room_closing)
    row(f'<path d="M{sx - 14},{y} L{sx + 10},{y}" stroke="{_MOVE_COLOUR}" stroke-width="1.6" '
        f'stroke-dasharray="6 4" marker-end="url(#nc-arrow)"/>', labels.room_move)
    row(f'<path d="M{sx - 14},{y} L{sx + 12},{y}" stroke="{_CANCEL_COLOUR}" stroke-opacity="0.45" '
        f'stroke-width="9" stroke-linecap="round"/><path d="M{sx - 14},{y} L{sx + 12},{y}" stroke="#1f6fb4" '
        f'stroke-width="2"/>', labels.cancel_line)
    row(f'<path d="M{sx - 14},{y} L{sx + 12},{y}" stroke="{_FLAG_COLOUR}" stroke-opacity="0.45" '
        f'stroke-width="9" stroke-linecap="round"/><path d="M{sx - 14},{y} L{sx + 12},{y}" stroke="#1f6fb4" '
        f'stroke-width="2"/>', labels.flagged_line)
    row(f'<path d="M{sx - 14},{y} L{sx + 12},{y}" stroke="{_LINK_COLOUR}" stroke-width="1.2" '
        f'stroke-dasharray="2 4"/>', labels.observed_link)
    if carriers:
        y += 6
        out.append(f'<text x="{x0 + 12}" y="{y + 4}" font-weight="bold">{_attr(labels.carriers)}</text>')
        y += 21
        for carrier in carriers[:8]:
            row(f'<path d="M{sx - 14},{y} L{sx + 12},{y}" stroke="{carrier_colour(carrier, others)}" '
                f'stroke-width="3"/>', carrier)
    if kinds:
        y += 6
        out.append(f'<text x="{x0 + 12}" y="{y + 4}" font-weight="bold">{_attr(labels.kinds)}</text>')
        y += 21
        for kind in kinds:
            dash = KIND_DASH.get(kind, "")
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            row(f'<path d="M{sx - 14},{y} L{sx + 12},{y}" stroke="#1f2933" stroke-width="2"{dash_attr}/>',
                labels.kind_names.get(kind, kind))
    placement = labels.placed_by_coordinates if by_coordinates else labels.placed_by_layout
    out.append(f'<text x="{x0 + 12}" y="{MAP_HEIGHT - 22}" font-size="11" fill="#5c6570">{_attr(placement)}</text>')
    out.append("</g>")
    return out


def network_svg(S: nx.MultiGraph, inventory: Inventory, *, highlights: Highlights | None = None,
                labels: PictureLabels | None = None, site_names: Mapping[str, str] | None = None,
                site_labels: Mapping[str, str] | None = None, seed: int = 7) -> str:
    """The citywide picture of the site graph ``S`` as one ``<svg>`` element (a string).

    ``S`` is :func:`analysis.graph.site_graph` of the audit; ``inventory`` gives room
    sites and central rooms; ``highlights`` says which lines, sites and rooms to single out;
    ``site_names`` name the sites in tooltips (default: ``name (local name)``) and
    ``site_labels`` on the map itself (default: the same), where a short name reads better.
    """
    hl = highlights or Highlights()
    labels = labels or PictureLabels()
    total_width = MAP_WIDTH + LEGEND_WIDTH
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {total_width} {MAP_HEIGHT}" '
            f'role="img" aria-label="{_attr(labels.title)}" class="nc-network" '
            f'font-family="system-ui, -apple-system, \'Segoe UI\', \'Noto Sans CJK SC\', '
            f'\'Microsoft YaHei\', sans-serif">'
            f'<title>{_attr(labels.title)}</title>'
            f'<defs><marker id="nc-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
            f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{_MOVE_COLOUR}"/>'
            f'</marker></defs>'
            f'<rect x="0" y="0" width="{MAP_WIDTH}" height="{MAP_HEIGHT}" fill="#ffffff"/>')
    if len(S) == 0:
        body = [f'<text x="{MAP_WIDTH / 2}" y="{MAP_HEIGHT / 2}" text-anchor="middle" fill="#5c6570">'
                f'{_attr(labels.no_sites)}</text>']
        return head + "".join(body) + "</svg>"
    pos, by_coordinates = site_positions(S, seed=seed)
    others = _other_carrier_colours(str(d.get("carrier") or "?") for _, _, d in S.edges(data=True)
                                    if d.get("kind") == "circuit")
    names = {site: (site_names or {}).get(site) or _site_label(S.nodes[site], site) for site in S}
    short = {site: (site_labels or {}).get(site) or names[site] for site in S}
    districts = [] if by_coordinates or len(S) <= KAMADA_KAWAI_MAX_SITES else _district_names(S, pos)
    body = [*_draw_edges(S, pos, hl, labels, others, names), *_draw_moves(inventory, pos, hl, labels),
            *_draw_sites(S, inventory, pos, hl, labels, names, short), *districts,
            *_legend(S, MAP_WIDTH + 10, labels, others, by_coordinates)]
    return head + "".join(body) + "</svg>"
