"""Hypothesis round trip: a generated case file, written with ``export_text``, imported into a
fresh case file and exported, imported into another fresh case file and exported, gives the
identical bytes; and importing the export again changes nothing."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from icrctl.cli.main import app
from icrctl.domain import regiekaart
from icrctl.domain.analysis import FACTOR_KIND, TERM
from icrctl.domain.indicators import KEYS as INDICATOR_KEYS
from icrctl.domain.indicators import SCALE
from icrctl.domain.recurrence import CADENCES, Rule, occurrences
from icrctl.domain.text import clean_text
from icrctl.domain.vocabulary import (
    CONTACT_KIND,
    DOMAIN,
    GOAL_STATUS,
    PARTNER_KIND,
    RELATION,
    ROLE,
    STAGE,
    VIOLENCE,
    WEEKDAY,
)
from icrctl.io.exportfile import export_text
from icrctl.io.importfile import EVENT_KINDS
from icrctl.io.records import (
    AnalysisRec,
    CaseFileRec,
    CaseRec,
    ChecklistRec,
    ContactRec,
    EventRec,
    FactorRec,
    FollowUpRec,
    GoalRec,
    HistoryRec,
    IndicatorRec,
    InterventionRec,
    LinkRec,
    MeetingRec,
    MemberRec,
    PartnerRec,
    RelationRec,
    RoleFitRec,
    SeriesRec,
    StageRec,
)
from tests.conftest import TODAY
from tests.helpers import POSTGRES

ENV = {"ICRCTL_TODAY": TODAY.isoformat(), "NO_COLOR": "1", "COLUMNS": "120"}

# Strings that YAML 1.1 or a careless writer would turn into something else.
SPECIAL = [
    "no",
    "yes",
    "off",
    "null",
    "~",
    "true",
    "0612",
    "0612345678",
    "+31612345678",
    "12,5",
    "1e3",
    "0x1F",
    "14:30",
    "- x",
    "#",
    "a # b",
    ": ",
    "a: b",
    "[x]",
    "{y}",
    "!tag",
    "&anchor",
    "*alias",
    "? q",
    "| pipe",
    "> gt",
    "'quoted'",
    '"dq"',
    "%x",
    "@home",
    "`tick`",
    "---",
    "...",
    "Noëlle Çelik-Ørsted",
    "Ŀuís Ĳssel",
    "日本語",
    "ß",
]
LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéëïöüçßøÅÆłİĳ日本"
PUNCT = " -'\":#,&*!?%@[]{}|>.()/;=+"
KEY_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789-_:#.+"
KEY_SPECIAL = ["no", "yes", "null", "0612", "14:30", "-x", "#k", "1e3", "true", "007"]


def _clean(s: str, multiline: bool = False) -> str | None:
    text = unicodedata.normalize("NFC", s).strip()
    if multiline:
        text = text.replace("\r\n", "\n")
    try:
        return clean_text(text, "t", multiline=multiline)
    except Exception:
        return None


def texts(multiline: bool = False) -> st.SearchStrategy[str]:
    alphabet = LETTERS + "0123456789" + PUNCT + ("\n" if multiline else "")
    raw = st.one_of(st.sampled_from(SPECIAL), st.text(alphabet, min_size=1, max_size=20))
    return raw.map(lambda s: _clean(s, multiline)).filter(lambda s: s is not None)  # type: ignore[return-value]


def opt(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


keys = st.one_of(st.sampled_from(KEY_SPECIAL), st.text(KEY_CHARS, min_size=1, max_size=8))
days = st.dates(dt.date(2018, 1, 1), TODAY)
times = st.builds(lambda h, m: f"{h:02d}:{m:02d}", st.integers(0, 23), st.integers(0, 59))


def subset(draw: st.DrawFn, items: list[str], max_size: int = 3) -> list[str]:
    if not items:
        return []
    return draw(st.lists(st.sampled_from(items), max_size=max_size, unique=True))


@st.composite
def partners(draw: st.DrawFn) -> list[PartnerRec]:
    found = draw(st.lists(keys, max_size=3, unique=True))
    return [
        PartnerRec(
            name=draw(texts()),
            organisation=draw(texts()),
            kind=draw(st.sampled_from(PARTNER_KIND.terms)),
            key=key,
            email=draw(opt(texts())),
            phone=draw(opt(st.one_of(texts(), st.sampled_from(["0612345678", "06 12", "+3110"])))),
            reachable=draw(st.lists(st.sampled_from(WEEKDAY.terms), max_size=3, unique=True)),
        )
        for key in found
    ]


@st.composite
def cases(draw: st.DrawFn, ref: str, directory: list[str]) -> CaseRec:
    opened = draw(st.dates(dt.date(2018, 1, 1), TODAY - dt.timedelta(days=30)))
    phase = draw(st.integers(1, 4))
    stage = draw(st.sampled_from(STAGE.terms))
    card = regiekaart.phase(phase).casusregie  # the frameworks of the phase and who may direct
    framework = draw(st.sampled_from(list(card)))
    regie = draw(st.sampled_from(card[framework]))
    closed = draw(st.dates(opened, TODAY)) if stage == "closed" else None
    after = st.dates(opened, TODAY)

    # members, with unique keys, none a partner's (a key names one person of the case: an import
    # refuses a member and a partner under one key); relations between them
    member_keys = draw(st.lists(keys.filter(lambda k: k not in directory), max_size=3, unique=True))
    members = [
        MemberRec(
            name=draw(texts()),
            role=draw(st.sampled_from(ROLE.terms)),
            key=key,
            born=draw(opt(st.dates(dt.date(1920, 1, 1), TODAY))),
            household=draw(st.booleans()),
            phone=draw(opt(st.one_of(texts(), st.just("0612345678")))),
            email=draw(opt(texts())),
            deceased=draw(st.booleans()),
        )
        for key in member_keys
    ]
    for m in members:
        others = [k for k in member_keys if k != m.key]
        pairs = draw(
            st.lists(
                st.tuples(st.sampled_from(others), st.sampled_from(RELATION.terms)),
                max_size=2,
                unique=True,
            )
            if others
            else st.just([])
        )
        m.relations = [RelationRec(to, kind) for to, kind in pairs]

    linked = subset(draw, directory)
    links = [
        LinkRec(
            partner=key,
            role=draw(opt(texts(multiline=True))),
            consent=draw(st.booleans()),
            coordination=draw(opt(texts(multiline=True))),
        )
        for key in linked
    ]
    people = member_keys + linked

    # phase history (oldest first, ending in `phase`)
    history: list[HistoryRec] = []
    for day in sorted(draw(st.lists(after, min_size=1, max_size=3))):
        history.append(HistoryRec(day, draw(st.integers(1, 4)), draw(texts(multiline=True))))
    history[-1].phase = phase
    for h in history:
        h.track = draw(st.sampled_from(regiekaart.TRACK.terms)) if h.phase == 4 else None
    checklist: list[ChecklistRec] = []
    for h in history:
        if h.phase == 4 and h.track is not None:
            codes = [e.code for e in regiekaart.checklist_for(h.track)]
            for code in subset(draw, codes, max_size=len(codes)):
                done = draw(opt(st.datetimes(dt.datetime(2018, 1, 1), dt.datetime(2026, 11, 24))))
                checklist.append(
                    ChecklistRec(
                        code,
                        h.track,
                        h.date,
                        done.replace(second=0, microsecond=0) if done else None,
                    )
                )

    stages: list[StageRec] = []
    if draw(st.booleans()):
        for day in sorted(draw(st.lists(after, min_size=1, max_size=3, unique=True))):
            stages.append(StageRec(day, draw(st.sampled_from(STAGE.terms)), draw(opt(texts()))))
        stages[-1].stage = stage

    # evaluation series (two with the same rule are allowed: the n-th matches the n-th)
    series: list[SeriesRec] = []
    for _ in range(draw(st.integers(0, 2))):
        s = SeriesRec(
            every=draw(st.sampled_from(CADENCES)),
            start=draw(after),
            time=draw(times),
            weekday=draw(opt(st.sampled_from(WEEKDAY.terms))),
        )
        if draw(st.booleans()):
            s.until = s.start + dt.timedelta(days=draw(st.integers(0, 400)))
        if draw(st.booleans()):
            s.stopped = s.start + dt.timedelta(days=draw(st.integers(0, 400)))
        s.with_ = subset(draw, people)
        series.append(s)

    # meetings: occurrences of the series, and extra ones on other days
    meetings: list[MeetingRec] = []
    taken: set[tuple[int | None, dt.date]] = set()
    every_date: set[dt.date] = set()
    for i, s in enumerate(series):
        end = s.until
        if s.stopped is not None:
            stop = s.stopped - dt.timedelta(days=1)
            end = stop if end is None else min(end, stop)
        if end is not None and end < s.start:
            continue
        rule = Rule(s.every, s.start, dt.time(10), s.weekday, end)
        dates = occurrences(rule, s.start, TODAY + dt.timedelta(days=60))[:30]
        every_date.update(dates)
        for day in subset(draw, [d.isoformat() for d in dates], max_size=3):
            date = dt.date.fromisoformat(day)
            meetings.append(_meeting(draw, date, i if len(series) > 1 else None, people))
            taken.add((i, date))
    for day in draw(st.lists(after, max_size=2, unique=True)):
        if day in every_date or (None, day) in taken:
            continue
        mt = _meeting(draw, day, None, people, held=True)
        mt.time = draw(opt(times))
        mt.extra = True  # every_date holds only a series' first dates: a later one may be this day
        meetings.append(mt)

    goals = [
        GoalRec(
            goal=text,
            who=draw(opt(texts())),
            what=draw(opt(texts(multiline=True))),
            due=draw(opt(st.dates(dt.date(2018, 1, 1), dt.date(2030, 1, 1)))),
            status=draw(st.sampled_from(GOAL_STATUS.terms)),
            changed=draw(opt(after)),
        )
        for text in draw(st.lists(texts(multiline=True), max_size=3))
    ]
    contacts = [
        ContactRec(
            date=draw(days),
            kind=draw(st.sampled_from(CONTACT_KIND.terms)),
            note=draw(texts(multiline=True)),
            with_=subset(draw, people),
            signal=draw(st.booleans()),
        )
        for _ in range(draw(st.integers(0, 3)))
    ]
    aftercare = []
    for due in draw(
        st.lists(st.dates(dt.date(2018, 1, 1), dt.date(2030, 1, 1)), max_size=3, unique=True)
    ):
        done = draw(opt(days))
        held_by = draw(opt(st.integers(0, len(contacts) - 1))) if contacts and done else None
        aftercare.append(FollowUpRec(due, done, held_by))
    events: list[EventRec] = []
    for _ in range(draw(st.integers(0, 2))):
        e = EventRec(
            date=draw(after),
            kind=draw(st.sampled_from(EVENT_KINDS)),
            old=draw(opt(texts())),
            new=draw(opt(texts())),
            reason=draw(opt(texts(multiline=True))),
        )
        events.append(e)
    # indicator scores: some of the 18, in the table's order (as export writes them)
    chosen = draw(st.lists(st.sampled_from(INDICATOR_KEYS), max_size=4, unique=True))
    indicators = [
        IndicatorRec(
            key, draw(st.sampled_from(list(SCALE))), draw(after), draw(opt(texts(multiline=True)))
        )
        for key in INDICATOR_KEYS
        if key in chosen
    ]

    return CaseRec(
        ref=ref,
        title=draw(texts()),
        opened=opened,
        phase=phase,
        closed=closed,
        stage=stage,
        framework=framework,
        regie=regie,
        regisseur=draw(opt(texts())),
        referrer=draw(opt(texts())),
        violence=draw(st.lists(st.sampled_from(VIOLENCE.terms), max_size=3, unique=True)),
        domains=draw(st.lists(st.sampled_from(DOMAIN.terms), max_size=3, unique=True)),
        plan_signed=draw(opt(after)),
        members=members,
        partners=links,
        evaluations=series,
        history=history,
        goals=goals,
        meetings=meetings,
        stages=stages,
        checklist=checklist,
        contacts=contacts,
        aftercare=aftercare,
        events=events,
        indicators=indicators,
        summary=draw(opt(texts(multiline=True))),
        safety=draw(opt(texts(multiline=True))),
        retention_until=draw(opt(st.dates(TODAY, dt.date(2060, 1, 1)))),
        analysis=draw(opt(analyses(member_keys, len(goals), directory))),
    )


@st.composite
def analyses(draw: st.DrawFn, members: list[str], goals: int, directory: list[str]) -> AnalysisRec:
    """A Casus Plus analysis: factors of the case's members, interventions serving its goals
    (by place), roles for partners of the file's directory or professionals by name."""
    who = st.tuples(st.none(), texts())
    if directory:
        who = st.one_of(who, st.tuples(st.sampled_from(directory), st.none()))
    return AnalysisRec(
        problem=draw(opt(texts(multiline=True))),
        about=draw(opt(texts(multiline=True))),
        desired=draw(opt(texts(multiline=True))),
        factors=[
            FactorRec(
                draw(st.sampled_from(members)),
                draw(st.sampled_from(FACTOR_KIND.terms)),
                draw(texts(multiline=True)),
            )
            for _ in range(draw(st.integers(0, 3)) if members else 0)
        ],
        interventions=[
            InterventionRec(
                draw(st.sampled_from(TERM.terms)),
                draw(texts(multiline=True)),
                draw(opt(st.integers(1, goals))) if goals else None,
            )
            for _ in range(draw(st.integers(0, 3)))
        ],
        roles=[
            RoleFitRec(draw(texts(multiline=True)), draw(texts(multiline=True)), *draw(who))
            for _ in range(draw(st.integers(0, 2)))
        ],
    )


