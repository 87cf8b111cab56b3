"""The refusals of the case, people, goal, contact and document services read Dutch when icrctl
speaks Dutch: translated when raised, with the canonical words in prose (a stage, a goal status, a
relation) in Dutch too, while the English stays the English it was."""

from __future__ import annotations

from datetime import date

import pytest

from icrctl import i18n
from icrctl.errors import Conflict, InvalidValue, NotFound, RuleViolation
from icrctl.services import cases, contacts, documents, goals, lookup, members, partners
from icrctl.services.members import MemberInput
from icrctl.services.partners import PartnerInput
from tests.helpers import TODAY, Unit, rejected


@pytest.fixture
def dutch(family: str, services: Unit) -> None:
    """Speak Dutch in this test (the autouse fixture speaks English again before the next): after
    the family case is made, since making it (the first time) runs the CLI in English."""
    i18n.use("nl")


def dutch_only(error: Exception, *words: str, english: str) -> str:
    """The refusal's text, which holds every one of ``words`` and not the ``english`` id."""
    text = str(error)
    for word in words:
        assert word in text, text
    assert english not in text, text
    return text


# ---------------------------------------------------------------- lookup


@pytest.mark.usefixtures("dutch")
def test_unknown_case_member_and_partner_read_dutch(family: str, services: Unit) -> None:
    gone = rejected(services, NotFound, lambda s, c: lookup.get_case(s, "GO-0000-000"))
    assert dutch_only(gone, "geen casus", "toont de refs", english="shows the refs") == (
        "geen casus 'GO-0000-000'; 'icrctl case list --all' toont de refs"
    )
    member = rejected(
        services, NotFound, lambda s, c: lookup.find_member(s, lookup.get_case(s, family), "Kees")
    )
    dutch_only(member, "geen betrokkene 'Kees'", f"casus {family}", english="no member")
    partner = rejected(services, NotFound, lambda s, c: lookup.find_partner(s, "nobody"))
    dutch_only(partner, "geen ketenpartner", "adresboek", english="directory")


@pytest.mark.usefixtures("dutch")
def test_two_members_of_one_name_is_a_dutch_plural(family: str, services: Unit) -> None:
    with services() as (session, ctx):
        members.add_member(session, ctx, family, MemberInput(name="Sanne de Vries", role="kind"))
    twice = rejected(
        services,
        InvalidValue,
        lambda s, c: lookup.find_member(s, lookup.get_case(s, family), "Sanne de Vries"),
    )
    assert str(twice) == (
        f"2 betrokkenen van {family} heten 'Sanne de Vries'; gebruik een sleutel (m1, m4)"
    )


@pytest.mark.usefixtures("dutch")
def test_someone_neither_member_nor_partner_reads_dutch(family: str, services: Unit) -> None:
    nobody = rejected(
        services,
        NotFound,
        lambda s, c: contacts.log_contact(s, c, family, "gebeld", kind="telefoon", with_=["x"]),
    )
    dutch_only(nobody, "geen betrokkene en geen ketenpartner", english="neither")


@pytest.mark.usefixtures("dutch")
def test_a_contact_in_the_future_names_its_date_in_dutch(family: str, services: Unit) -> None:
    later = rejected(
        services,
        InvalidValue,
        lambda s, c: contacts.log_contact(
            s, c, family, "gebeld", kind="phone", day=date(2027, 1, 4)
        ),
    )
    dutch_only(later, "de datum van een contact", english="a contact's date")


# ---------------------------------------------------------------- cases


@pytest.mark.usefixtures("dutch")
def test_case_refusals_read_dutch(family: str, services: Unit) -> None:
    twice = rejected(
        services,
        Conflict,
        lambda s, c: cases.create_case(s, c, family, cases.CaseInput(title="Nog eens")),
    )
    assert str(twice) == f"casus {family} bestaat al"
    spaced = rejected(
        services,
        InvalidValue,
        lambda s, c: cases.create_case(s, c, "GO 1", cases.CaseInput(title="x")),
    )
    dutch_only(spaced, "mag geen spaties bevatten", english="must not contain")
    untitled = rejected(
        services, InvalidValue, lambda s, c: cases.create_case(s, c, "GO-1", cases.CaseInput())
    )
    assert str(untitled) == "een casus heeft een --title nodig"
    phase = rejected(
        services,
        RuleViolation,
        lambda s, c: cases.edit_case(s, c, family, cases.CaseInput(phase=3)),
    )
    dutch_only(phase, "fasewisseling", f"'icrctl phase set {family} 3 --reason …'", english="needs")


