"""A partner linked without the client's consent: a fact of ``case show`` (lawful and common: the
police, a GI under a court order), and the signal ``partner-without-consent`` only while such a
partner is invited to a running evaluation series, where the plan is shared.

Which series runs is cross-checked against ``no-evaluation-series`` (the case is in stage
execution): the same series that keep that signal quiet are the ones whose invited partners
count, for random starts, ends and stops (Hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from icrctl import i18n
from icrctl.domain.signals import PartnerWithoutConsent
from icrctl.render.signals import message
from icrctl.services import cases, caseview, meetings, partners, signals
from icrctl.services.context import Context
from icrctl.services.members import MemberInput, add_member
from tests.helpers import TODAY, Unit, fresh_case_file

REF = "GO-2026-050"
OPENED = date(2026, 3, 2)
#: Linked without consent; ``jgz`` with it.
WITHOUT = ("pol", "ther")

EXAMPLES = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _setup(session: Session, ctx: Context) -> None:
    """A case in stage execution with one member and three partners, two without consent."""
    cases.create_case(session, ctx, REF, cases.CaseInput(title="Familie Visser", opened=OPENED))
    cases.set_stage(session, ctx, REF, "execution", OPENED + timedelta(days=14), "analysed")
    add_member(session, ctx, REF, MemberInput(name="Anna Visser", role="victim", key="anna"))
    for key, kind, consent in (
        ("pol", "police", False),
        ("jgz", "youth_health", True),
        ("ther", "therapist", False),
    ):
        partners.add_partner(
            session,
            ctx,
            partners.PartnerInput(name=f"Partner {key}", organisation="Org", kind=kind, key=key),
        )
        partners.link_partner(session, ctx, REF, key, consent=consent)


def schedule(
    unit: Unit,
    *invited: str,
    every: str = "2w",
    weekday: str | None = None,
    start: date | None = None,
    until: date | None = None,
) -> None:
    """Plan a series from today (or ``start``), inviting members and partners by key."""
    with unit() as (session, ctx):
        meetings.schedule(
            session,
            ctx,
            REF,
            every=every,
            weekday=weekday,
            start=start,
            until=until,
            attendees=list(invited),
        )


def found(unit: Unit, today: date = TODAY) -> tuple[list[str], tuple[str, ...]]:
    """The codes ``check`` gives the case, and the partners its consent signal names."""
    with unit(today) as (session, ctx):
        raised = [s for _ref, s in signals.check(session, ctx, REF)]
    named = [s.partners for s in raised if isinstance(s, PartnerWithoutConsent)]
    assert len(named) <= 1
    return [s.code for s in raised], named[0] if named else ()


def shown(unit: Unit, today: date = TODAY) -> tuple[list[str], list[str]]:
    """What ``case show`` says: linked without consent, and which of them are invited."""
    with unit(today) as (session, ctx):
        d = caseview.details(session, ctx, REF)
    return d.partners_without_consent, d.invited_without_consent


def test_linked_without_consent_is_a_fact_not_a_signal() -> None:
    with fresh_case_file(_setup) as unit:
        assert found(unit)[1] == ()
        assert shown(unit) == (["pol", "ther"], [])


def test_invited_to_a_running_series_is_a_signal_and_shown() -> None:
    with fresh_case_file(_setup) as unit:
        schedule(unit, "anna", "pol", "jgz")
        codes, named = found(unit)
        assert "partner-without-consent" in codes
        assert named == ("pol",)  # jgz has consent; ther is not invited
        assert shown(unit) == (["pol", "ther"], ["pol"])


def test_invited_to_two_series_is_named_once_in_link_order() -> None:
    with fresh_case_file(_setup) as unit:
        schedule(unit, "ther", "pol")
        schedule(unit, "pol", every="1m", weekday="fri")
        assert found(unit)[1] == ("pol", "ther")
        assert shown(unit) == (["pol", "ther"], ["pol", "ther"])


def test_consent_recorded_or_series_stopped_clears_it() -> None:
    with fresh_case_file(_setup) as unit:
        schedule(unit, "pol", "ther")
        with unit() as (session, ctx):
            partners.link_partner(session, ctx, REF, "ther", consent=True)
        assert found(unit)[1] == ("pol",)
        assert shown(unit) == (["pol"], ["pol"])
        with unit() as (session, ctx):
            meetings.stop(session, ctx, REF, TODAY + timedelta(days=1))
        assert found(unit)[1] == ("pol",)  # it still meets today
        assert found(unit, TODAY + timedelta(days=1))[1] == ()
        assert shown(unit, TODAY + timedelta(days=1)) == (["pol"], [])


def test_a_closed_case_keeps_the_fact_without_the_signal() -> None:
    with fresh_case_file(_setup) as unit:
        schedule(unit, "pol")
        with unit() as (session, ctx):
            cases.close_case(
                session, ctx, REF, "klaar", "veilig", None, force=True, reason="gezin verhuisd"
            )
        assert found(unit) == ([], ())
        assert shown(unit) == (["pol", "ther"], [])  # closing stopped the series


def test_the_signal_in_dutch_says_what_to_do() -> None:
    with fresh_case_file(_setup) as unit:
        schedule(unit, "pol", "ther")
        with unit() as (session, ctx):
            [signal] = [
                s
                for _ref, s in signals.check(session, ctx, REF)
                if isinstance(s, PartnerWithoutConsent)
            ]
    i18n.use("nl")
    said = message(signal)
    assert said.startswith("pol, ther uitgenodigd voor de evaluaties")
    assert "zonder toestemming van de cliënt" in said
    assert f"'icrctl partner link {REF} … --consent'" in said
    assert said.endswith("bespreek het plan zonder deze ketenpartners")
    assert "invited" not in said
    assert message(signal, "en").startswith("pol, ther invited to the evaluations")


@EXAMPLES
@given(
    start=st.integers(0, 300),
    length=st.one_of(st.none(), st.integers(0, 200)),
    stop=st.one_of(st.none(), st.integers(-60, 60)),
    invited=st.sets(st.sampled_from(["anna", "pol", "jgz", "ther"])),
    ther_consents=st.booleans(),
    later=st.integers(0, 120),
)
def test_signalled_exactly_while_the_series_runs(
    start: int,
    length: int | None,
    stop: int | None,
    invited: set[str],
    ther_consents: bool,
    later: int,
) -> None:
    """Named: the partners without consent invited to the series, exactly on the days the
    series keeps ``no-evaluation-series`` quiet; ``case show`` says the same."""
    first = OPENED + timedelta(days=start)
    until = None if length is None else first + timedelta(days=length)
    day = TODAY + timedelta(days=later)
    with fresh_case_file(_setup) as unit:
        schedule(unit, *sorted(invited), every="1w", start=first, until=until)
        with unit() as (session, ctx):
            partners.link_partner(session, ctx, REF, "ther", consent=ther_consents)
            if stop is not None and (until is None or TODAY + timedelta(days=stop) <= until):
                meetings.stop(session, ctx, REF, TODAY + timedelta(days=stop))
        codes, named = found(unit, day)
        runs = "no-evaluation-series" not in codes
        without = [k for k in WITHOUT if not (k == "ther" and ther_consents)]
        expected = [k for k in without if k in invited] if runs else []
        assert named == tuple(expected)
        assert ("partner-without-consent" in codes) == bool(expected)
        assert shown(unit, day) == (without, expected)
