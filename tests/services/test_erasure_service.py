"""Erasure (GDPR art. 17) at the service level: ``forget_member`` removes a person with their links
and redacts their name, given names, phone and e-mail from every free text of their case; what is
kept (the others, their ties, the contacts and meetings themselves, other cases); the refusals,
which store nothing; ``purge_case`` and the retention list. Whether the bytes are gone from the file
and its WAL is the command's business (tests/cli/test_erasure.py). TODAY is 2026-11-25."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from icrctl.db.models import (
    Attendance,
    AuditEntry,
    Base,
    Case,
    CaseEvent,
    CasePartner,
    Contact,
    ContactPerson,
    Goal,
    Meeting,
    Member,
    MemberRelation,
    Partner,
    PhaseChange,
    SeriesAttendee,
    StageChange,
    load_all,
)
from icrctl.errors import InvalidValue, NotFound, RuleViolation
from icrctl.services import cases, contacts, erasure, goals, meetings, members, partners, phases
from icrctl.services.cases import CaseInput
from icrctl.services.context import Context
from icrctl.services.members import MemberInput
from icrctl.services.partners import PartnerInput
from tests.helpers import TODAY, Unit, fresh_case_file, rejected, snapshot

REF = "GO-2026-014"
OTHER = "GO-2026-099"
NAME = "Sanne de Vries"
PHONE = "06-11223344"
EMAIL = "sanne.devries@example.nl"
GONE = erasure.REDACTED
REASON = "verzoek art. 17 AVG"


# --- the family ----------------------------------------------------------------------------------


def _people(session: Session, ctx: Context, ref: str = REF) -> None:
    """A case with Sanne (m1, with phone and e-mail), Peter (m2) and Noor (m3)."""
    data = CaseInput(title="Familie De Vries", opened=date(2026, 3, 2), referrer="Wijkteam Oost")
    cases.create_case(session, ctx, ref, data)
    members.add_member(
        session, ctx, ref, MemberInput(name=NAME, role="victim", phone=PHONE, email=EMAIL)
    )
    members.add_member(session, ctx, ref, MemberInput(name="Peter de Vries", role="perpetrator"))
    members.add_member(session, ctx, ref, MemberInput(name="Noor de Vries", role="child"))


def _family(session: Session, ctx: Context) -> None:
    """Sanne appears everywhere a case keeps text or links: relations, the partner link, the
    phase and stage history, the closing texts, a series, a held and a cancelled meeting,
    contacts, a goal. And a second case has a different Sanne de Vries."""
    _people(session, ctx)
    cases.edit_case(session, ctx, REF, CaseInput(referrer="Wijkteam, melding van Sanne"))
    members.relate(session, ctx, REF, "m1", "ex_partner", "m2")
    members.relate(session, ctx, REF, "m1", "parent_of", "m3")
    members.relate(session, ctx, REF, "m2", "parent_of", "m3")
    partners.add_partner(
        session,
        ctx,
        PartnerInput(
            name="J. Bakker", organisation="Veilig Thuis", kind="veilig_thuis", key="vt-bakker"
        ),
    )
    partners.link_partner(
        session, ctx, REF, "vt-bakker", role="veiligheidsplan met Sanne", consent=True,
        coordination=f"Sanne belt zelf, {PHONE}",
    )  # fmt: skip
    phases.set_phase(session, ctx, REF, 3, "Peter bedreigde sanne opnieuw", date(2026, 6, 1))
    cases.close_case(
        session,
        ctx,
        REF,
        "Sanne en Noor zijn veilig",
        "Sanne heeft een plan",
        date(2026, 9, 1),
        force=True,
        reason="gezin verhuisd",
    )
    cases.reopen_case(session, ctx, REF, "Sanne meldt een nieuw incident", date(2026, 10, 1))
    meetings.schedule(
        session, ctx, REF, every="2w", weekday="tue", start=date(2026, 11, 3),
        attendees=["m1", "m2", "vt-bakker"],
    )  # fmt: skip
    meetings.cancel(session, ctx, REF, date(2026, 11, 3), "sanne is ziek")
    meetings.record(
        session, ctx, REF, day=date(2026, 11, 17), attended=["m1", "vt-bakker"], absent=["m2"],
        note="Sanne vertelt dat het rustiger is", risk=3,
    )  # fmt: skip
    contacts.log_contact(
        session, ctx, REF, f"Huisbezoek bij {NAME}, bereikbaar op {PHONE}", kind="visit",
        with_=["m1", "m3"],
    )  # fmt: skip
    contacts.log_contact(
        session, ctx, REF, f"Mail van {EMAIL} ontvangen", kind="email", with_=["m1"]
    )
    contacts.log_contact(
        session, ctx, REF, "Peter belde over de omgang met Noor", kind="phone", with_=["m2"]
    )
    goals.add_goal(
        session, ctx, REF, "SANNE voelt zich veilig thuis", who="Sanne, Veilig Thuis",
        what="Veiligheidsplan met Sanne",
    )  # fmt: skip
    _people(session, ctx, OTHER)  # another family, another Sanne de Vries
    contacts.log_contact(session, ctx, OTHER, "Sanne belt terug", kind="phone", with_=["m1"])


@pytest.fixture
def family(services: Unit) -> Unit:
    with services() as (session, ctx):
        _family(session, ctx)
    return services


def forget(unit: Unit, who: str = "m1", reason: str = REASON, ref: str = REF) -> erasure.Forgotten:
    with unit() as (session, ctx):
        return erasure.forget_member(session, ctx, ref, who, reason)


def column(unit: Unit, *columns: Any, ref: str = REF) -> list[Any]:
    """The values of ``columns`` (of one model) in the case ``ref``, in the order stored."""
    model = columns[0].class_
    with unit() as (session, _):
        case_id = session.scalar(select(Case.id).where(Case.ref == ref))
        query = select(*columns).where(model.case_id == case_id).order_by(model.id)
        rows = session.execute(query).all()
    return [row[0] if len(columns) == 1 else tuple(row) for row in rows]


def keys(unit: Unit, model: Any, ref: str = REF) -> list[str]:
    """The member key (or partner key) of each row of a link table of the case."""
    with unit() as (session, _):
        case_id = session.scalar(select(Case.id).where(Case.ref == ref))
        query = (
            select(Member.key, Partner.key)
            .select_from(model)
            .outerjoin(Member, Member.id == model.member_id)
            .outerjoin(Partner, Partner.id == model.partner_id)
        )
        if model is ContactPerson:
            query = query.join(Contact, Contact.id == model.contact_id).where(
                Contact.case_id == case_id
            )
        rows = session.execute(query.order_by(model.id)).all()
    return sorted(m or p for m, p in rows)


# --- forget: what goes -----------------------------------------------------------------------


def test_forget_removes_the_member_and_every_link(family: Unit) -> None:
    forgotten = forget(family)
    assert (forgotten.ref, forgotten.key) == (REF, "m1")
    assert column(family, Member.key, Member.name) == [
        ("m2", "Peter de Vries"),
        ("m3", "Noor de Vries"),
    ]
    with family() as (session, _):
        relations = members.relations(
            session, session.scalars(select(Case).where(Case.ref == REF)).one()
        )
        assert [(r.member, r.kind, r.other) for r in relations] == [("m2", "parent_of", "m3")]
        assert len(session.scalars(select(MemberRelation)).all()) == 1, "the other case has none"
    assert keys(family, SeriesAttendee) == ["m2", "vt-bakker"]
    assert keys(family, Attendance) == ["m2", "vt-bakker"]
    assert keys(family, ContactPerson) == ["m2", "m3"]


def test_forget_redacts_the_person_from_every_text_of_the_case(family: Unit) -> None:
    forgotten = forget(family)
    assert column(family, Contact.note) == [
        f"Huisbezoek bij {GONE}, bereikbaar op {GONE}",
        f"Mail van {GONE} ontvangen",
        "Peter belde over de omgang met Noor",
    ]
    assert column(family, Meeting.date, Meeting.reason, Meeting.note) == [
        (date(2026, 11, 3), f"{GONE} is ziek", None),
        (date(2026, 11, 17), None, f"{GONE} vertelt dat het rustiger is"),
    ]
    assert column(family, Goal.goal, Goal.who, Goal.what) == [
        (f"{GONE} voelt zich veilig thuis", f"{GONE}, Veilig Thuis", f"Veiligheidsplan met {GONE}")
    ]
    assert column(family, PhaseChange.reason)[-1] == f"Peter bedreigde {GONE} opnieuw"
    assert column(family, StageChange.reason)[-1] == f"{GONE} meldt een nieuw incident"
    assert column(family, CaseEvent.kind, CaseEvent.new, CaseEvent.reason) == [
        ("closed", f"{GONE} en Noor zijn veilig", f"{GONE} heeft een plan"),
        ("reopened", None, f"{GONE} meldt een nieuw incident"),
    ]
    assert column(family, CasePartner.role, CasePartner.coordination) == [
        (f"veiligheidsplan met {GONE}", f"{GONE} belt zelf, {GONE}")
    ]
    with family() as (session, _):
        case = session.scalars(select(Case).where(Case.ref == REF)).one()
        assert (case.title, case.referrer) == ("Familie De Vries", f"Wijkteam, melding van {GONE}")
    # The columns it changed: 2 contact notes, a meeting's reason and another's note, the goal's
    # 3, a phase reason, a stage reason, 3 in case events, the partner link's 2, the referrer.
    assert forgotten.texts_redacted == 15


def test_nothing_in_the_file_names_the_person_afterwards(family: Unit) -> None:
    """Every text of every table, the audit log included: only the other case's own Sanne de
    Vries is left."""
    forget(family)
    trace = re.compile(rf"sanne|{re.escape(PHONE)}|{re.escape(EMAIL)}", re.IGNORECASE)
    found = sorted(
        (table, value)
        for table, rows in snapshot(family.path)["rows"].items()
        for row in rows
        for value in row
        if isinstance(value, str) and trace.search(value)
    )
    assert found == sorted(
        [
            ("contacts", "Sanne belt terug"),
            ("members", NAME),
            ("members", PHONE),
            ("members", EMAIL),
        ]
    )
    assert column(family, Contact.note, ref=OTHER) == ["Sanne belt terug"]
    assert column(family, Member.name, ref=OTHER)[0] == NAME


def test_the_audit_log_keeps_only_that_an_erasure_happened(family: Unit) -> None:
    with family() as (session, _):
        before = len(session.scalars(select(AuditEntry)).all())
    forget(family)
    with family() as (session, _):
        entries = session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert len(entries) == before + 1
    last = entries[-1]
    assert (last.action, last.entity, last.ref, last.fields) == (
        "erase",
        "member",
        REF,
        f"reason: {REASON}",
    )
    text = " ".join(f"{e.command} {e.fields}" for e in entries)
    for trace in ("Sanne", PHONE, EMAIL):
        assert trace not in text


# --- forget: what stays ----------------------------------------------------------------------


def test_the_others_their_ties_and_the_records_themselves_stay(family: Unit) -> None:
    counts = {m: len(column(family, m.id)) for m in (Contact, Meeting, Goal, PhaseChange)}
    forget(family)
    assert {m: len(column(family, m.id)) for m in counts} == counts
    assert column(family, Meeting.risk) == [None, 3], "the scores of the meeting stay"
    with family() as (session, _):
        partner = session.scalars(select(Partner)).one()
        assert (partner.key, partner.name) == ("vt-bakker", "J. Bakker")


def test_another_case_is_not_touched(family: Unit) -> None:
    def other_case() -> Any:
        return (
            column(family, Member.key, Member.name, Member.phone, Member.email, ref=OTHER),
            column(family, Contact.note, ref=OTHER),
            keys(family, ContactPerson, ref=OTHER),
        )

    before = other_case()
    forget(family)
    assert other_case() == before
    assert before[1] == ["Sanne belt terug"]


def test_the_family_name_is_not_the_persons_alone(services: Unit) -> None:
    with services() as (session, ctx):
        _people(session, ctx)
        contacts.log_contact(
            session, ctx, REF, "Gesprek met familie De Vries; Sanne afwezig", kind="visit"
        )
    forget(services, reason="verzoek namens familie De Vries")  # the family name may be named
    assert column(services, Contact.note) == [f"Gesprek met familie De Vries; {GONE} afwezig"]


def test_forget_by_exact_name_and_on_a_closed_case(services: Unit) -> None:
    with services() as (session, ctx):
        _people(session, ctx)
        cases.close_case(
            session,
            ctx,
            REF,
            "Sanne is veilig.",
            "Plan bij Sanne.",
            None,
            force=True,
            reason="gezin verhuisd",
        )
    forget(services, NAME)
    with services() as (session, _):
        case = session.scalars(select(Case).where(Case.ref == REF)).one()
        assert (case.closing_summary, case.closing_safety) == (
            f"{GONE} is veilig.",
            f"Plan bij {GONE}.",
        )
    assert column(services, Member.key) == ["m2", "m3"]


def test_words_that_only_contain_a_name_stay(services: Unit) -> None:
    with services() as (session, ctx):
        _people(session, ctx)
        contacts.log_contact(
            session, ctx, REF, "Susanne en Sanneke belden; sanne-achtig; SANNE!", kind="phone"
        )
    forget(services)
    assert column(services, Contact.note) == [f"Susanne en Sanneke belden; {GONE}-achtig; {GONE}!"]


def test_the_number_written_another_way_is_redacted_too(services: Unit) -> None:
    with services() as (session, ctx):
        _people(session, ctx)
        note = "bel 0611223344 of 06 11223344 of +31 6 1122 3344 of 0031611223344"
        contacts.log_contact(session, ctx, REF, note, kind="phone")
    forget(services)
    assert column(services, Contact.note) == [f"bel {GONE} of {GONE} of {GONE} of {GONE}"]


@pytest.mark.xfail(
    strict=True,
    reason="only whole tokens of the name are matched: the Dutch genitive (Sannes) stays",
)
def test_other_forms_of_the_name_are_redacted_too(services: Unit) -> None:
    with services() as (session, ctx):
        _people(session, ctx)
        contacts.log_contact(session, ctx, REF, "Sannes moeder belde", kind="phone")
    forget(services)
    [note] = column(services, Contact.note)
    assert "Sanne" not in note


# --- forget: refusals ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "reason",
    [
        "Sanne wil het",
        "verzoek van sanne de vries",
        f"belde vanaf {PHONE}",
        f"mail {EMAIL.upper()}",
    ],
)
def test_a_reason_that_names_the_person_is_refused(family: Unit, reason: str) -> None:
    rejected(
        family, InvalidValue,
        lambda s, c: erasure.forget_member(s, c, REF, "m1", reason),
        match="the reason names the person; the audit log must not hold their name",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("ref", "who", "reason", "error", "match"),
    [
        (REF, "m9", REASON, NotFound, f"no member 'm9' in case {REF}"),
        ("GO-404", "m1", REASON, NotFound, "no case 'GO-404'"),
        (REF, "m1", "   ", InvalidValue, "reason must not be empty"),
        (REF, "m1", "verzoek\x1b[0m", InvalidValue, "reason contains a control character"),
    ],
)
def test_forget_refusals_change_nothing(
    family: Unit, ref: str, who: str, reason: str, error: type[Exception], match: str
) -> None:
    rejected(family, error, lambda s, c: erasure.forget_member(s, c, ref, who, reason), match=match)


def test_an_ambiguous_name_is_refused(services: Unit) -> None:
    with services() as (session, ctx):
        _people(session, ctx)
        members.add_member(session, ctx, REF, MemberInput(name=NAME, role="network"))
    rejected(
        services, InvalidValue, lambda s, c: erasure.forget_member(s, c, REF, NAME, REASON),
        match="2 members of GO-2026-014 are named 'Sanne de Vries'; use a key (m1, m4)",
    )  # fmt: skip


# --- what names a person -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "phone", "email", "found"),
    [
        (NAME, PHONE, EMAIL, [EMAIL, NAME, PHONE, "Sanne"]),
        ("Jan Willem van den Berg", None, None, ["Jan Willem van den Berg", "Willem", "Jan"]),
        ("Ayşe Yılmaz", None, None, ["Ayşe Yılmaz", "Ayşe"]),
        ("J Bakker", None, "j@x.nl", ["J Bakker", "j@x.nl"]),  # one letter names nobody
        ("Oma", "06", None, ["Oma"]),  # two digits identify nobody
        ("Anne-Marie 't Hart", None, None, ["Anne-Marie 't Hart", "Anne-Marie"]),
    ],
)
def test_the_traces_of_a_person(
    name: str, phone: str | None, email: str | None, found: list[str]
) -> None:
    assert erasure.traces(Member(name=name, phone=phone, email=email)) == found


# --- any text --------------------------------------------------------------------------------

WORDS = ["Sanne", "sanne", "SANNE", "de", "De", "Vries", "Peter", "Noor", "belde", ",", ".", PHONE]
WORDS += [EMAIL, EMAIL.upper(), "Susanne", "0611223344", "+31611223344", "2", "0622334455"]
WORDS += ["Sánne", "ＳＡＮＮＥ"]


def redacted(words: list[str]) -> list[str]:
    """What forgetting Sanne leaves of these words: her full name (any case, with or without
    accents, full-width) becomes one ``[verwijderd]``, so do her given name, her phone however
    written and her e-mail; nothing else changes (another number, a lone digit)."""
    out, i = [], 0
    traces = {"sanne", PHONE, EMAIL, "0611223344", "+31611223344"}

    def plain(word: str) -> str:
        return {"Sánne": "sanne", "ＳＡＮＮＥ": "sanne"}.get(word, word.lower())

    while i < len(words):
        if [plain(w) for w in words[i : i + 3]] == ["sanne", "de", "vries"]:
            out.append(GONE)
            i += 3
            continue
        out.append(GONE if plain(words[i]) in traces else words[i])
        i += 1
    return out


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=12))
@example(words=["0611223344", "2"])  # a number followed by a figure was read as one number
@example(words=["06-11223344", ".", "06-11223344"])  # the full stop between went with them
def test_any_note_loses_exactly_the_persons_traces(words: list[str]) -> None:
    note = " ".join(words)
    with fresh_case_file(_people) as unit:
        with unit() as (session, ctx):
            contacts.log_contact(session, ctx, REF, note, kind="visit")
        forgotten = forget(unit)
        [after] = column(unit, Contact.note)
    expected = " ".join(redacted(words))
    assert after == expected
    assert forgotten.texts_redacted == (expected != note)


# --- purge -----------------------------------------------------------------------------------


@pytest.fixture
def closed(family: Unit) -> Unit:
    with family() as (session, ctx):
        cases.close_case(
            session,
            ctx,
            REF,
            "Doelen bereikt.",
            "Veilig.",
            date(2026, 11, 20),
            force=True,
            reason="gezin verhuisd",
        )
    return family


def purge(unit: Unit, ref: str = REF, reason: str = "bewaartermijn verstreken") -> str:
    with unit() as (session, ctx):
        return erasure.purge_case(session, ctx, ref, reason)


def test_purge_removes_the_case_and_everything_in_it(closed: Unit) -> None:
    def refs() -> list[str | None]:
        with closed() as (session, _):
            return list(session.scalars(select(AuditEntry.ref).order_by(AuditEntry.id)))

    with closed() as (session, _):
        gone = session.scalar(select(Case.id).where(Case.ref == REF))
    logged = refs()
    other = (column(closed, Member.key, ref=OTHER), keys(closed, ContactPerson, ref=OTHER))
    assert purge(closed) == REF
    with closed() as (session, _):
        load_all()
        for table in Base.metadata.sorted_tables:
            if "case_id" in table.c:
                query = select(func.count()).select_from(table).where(table.c.case_id == gone)
                assert session.scalar(query) == 0, table.name
        assert session.scalars(select(Attendance)).all() == []
        assert session.scalars(select(SeriesAttendee)).all() == []
        assert session.scalars(select(Case.ref)).all() == [OTHER]
        assert session.scalars(select(Partner.key)).all() == ["vt-bakker"], "the directory stays"
        last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert (column(closed, Member.key, ref=OTHER), keys(closed, ContactPerson, ref=OTHER)) == other
    # The case's audit entries stay, without its ref; one more says that it was purged.
    assert refs() == [None if r == REF else r for r in logged] + [None]
    assert last is not None
    assert (last.action, last.entity, last.fields) == (
        "erase",
        "case",
        "reason: bewaartermijn verstreken",
    )


def test_only_a_closed_case_is_purged(family: Unit) -> None:
    rejected(
        family, RuleViolation, lambda s, c: erasure.purge_case(s, c, REF, "klaar"),
        match=f"case {REF} is not closed; only a closed case can be purged",
    )  # fmt: skip


@pytest.mark.parametrize(
    "reason",
    ["Familie De Vries verhuisd", "verzoek van Sanne", f"dossier {REF}", "de vries", "Noor"],
)
def test_a_purge_reason_that_names_the_case_or_its_people_is_refused(
    closed: Unit, reason: str
) -> None:
    rejected(
        closed, InvalidValue, lambda s, c: erasure.purge_case(s, c, REF, reason),
        match="the reason names the case or its people",
    )  # fmt: skip


def test_an_unknown_case_cannot_be_purged(closed: Unit) -> None:
    rejected(
        closed, NotFound, lambda s, c: erasure.purge_case(s, c, "GO-404", "klaar"),
        match="no case 'GO-404'",
    )  # fmt: skip


# --- retention -------------------------------------------------------------------------------


def test_closing_sets_a_retention_end_and_past_ones_are_listed(services: Unit) -> None:
    with services() as (session, ctx):
        for ref, closed_on in (("GO-A", date(2026, 1, 5)), ("GO-B", date(2026, 2, 2))):
            cases.create_case(
                session, ctx, ref, CaseInput(title="Familie", opened=date(2026, 1, 5))
            )
            cases.close_case(
                session,
                ctx,
                ref,
                "Klaar.",
                "Veilig.",
                closed_on,
                force=True,
                reason="gezin verhuisd",
            )
        cases.create_case(session, ctx, "GO-C", CaseInput(title="Familie", opened=date(2026, 1, 5)))
        cases.create_case(session, ctx, "GO-D", CaseInput(title="Familie", opened=date(2026, 1, 5)))
        cases.close_case(
            session,
            ctx,
            "GO-D",
            "Klaar.",
            "Veilig.",
            date(2026, 1, 5),
            force=True,
            reason="gezin verhuisd",
        )
        closed = session.scalars(select(Case.retention_until).where(Case.ref == "GO-A")).one()
        assert closed == date(2046, 1, 5), "twenty years by default"
        assert erasure.past_retention(session, ctx) == []
    for ref, until in (("GO-A", date(2026, 6, 1)), ("GO-B", date(2026, 3, 1)), ("GO-D", TODAY)):
        with services() as (session, ctx):
            cases.edit_case(session, ctx, ref, CaseInput(retention_until=until))
    with services() as (session, ctx):
        rows = erasure.past_retention(session, ctx)
    assert [(r.ref, r.retention_until, r.days_past) for r in rows] == [
        ("GO-B", date(2026, 3, 1), (TODAY - date(2026, 3, 1)).days),
        ("GO-A", date(2026, 6, 1), (TODAY - date(2026, 6, 1)).days),
    ]  # GO-C is open; GO-D's end is today, not past