@pytest.mark.usefixtures("dutch")
def test_the_stage_a_case_is_already_in_reads_dutch(family: str, services: Unit) -> None:
    same = rejected(
        services,
        RuleViolation,
        lambda s, c: cases.set_stage(s, c, family, "inventarisatie", None),
    )
    assert str(same) == f"casus {family} staat al in werkfase inventarisatie"
    assert "inventory" not in str(same)


@pytest.mark.usefixtures("dutch")
def test_a_closed_case_refuses_work_in_dutch(family: str, services: Unit) -> None:
    with services() as (session, ctx):
        cases.close_case(
            session,
            ctx,
            family,
            "Rust in het gezin.",
            "Veiligheidsplan loopt.",
            None,
            force=True,
            reason="gezin verhuisd",
        )
    closed = rejected(services, RuleViolation, lambda s, c: goals.add_goal(s, c, family, "Rust"))
    assert str(closed) == f"casus {family} is gesloten; eerst 'icrctl case reopen'"
    again = rejected(
        services, RuleViolation, lambda s, c: cases.close_case(s, c, family, "x", "y", None)
    )
    assert str(again) == f"casus {family} is al gesloten"
    early = rejected(
        services,
        RuleViolation,
        lambda s, c: cases.reopen_case(s, c, family, "nieuwe melding", date(2026, 3, 3)),
    )
    dutch_only(early, "ligt vóór de sluiting van de casus", english="lies before")


# ---------------------------------------------------------------- members and partners


@pytest.mark.usefixtures("dutch")
def test_member_refusals_read_dutch(family: str, services: Unit) -> None:
    nameless = rejected(
        services, InvalidValue, lambda s, c: members.add_member(s, c, family, MemberInput())
    )
    assert str(nameless) == "een betrokkene heeft een naam en een --role nodig"
    taken = rejected(
        services,
        Conflict,
        lambda s, c: members.add_member(
            s, c, family, MemberInput(name="Oma", role="oma", key="m2")
        ),
    )
    assert str(taken) == f"casus {family} heeft al een betrokkene m2"
    self_ = rejected(
        services, InvalidValue, lambda s, c: members.relate(s, c, family, "m1", "partner", "m1")
    )
    assert str(self_) == "m1 kan geen relatie met zichzelf hebben"


@pytest.mark.usefixtures("dutch")
def test_a_relation_recorded_twice_names_it_in_dutch(family: str, services: Unit) -> None:
    with services() as (session, ctx):
        said = members.relate(session, ctx, family, "m1", "moeder_van", "m3")
    assert said == "m1 ouder van m3"
    twice = rejected(
        services, Conflict, lambda s, c: members.relate(s, c, family, "m1", "parent_of", "m3")
    )
    assert str(twice) == "m1 ouder van m3 is al vastgelegd"
    back = rejected(
        services, InvalidValue, lambda s, c: members.relate(s, c, family, "m3", "ouder_van", "m1")
    )
    dutch_only(back, "staat vastgelegd als ouder van m3", english="recorded as parent")


@pytest.mark.usefixtures("dutch")
def test_a_member_with_history_stays_in_dutch_singular_and_plural(
    family: str, services: Unit
) -> None:
    with services() as (session, ctx):
        contacts.log_contact(session, ctx, family, "huisbezoek", kind="visit", with_=["m1"])
    once = rejected(services, RuleViolation, lambda s, c: members.remove_member(s, c, family, "m1"))
    dutch_only(once, "m1 komt voor in 1 evaluatie of contact;", "AVG", english="GDPR")
    with services() as (session, ctx):
        contacts.log_contact(session, ctx, family, "gebeld", kind="phone", with_=["m1"])
    twice = rejected(
        services, RuleViolation, lambda s, c: members.remove_member(s, c, family, "m1")
    )
    dutch_only(twice, "m1 komt voor in 2 evaluaties of contacten;", english="records")


