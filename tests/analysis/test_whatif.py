"""What-if: cancel lines / close rooms and see who is cut off, who loses a backup, what it saves."""

from __future__ import annotations

import json

import pytest
from support.citybuild import circuit, city, classified, context, device, room, site

from analysis.whatif import whatif
from core.errors import InputError


def proposal_city():
    """Backbone hub1-hub2; hq (critical) on two lines; a on one line; b on two parallel lines.

    The data centre dc has 30 spare racks: room ra (2 racks) fits, rb (31 racks) does not;
    rc would pay back its move too, but nobody asks to close it.
    """
    return city(
        backbone=True,
        sites=[site("hq", critical=True)],
        devices=[device("core1", "hub1", networks=["egov"]), device("core2", "hub2", networks=["egov"]),
                 device("r-a", "a"), device("r-b", "b")],
        rooms=[room("dc", "hub1", role="central", racks_total=40, racks_used=10),
               room("ra", "a", racks_total=4, racks_used=2, yearly_cost_cny=250_000),
               room("rb", "b", racks_total=31, racks_used=31, yearly_cost_cny=400_000),
               room("rc", "hub2", racks_total=2, racks_used=1, yearly_cost_cny=300_000)],
        circuits=[circuit("bb", "hub1", "hub2", network="egov", mbps=10_000, monthly=50_000),
                  circuit("hq1", "hq", "hub1", mbps=100, monthly=3_000),
                  circuit("hq2", "hq", "hub2", mbps=100, monthly=3_000),
                  circuit("a1", "a", "hub1", mbps=50, monthly=2_000),
                  circuit("b1", "b", "hub1", mbps=100, monthly=4_000),
                  circuit("b2", "b", "hub1", mbps=50, monthly=1_000)],
    )


def test_cancelling_a_critical_sites_backup_line_is_unsafe():
    result = whatif(context(proposal_city()), cancel=["hq2"], close=[])
    # hq's two lines were also the hubs' second path: hub2 now hangs on bb alone.
    assert [(s.site, s.critical, s.single_points) for s in result.lost_backup] == [
        ("hq", True, ("line hq1",)), ("hub2", False, ("line bb",))]
    assert not result.safe
    assert any("critical site hq" in p for p in result.problems)
    assert result.new_islands == ()
    assert result.lines_saving_cny == 36_000 and result.yearly_saving_cny == 36_000


def test_cancelling_a_sites_only_line_makes_it_an_island():
    result = whatif(context(proposal_city()), cancel=["a1"], close=[])
    assert [(i.site, i.change) for i in result.new_islands] == [("a", "island")]
    assert not result.safe
    (impact,) = result.circuits
    assert impact.remaining_mbps == 0 and not impact.enough_capacity


def test_cancelling_the_smaller_parallel_line_is_safe_but_the_backup_is_gone():
    result = whatif(context(proposal_city()), cancel=["b2"], close=[])
    (impact,) = result.circuits
    assert impact.remaining_mbps == 100 and impact.enough_capacity
    assert [(s.site, s.critical) for s in result.lost_backup] == [("b", False)]
    assert result.safe and result.problems == ()  # a non-critical site may live on one line
    assert result.lines_saving_cny == 12_000


def test_cancelling_the_bigger_parallel_line_leaves_too_little_capacity():
    result = whatif(context(proposal_city()), cancel=["b1"], close=[])
    (impact,) = result.circuits
    assert impact.remaining_mbps == 50 and not impact.enough_capacity
    assert any("50 Mbit/s" in p and "b1" in p for p in result.problems)


def test_the_only_backbone_line_between_two_hubs_leaves_what_the_detour_carries():
    # Without bb the hubs meet only through hq's two 100 Mbit/s access lines.
    result = whatif(context(proposal_city()), cancel=["bb"], close=[])
    (impact,) = result.circuits
    assert impact.remaining_mbps == 100 and not impact.enough_capacity and not result.safe


def county_city(*lines, critical_branch: bool = False):
    """A backbone of two data centres (two 10 Gbit/s lines) and a county backbone node.

    The county node has a backbone router (so it counts as a backbone site); the county's
    tax office hangs on one line to it. ``lines`` join the county node to the centres.
    """
    return city(
        backbone=True,
        sites=[site("tax-c", critical=critical_branch)],
        devices=[device("core1", "dc1", networks=["egov"]), device("core2", "dc2", networks=["egov"]),
                 device("cr", "cnty", networks=["egov"]), device("tax-r", "tax-c", department="tax")],
        circuits=[circuit("bb1", "dc1", "dc2", network="egov", mbps=10_000),
                  circuit("bb2", "dc1", "dc2", network="egov", mbps=10_000),
                  circuit("tax1", "tax-c", "cnty", department="tax", mbps=100), *lines],
    )


def test_cancelling_a_county_nodes_only_line_islands_the_county_and_what_hangs_on_it():
    inv = county_city(circuit("up", "cnty", "dc1", network="egov", mbps=1_000))
    result = whatif(context(inv), cancel=["up"], close=[])
    assert [i.site for i in result.new_islands] == ["cnty", "tax-c"]
    assert not result.safe
    (impact,) = result.circuits
    assert impact.remaining_mbps == 0 and not impact.enough_capacity  # not "unlimited (backbone)"


