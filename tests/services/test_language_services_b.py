"""The evaluation, phase, erasure, doctor, caseload, calendar and import services speak Dutch when
icrctl does: their refusals and the texts they make for display are translated when made, with
the canonical words in prose (a meeting's status, a presence, a contact's kind) in Dutch too.
What a machine reads does not change with the language: an .ics file's UIDs, sequences and
statuses are the same in both, so a calendar re-imported in the other language updates the same
events."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from icrctl import i18n
from icrctl.errors import (
    CaseFileError,
    Conflict,
    ImportErrors,
    InvalidValue,
    NotFound,
    RuleViolation,
)
from icrctl.io.importfile import read_import
from icrctl.services import caseload, doctor, erasure, evaluation_view, meetings, phases
from icrctl.services.calendar import export_ics
from icrctl.services.contacts import log_contact
from icrctl.services.importer import import_records
from tests.helpers import POSTGRES, TODAY, Unit, case_file, rejected

TUESDAY = date(2026, 12, 1)  # the first Tuesday after TODAY (Wednesday 25 November 2026)


@pytest.fixture
def dutch(family: str, services: Unit) -> None:
    """Speak Dutch in this test (the autouse fixture speaks English again before the next): after
    the family case is made, since making it (the first time) runs the CLI in English."""
    i18n.use("nl")


@pytest.fixture
def two_series(family: str, services: Unit) -> str:
    """The family case with two weekly series on Tuesdays from 1 December, at 10:00 (series 1)
    and at 14:00 (series 2), both inviting the mother (m1) and Veilig Thuis."""
    with services() as (session, ctx):
        for time in ("10:00", "14:00"):
            meetings.schedule(
                session,
                ctx,
                family,
                every="1w",
                weekday="tue",
                time=time,
                start=TUESDAY,
                attendees=["m1", "vt-bakker"],
            )
    return family


def dutch_only(error: Exception | str, *words: str, english: str) -> str:
    """The text, which holds every one of ``words`` and not the ``english`` id."""
    text = str(error)
    for word in words:
        assert word in text, text
    assert english not in text, text
    return text


# ---------------------------------------------------------------- meetings and eval show


@pytest.mark.usefixtures("dutch")
def test_which_of_two_evaluations_reads_dutch(two_series: str, services: Unit) -> None:
    ref = two_series
    which = rejected(services, InvalidValue, lambda s, c: meetings.cancel(s, c, ref, TUESDAY, None))
    assert dutch_only(which, english="evaluations on") == (
        f"casus {ref} heeft 2 evaluaties op 2026-12-01 (reeks 1 om 10:00; reeks 2 om 14:00): "
        "geef --time, of --series 1 of 2"
    )
    shown = rejected(
        services, InvalidValue, lambda s, c: evaluation_view.show_evaluation(s, c, ref, TUESDAY)
    )
    dutch_only(shown, "heeft 2 evaluaties", "geef --series 1 of 2", english=" or ")
    none = rejected(
        services,
        NotFound,
        lambda s, c: evaluation_view.show_evaluation(s, c, ref, TUESDAY + timedelta(days=1)),
    )
    assert str(none) == f"casus {ref} heeft geen evaluatie op 2026-12-02"


@pytest.mark.usefixtures("dutch")
def test_a_status_in_a_refusal_reads_dutch(two_series: str, services: Unit) -> None:
    ref = two_series
    clash = rejected(
        services,
        Conflict,
        lambda s, c: meetings.move(s, c, ref, TUESDAY, TUESDAY, "14:00", series=1),
    )
    assert dutch_only(clash, english="planned") == (
        f"casus {ref} heeft al een evaluatie (gepland) op 2026-12-01 om 14:00; geef een andere "
        "--time"
    )
    with services() as (session, ctx):
        meetings.cancel(session, ctx, ref, TUESDAY, "ziek", time="10:00")
    again = rejected(
        services,
        RuleViolation,
        lambda s, c: meetings.cancel(s, c, ref, TUESDAY, None, time="10:00"),
    )
    assert dutch_only(again, english="cancelled") == "de evaluatie van 2026-12-01 is al afgelast"
    stuck = rejected(
        services,
        RuleViolation,
        lambda s, c: meetings.move(s, c, ref, TUESDAY, TUESDAY, "11:00", series=1),
    )
    dutch_only(stuck, "is afgelast", "niet worden verplaatst", english="cannot move")


@pytest.mark.usefixtures("dutch")
def test_recording_refusals_read_dutch(family: str, services: Unit) -> None:
    both = rejected(
        services,
        InvalidValue,
        lambda s, c: meetings.record(s, c, family, day=TODAY, attended=["m1"], absent=["m1"]),
    )
    assert dutch_only(both, english="attended") == "m1 is zowel aanwezig als afwezig"
    score = rejected(
        services, InvalidValue, lambda s, c: meetings.record(s, c, family, day=TODAY, risk=7)
    )
    assert dutch_only(score, english="must be") == "risico moet 1 tot en met 5 zijn, niet 7"
    future = rejected(
        services,
        InvalidValue,
        lambda s, c: meetings.record(s, c, family, day=TODAY + timedelta(days=1)),
    )
    dutch_only(future, "ligt in de toekomst", english="is in the future")
    nothing = rejected(services, NotFound, lambda s, c: meetings.record(s, c, family))
    dutch_only(nothing, "extra evaluatie", "geef --date", english="unrecorded")
    stop = rejected(services, NotFound, lambda s, c: meetings.stop(s, c, family, None))
    dutch_only(stop, "geen lopende evaluatiereeks", english="running")


# ---------------------------------------------------------------- phases and erasure


@pytest.mark.usefixtures("dutch")
def test_phase_refusals_read_dutch(family: str, services: Unit) -> None:
    why = rejected(services, InvalidValue, lambda s, c: phases.set_phase(s, c, family, 3, None))
    assert dutch_only(why, english="needs a") == (
        "geef bij een fasewisseling een reden (--reason): die komt in de fasegeschiedenis"
    )
    later = rejected(
        services,
        RuleViolation,
        lambda s, c: phases.set_phase(s, c, family, 3, "x", TODAY + timedelta(days=1)),
    )
    dutch_only(later, "fasewisseling", "toekomst", english="future")
    item = rejected(services, NotFound, lambda s, c: phases.inform(s, c, family, "aov"))
    assert dutch_only(item, english="items") == (
        f"casus {family} heeft geen checklistpunt 'aov' (punten: geen)"
    )
    empty = rejected(services, InvalidValue, lambda s, c: phases.inform(s, c, family, " , "))
    dutch_only(empty, "checklistpunt", "bijvoorbeeld aov", english="tick off")


@pytest.mark.usefixtures("dutch")
def test_erasure_refusals_read_dutch(family: str, services: Unit) -> None:
    open_case = rejected(
        services,
        RuleViolation,
        lambda s, c: erasure.purge_case(s, c, family, "bewaartermijn verstreken"),
    )
    assert dutch_only(open_case, english="purged") == (
        f"casus {family} is niet gesloten; alleen een gesloten casus kan volledig worden verwijderd"
    )
    named = rejected(
        services,
        InvalidValue,
        lambda s, c: erasure.forget_member(s, c, family, "m1", "verzoek van Sanne"),
    )
    dutch_only(named, "de reden noemt de persoon", "auditlog", english="audit log")


# ---------------------------------------------------------------- doctor


@pytest.mark.usefixtures("dutch")
def test_doctor_findings_read_dutch(db_path: Path, tmp_path: Path) -> None:
    if POSTGRES:  # a team database: the file's own checks are one row saying they are not run
        report = doctor.examine_server(case_file())
        first = ["bestandscontroles", "schemaversie"]
    else:
        report = doctor.examine(db_path)
        first = [
            "bestandsrechten",
            "integriteitscontrole van SQLite",
            "verwijzingen tussen tabellen (foreign keys)",
            "schemaversie",
        ]
    assert report.ok
    checks = [f.check for f in report.findings]
    assert checks[: len(first)] == first
    assert "keten van het auditlog" in checks
    assert "scores liggen tussen 1 en 5" in checks
    assert not any("every case" in c or "audit log" in c for c in checks), checks
    assert report.findings[len(first) - 1].detail.endswith("(actueel)")
    with pytest.raises(CaseFileError) as missing:
        doctor.examine(tmp_path / "elders.db")
    dutch_only(missing.value, "er is geen casusbestand op", english="there is no")


# ---------------------------------------------------------------- the week printout


@pytest.mark.usefixtures("dutch")
def test_what_changed_this_week_reads_dutch(family: str, services: Unit) -> None:
    with services() as (session, ctx):
        log_contact(session, ctx, family, "moeder gebeld", kind="phone", signal=True)
        meetings.record(session, ctx, family, day=TODAY, attended=["m1"], risk=3)
        report = caseload.week(session, ctx)
    (case,) = report.cases
    changes = [c.what for c in case.changes]
    assert "contact: telefoon (veiligheidssignaal)" in changes
    assert "evaluatie gehouden (risico 3)" in changes
    assert not any("safety" in c or "held" in c for c in changes), changes


def test_what_changed_this_week_stays_english_in_english(family: str, services: Unit) -> None:
    with services() as (session, ctx):
        log_contact(session, ctx, family, "moeder gebeld", kind="phone", signal=True)
        meetings.record(session, ctx, family, day=TODAY, risk=3)
        report = caseload.week(session, ctx)
    changes = [c.what for c in report.cases[0].changes]
    assert changes == ["contact: phone (safety signal)", "evaluation held (risk 3)"]


# ---------------------------------------------------------------- import errors

UNKNOWN_PARTNER = """\
version: 1
cases:
  - ref: GO-2026-003
    title: Familie Oost
    opened: 2026-04-01
    phase: 2
    partners:
      - {partner: nobody}
    meetings:
      - {date: 2026-05-05, status: cancelled}