def _meeting(
    draw: st.DrawFn, date: dt.date, series: int | None, people: list[str], held: bool = False
) -> MeetingRec:
    status = "held" if held else draw(st.sampled_from(["held", "cancelled", "moved"]))
    if status == "held" and date > TODAY:
        status = "cancelled"
    mt = MeetingRec(date=date, status=status, series=series, reason=draw(opt(texts(True))))
    mt.sequence = draw(opt(st.integers(0, 30)))  # how often it changed: eval ics's SEQUENCE
    if status == "moved" or (status == "held" and not held and draw(st.booleans())):
        mt.to = date + dt.timedelta(days=draw(st.integers(-3, 10)))
        mt.time = draw(times)
    if status == "held":
        chosen = subset(draw, people, max_size=len(people))
        cut1, cut2 = sorted(draw(st.tuples(*[st.integers(0, len(chosen))] * 2)))
        mt.attended, mt.absent, mt.refused = chosen[:cut1], chosen[cut1:cut2], chosen[cut2:]
        mt.risk = draw(opt(st.integers(1, 5)))
        mt.self_reliance = draw(opt(st.integers(1, 5)))
        mt.note = draw(opt(texts(multiline=True)))
    return mt


@st.composite
def case_files(draw: st.DrawFn) -> CaseFileRec:
    directory = draw(partners())
    refs = draw(st.lists(keys, min_size=1, max_size=3, unique=True))
    return CaseFileRec(
        partners=directory,
        cases=[draw(cases(ref, [p.key for p in directory if p.key])) for ref in refs],
    )