def test_cancelling_one_of_a_county_nodes_parallel_lines_keeps_what_the_other_carries():
    inv = county_city(circuit("p1", "cnty", "dc1", network="egov", mbps=1_000),
                      circuit("p2", "cnty", "dc1", network="egov", mbps=1_000),
                      circuit("p3", "cnty", "dc1", network="egov", mbps=100))
    result = whatif(context(inv), cancel=["p1"], close=[])
    assert result.new_islands == () and result.safe
    assert [i.remaining_mbps for i in result.circuits] == [1_100]
    both = whatif(context(inv), cancel=["p1", "p2"], close=[])
    assert [i.remaining_mbps for i in both.circuits] == [100, 100] and not both.safe
    assert [(s.site, s.single_points) for s in both.lost_backup] == [("cnty", ("line p3",))]


def test_cancelling_one_of_two_disjoint_paths_leaves_the_other():
    inv = county_city(circuit("d1", "cnty", "dc1", network="egov", mbps=1_000),
                      circuit("d2", "cnty", "dc2", network="egov", mbps=1_000), critical_branch=True)
    result = whatif(context(inv), cancel=["d1"], close=[])
    (impact,) = result.circuits
    assert result.new_islands == () and impact.remaining_mbps == 1_000 and impact.enough_capacity
    assert [(s.site, s.single_points) for s in result.lost_backup] == [("cnty", ("line d2",))]
    assert result.safe  # the county node is not critical; tax-c already hung on tax1 alone
    cut = whatif(context(inv), cancel=["d1", "d2"], close=[])
    assert [i.site for i in cut.new_islands] == ["cnty", "tax-c"] and not cut.safe


def test_closing_a_room_finds_its_target_and_saving():
    result = whatif(context(proposal_city()), cancel=[], close=["ra"])
    assert result.safe
    assert [(m.room, m.into) for m in result.room_plan.moves] == [("ra", "dc")]
    assert result.rooms_saving_cny == 250_000 and result.migration_cost_cny == 60_000
    # Only the rooms asked about close, though closing rc would pay back as well.
    assert result.room_plan.kept == ("dc", "rb", "rc")


def test_closing_a_room_with_nowhere_to_go_is_reported_not_raised():
    result = whatif(context(proposal_city()), cancel=[], close=["rb"])
    assert not result.safe and result.rooms_saving_cny == 0
    assert any("rb" in p and "cannot be closed" in p for p in result.problems)


def test_combined_proposal_adds_up_and_serialises():
    result = whatif(context(proposal_city()), cancel=["b2", "b2"], close=["ra"])
    assert result.cancel == ("b2",)  # repeated ids count once
    assert result.yearly_saving_cny == 12_000 + 250_000
    data = json.loads(json.dumps(result.to_dict()))
    assert data["safe"] is True and data["room_plan"]["moves"][0]["into"] == "dc"


def test_unknown_circuits_and_rooms_are_all_named():
    with pytest.raises(InputError) as err:
        whatif(context(proposal_city()), cancel=["nope", "hq1"], close=["ghost"])
    text = str(err.value)
    assert "--cancel: unknown circuit 'nope'" in text and "--close: unknown room 'ghost'" in text
    assert "hq1" not in text


def test_empty_proposal_changes_nothing():
    result = whatif(context(proposal_city()), cancel=[], close=[])
    assert result.safe and result.yearly_saving_cny == 0 and result.room_plan is None


def test_a_classified_line_left_behind_does_not_keep_a_site_connected():
    inv = city(backbone=True, networks=[classified("secret")],
               devices=[device("core1", "hub1", networks=["egov"]), device("r-x", "x")],
               circuits=[circuit("c1", "x", "hub1"), circuit("sec", "x", "hub1", network="secret")])
    result = whatif(context(inv), cancel=["c1"], close=[])
    assert [i.site for i in result.new_islands] == ["x"] and not result.safe
    assert result.circuits[0].remaining_mbps == 0  # the classified line carries nothing else


def test_a_star_backbone_keeps_its_hub_as_the_core():
    # Counties on single lines to the hub; "a-cty" sorts before "hub" but the hub has the lines.
    inv = city(backbone=True,
               devices=[device("core", "hub", networks=["egov"])]
               + [device(f"r-{c}", c, networks=["egov"]) for c in ("a-cty", "b-cty", "c-cty")]
               + [device("tax-r", "tax-a", department="tax")],
               circuits=[circuit(f"up-{c}", c, "hub", network="egov", mbps=1_000) for c in ("a-cty", "b-cty", "c-cty")]
               + [circuit("tax1", "tax-a", "a-cty", department="tax")])
    result = whatif(context(inv), cancel=["up-a-cty"], close=[])
    assert [i.site for i in result.new_islands] == ["a-cty", "tax-a"] and not result.safe
    assert whatif(context(inv), cancel=["tax1"], close=[]).new_islands[0].site == "tax-a"
