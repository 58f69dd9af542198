"""What-if: cancel lines / close rooms and see who is cut off, who loses a backup, what it saves."""

from __future__ import annotations

import json

import pytest
from builders import circuit, city, classified, context, device, room, site

from analysis.whatif import whatif
from netcensus.errors import InputError


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
    (lost,) = result.lost_backup
    assert (lost.site, lost.critical, lost.single_points) == ("hq", True, ("line hq1",))
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


def test_backbone_to_backbone_line_has_unlimited_remaining_capacity():
    result = whatif(context(proposal_city()), cancel=["bb"], close=[])
    (impact,) = result.circuits
    assert impact.remaining_mbps is None and impact.enough_capacity


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