@pytest.fixture(scope="module")
def empty_case_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, empty case file, copied for each example (migrating costs time)."""
    db = tmp_path_factory.mktemp("empty") / "empty.db"
    result = CliRunner().invoke(app, ["--db", str(db), "export"], env=ENV)
    assert result.exit_code == 0, result.output
    return db


def _cli(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), env=ENV, catch_exceptions=False)
    assert result.exit_code == 0, f"{args}: {result.stderr or result.stdout}"
    return result.stdout


def _two_empty_case_files(empty: Path, folder: Path) -> tuple[str, str]:
    """Two empty case files: copies of ``empty`` in ``folder``, or on PostgreSQL two databases
    of this process, emptied (tests/postgres.py)."""
    if POSTGRES:
        from tests import postgres

        return postgres.pool("one").load(postgres.EMPTY), postgres.pool("two").load(postgres.EMPTY)
    one, two = folder / "one.db", folder / "two.db"
    shutil.copyfile(empty, one)
    shutil.copyfile(empty, two)
    return str(one), str(two)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@pytest.mark.long
@given(doc=case_files())
def test_export_import_export_is_identical(empty_case_file: Path, doc: CaseFileRec) -> None:
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        one, two = _two_empty_case_files(empty_case_file, base)
        source = base / "generated.yaml"
        source.write_text(export_text(doc), encoding="utf-8")

        _cli("--db", str(one), "import", str(source))
        first = _cli("--db", str(one), "export")
        (base / "first.yaml").write_text(first, encoding="utf-8")
        _cli("--db", str(two), "import", str(base / "first.yaml"))
        second = _cli("--db", str(two), "export")
        assert second == first

        # importing the generated file or the export again changes nothing
        assert _cli("--db", str(one), "import", str(source)).endswith("nothing to change\n")
        assert _cli("--db", str(two), "import", str(base / "first.yaml")).endswith(
            "nothing to change\n"
        )
        assert _cli("--db", str(one), "export") == first