"""


@pytest.mark.usefixtures("dutch")
def test_an_import_files_errors_read_dutch(services: Unit) -> None:
    doc = read_import(io.StringIO(UNKNOWN_PARTNER), "oost.yaml", TODAY)
    with pytest.raises(ImportErrors) as caught, services() as (session, ctx):
        import_records(session, ctx, doc, "oost.yaml")
    assert caught.value.errors == [
        "oost.yaml:8: cases[0].partners[0].partner: geen ketenpartner 'nobody' bij de partners "
        "van het bestand of in het adresboek van het casusbestand",
        "oost.yaml:10: cases[0].meetings[0].date: geen evaluatiereeks van deze casus heeft een "
        "evaluatie op 2026-05-05",
    ]
    for line in caught.value.errors:
        dutch_only(line, english="no ")


# ---------------------------------------------------------------- the calendar


def _events(path: Path) -> dict[str, dict[str, str]]:
    """The file's events by UID: what a calendar shows and what it matches them by."""
    calendar = Calendar.from_ical(path.read_bytes())
    return {
        str(e["UID"]): {
            "summary": str(e["SUMMARY"]),
            "description": str(e.get("DESCRIPTION", "")),
            "sequence": str(e["SEQUENCE"]),
            "status": str(e["STATUS"]),
            "start": e.decoded("DTSTART").isoformat(),
        }
        for e in calendar.walk("VEVENT")
    }


