"""Access logging in team mode: ``audit_reads`` is on by default, a practitioner's reading is
logged under their database role, every role reads the settings and only the lead changes them."""

from __future__ import annotations

from tests.helpers import error_line
from tests.team.conftest import Team
from tests.team.test_team_mode import two_practitioners


def reads(team: Team) -> list[tuple[str, str, str, str]]:
    return team.sql(
        None,
        "SELECT \"user\", ref, entity, command FROM audit_log WHERE action = 'read' ORDER BY id",
    )


def test_a_practitioners_reading_is_logged_by_default(team: Team) -> None:
    anna, _bob, lea = two_practitioners(team)
    assert team.run(anna, "config", "get", "audit_reads").stdout == "on\n"
    team.run(anna, "case", "show", "A-1")
    team.run(anna, "member", "list", "A-1")
    assert reads(team) == [
        (anna, "A-1", "case", "icrctl case show"),
        (anna, "A-1", "member", "icrctl member list"),
    ]
    shown = team.run(lea, "audit", "A-1", "--access", "-f", "json").json()
    assert [(e["user"], e["action"]) for e in shown] == [(anna, "read"), (anna, "read")]


def test_only_the_lead_changes_a_setting(team: Team) -> None:
    anna, _bob, lea = two_practitioners(team)
    line = error_line(team.run(anna, "config", "set", "audit_reads", "off", ok=False))
    assert "refused this to your role" in line
    assert team.run(anna, "config", "get", "audit_reads").stdout == "on\n"
    team.run(lea, "config", "set", "audit_reads", "uit")
    [row] = team.run(anna, "config", "list", "-f", "json").json()
    assert (row["value"], row["default"], row["changed_by"]) == ("off", False, lea)
    team.run(anna, "case", "show", "A-1")
    assert reads(team) == []
    changes = team.sql(None, "SELECT \"user\", fields FROM audit_log WHERE entity = 'setting'")
    assert changes == [(lea, "audit_reads=off")]