@pytest.mark.usefixtures("dutch")
def test_partner_refusals_read_dutch(family: str, services: Unit) -> None:
    incomplete = rejected(
        services, InvalidValue, lambda s, c: partners.add_partner(s, c, PartnerInput(name="X"))
    )
    assert str(incomplete) == (
        "een ketenpartner heeft een naam, een --organisation en een --kind nodig"
    )
    twin = rejected(
        services,
        Conflict,
        lambda s, c: partners.add_partner(
            s,
            c,
            PartnerInput(
                name="J. Bakker", organisation="Veilig Thuis Rotterdam Rijnmond", kind="wijkteam"
            ),
        ),
    )
    assert str(twin) == (
        "J. Bakker van Veilig Thuis Rotterdam Rijnmond staat al in het adresboek als vt-bakker"
    )
    rekey = rejected(
        services,
        InvalidValue,
        lambda s, c: partners.edit_partner(s, c, "vt-bakker", PartnerInput(key="vt")),
    )
    dutch_only(rekey, "verandert niet", english="does not change")
    with services() as (session, ctx):
        partners.add_partner(
            session, ctx, PartnerInput(name="A. Vos", organisation="GGD", kind="jgz", key="vos")
        )
    unlinked = rejected(
        services, NotFound, lambda s, c: partners.unlink_partner(s, c, family, "vos")
    )
    assert str(unlinked) == f"ketenpartner vos is niet gekoppeld aan casus {family}"


# ---------------------------------------------------------------- goals and documents


@pytest.mark.usefixtures("dutch")
def test_goal_refusals_read_dutch_with_the_status_in_dutch(family: str, services: Unit) -> None:
    missing = rejected(
        services, NotFound, lambda s, c: goals.set_status(s, c, family, 7, "behaald")
    )
    assert str(missing) == f"casus {family} heeft geen doel 7; zie 'icrctl goal list {family}'"
    with services() as (session, ctx):
        goals.add_goal(session, ctx, family, "Een veiligheidsplan")
        goals.set_status(session, ctx, family, 1, "achieved")
    again = rejected(
        services, RuleViolation, lambda s, c: goals.set_status(s, c, family, 1, "bereikt")
    )
    assert str(again) == f"doel 1 van {family} is al behaald"
    both = rejected(
        services,
        InvalidValue,
        lambda s, c: goals.edit_goal(s, c, family, 1, due=TODAY, clear_due=True),
    )
    assert str(both) == "geef --due of --no-due, niet allebei"


@pytest.mark.usefixtures("dutch")
def test_a_werkplan_without_consent_is_refused_in_dutch(family: str, services: Unit) -> None:
    with services() as (session, ctx):
        partners.add_partner(
            session, ctx, PartnerInput(name="A. Vos", organisation="GGD", kind="jgz", key="vos")
        )
        partners.link_partner(session, ctx, family, "vos", role="jgz")
    refused = rejected(
        services, RuleViolation, lambda s, c: documents.werkplan(s, c, family, for_partner="vos")
    )
    dutch_only(
        refused,
        "de cliënt heeft geen toestemming gegeven",
        "A. Vos (GGD)",
        f"'icrctl partner link {family} vos --consent'",
        english="consented",
    )


# ---------------------------------------------------------------- English stays


def test_the_english_is_the_english_it_was(family: str, services: Unit) -> None:
    same = rejected(
        services, RuleViolation, lambda s, c: cases.set_stage(s, c, family, "inventarisatie", None)
    )
    assert str(same) == f"case {family} is already in stage inventory"
    with services() as (session, ctx):
        goals.add_goal(session, ctx, family, "Rust")
        goals.set_status(session, ctx, family, 1, "dropped")
    again = rejected(
        services, RuleViolation, lambda s, c: goals.set_status(s, c, family, 1, "vervallen")
    )
    assert str(again) == f"goal 1 of {family} is already dropped"
    gone = rejected(services, NotFound, lambda s, c: lookup.get_case(s, "GO-0000-000"))
    assert str(gone) == "no case 'GO-0000-000'; 'icrctl case list --all' shows the refs"