def test_the_calendar_speaks_the_language_and_keeps_its_uids(
    two_series: str, services: Unit, tmp_path: Path
) -> None:
    ref = two_series
    with services() as (session, ctx):
        meetings.cancel(session, ctx, ref, TUESDAY, "ziek", time="10:00")
    written: dict[str, dict[str, dict[str, str]]] = {}
    for language in ("nl", "en"):
        i18n.use(language)
        path = tmp_path / f"agenda-{language}.ics"
        with services() as (session, ctx):
            export_ics(session, ctx, ref, path, names=True)
        written[language] = _events(path)
    dutch, english = written["nl"], written["en"]
    assert dutch.keys() == english.keys()
    assert len(dutch) == 2 * 26  # two weekly series: 26 Tuesdays from 1 December to 25 May
    machine = ("sequence", "status", "start")
    for uid, event in dutch.items():
        assert {k: event[k] for k in machine} == {k: english[uid][k] for k in machine}
    summaries = {e["summary"] for e in dutch.values()}
    assert summaries == {
        f"{ref} Evaluatie Familie De Vries",
        f"{ref} Evaluatie Familie De Vries (afgelast)",
    }
    assert {e["summary"] for e in english.values()} == {
        f"{ref} Evaluation Familie De Vries",
        f"{ref} Evaluation Familie De Vries (cancelled)",
    }
    assert {e["description"] for e in dutch.values()} == {
        "Genodigden: Sanne de Vries, J. Bakker (vt-bakker)"
    }
    assert {e["description"] for e in english.values()} == {
        "Invited: Sanne de Vries, J. Bakker (vt-bakker)"
    }
