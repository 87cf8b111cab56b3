"""Exporting the case file as records (everything it holds about cases), in canonical order.

The cases are read in a few bulk queries (``db.rows``); each section of a case (members,
partners, series, meetings, histories, checklist, goals, contacts) is made by its own helper
from those rows. Lists keep the database's order (oldest row first), histories and contacts are
sorted by date.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from icrctl.db.order import by_code_point
from icrctl.db.rows import TABLES, Grouped, Rows, rows_of_cases
from icrctl.domain.analysis import FACTOR_KIND, TERM
from icrctl.domain.dates import local_from_utc
from icrctl.domain.indicators import KEYS
from icrctl.io.records import (
    AgreementRec,
    AnalysisRec,
    CaseFileRec,
    CaseRec,
    ChecklistRec,
    ContactRec,
    DiscussionRec,
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
from icrctl.services.lookup import get_case
from icrctl.services.members import member_number


def export_records(session: Session, ref: str | None = None) -> CaseFileRec:
    """The case file, or case ``ref`` and only its partners, as records in canonical order."""
    cases = _cases(session, ref)
    by_case, by_parent = rows_of_cases(session, [c["id"] for c in cases])
    partners = _partners(session, _its_partners(by_case, by_parent) if ref is not None else None)
    held = _Held(by_case, by_parent, {p["id"]: p["key"] for p in partners})
    out = CaseFileRec(partners=[_partner(p) for p in partners])
    out.cases = [_case(_CaseRows(held, c)) for c in cases]
    return out


def _its_partners(by_case: dict[str, Grouped], by_parent: dict[str, Grouped]) -> set[int]:
    """The partners the exported case links, and those its meetings and contacts name though
    it no longer links them (``partner unlink`` keeps who took part), and those its analysis
    names for a role."""
    found = {r["partner_id"] for rows in by_case["links"].values() for r in rows}
    found |= {r["partner_id"] for rows in by_case["role_fits"].values() for r in rows}
    for table in ("attendance", "contact_people"):
        found |= {r["partner_id"] for rows in by_parent[table].values() for r in rows}
    return found - {None}


def _cases(session: Session, ref: str | None) -> Rows:
    cases = TABLES["cases"]
    if ref is None:
        query = select(cases).order_by(by_code_point(cases.c.ref))
    else:
        query = select(cases).where(cases.c.id == get_case(session, ref).id)
    return [dict(r) for r in session.execute(query).mappings()]


def _partners(session: Session, only: set[int] | None) -> Rows:
    """The directory by key; ``only`` these partners (those linked to the exported case)."""
    partners = TABLES["partners"]
    query = select(partners).order_by(by_code_point(partners.c.key))
    if only is not None:
        query = query.where(partners.c.id.in_(only))
    return [dict(r) for r in session.execute(query).mappings()]


def _partner(p: dict[str, Any]) -> PartnerRec:
    return PartnerRec(
        p["name"],
        p["organisation"],
        p["kind"],
        p["key"],
        p["email"],
        p["phone"],
        list(p["reachable"]),
    )


@dataclass
class _Held:
    """What the export read: rows per case and per parent row, partner keys by id."""

    by_case: dict[str, Grouped]
    by_parent: dict[str, Grouped]
    partner_key: dict[int, str]


class _CaseRows:
    """One case's rows, and the key of each person (member or partner) they name."""

    def __init__(self, held: _Held, case: dict[str, Any]) -> None:
        self.held = held
        self.case = case
        self.member_key: dict[int, str] = {r["id"]: r["key"] for r in self.rows("members")}
        goals = sorted(self.rows("goals"), key=lambda r: r["number"])
        self.goal_places = {r["id"]: i for i, r in enumerate(goals, start=1)}

    def rows(self, table: str) -> Rows:
        return self.held.by_case[table][self.case["id"]]

    def dated(self, table: str) -> Rows:
        """The rows by date, in the order they were recorded within a day."""
        return sorted(self.rows(table), key=lambda r: (r["date"], r["id"]))

    def children(self, table: str, parent: dict[str, Any]) -> Rows:
        return self.held.by_parent[table][parent["id"]]

    def goal_place(self, goal_id: int | None) -> int | None:
        """A goal's place in the exported goals (by number), counted from 1."""
        return None if goal_id is None else self.goal_places[goal_id]

    def partner(self, partner_id: int | None) -> str | None:
        """A partner's key by id (who holds a role)."""
        return None if partner_id is None else self.held.partner_key[partner_id]

    def who(self, row: dict[str, Any]) -> str:
        if row["member_id"] is not None:
            return self.member_key[row["member_id"]]
        return self.held.partner_key[row["partner_id"]]


def _case(v: _CaseRows) -> CaseRec:
    c = v.case
    return CaseRec(
        ref=c["ref"],
        title=c["title"],
        opened=c["opened"],
        phase=c["phase"],
        closed=c["closed"],
        stage=c["stage"],
        framework=c["framework"],
        regie=c["regie"],
        casusregie_partner=v.partner(c["casusregie_partner_id"]),
        procesregie=c["procesregie"],
        procesregie_partner=v.partner(c["procesregie_partner_id"]),
        regiebehandelaar=v.partner(c["regiebehandelaar_partner_id"]),
        regisseur=c["regisseur"],
        referrer=c["referrer"],
        violence=list(c["violence"]),
        domains=list(c["domains"]),
        plan_signed=c["plan_signed"],
        last_member_number=_last_member_number(v),
        members=_members(v),
        partners=_links(v),
        evaluations=_series(v),
        history=_history(v),
        stages=_stages(v),
        events=_events(v),
        checklist=_checklist(v),
        goals=_goals(v),
        meetings=_meetings(v),
        contacts=_contacts(v),
        indicators=_indicators(v),
        aftercare=_aftercare(v),
        analysis=_analysis(v),
        summary=c["closing_summary"],
        safety=c["closing_safety"],
        retention_until=c["retention_until"],
    )


def _last_member_number(v: _CaseRows) -> int | None:
    """The case's last automatic member number, when it says more than the members' keys do
    (someone was removed or forgotten): an import then never gives their key again."""
    highest = max((member_number(r["key"]) for r in v.rows("members")), default=0)
    last = v.case["last_member_number"] or 0
    return last if last > highest else None


def _members(v: _CaseRows) -> list[MemberRec]:
    """Members, each with the relations that start from them."""
    relations: dict[int, list[RelationRec]] = defaultdict(list)
    for r in v.rows("relations"):
        relations[r["from_member_id"]].append(
            RelationRec(v.member_key[r["to_member_id"]], r["kind"])
        )
    return [
        MemberRec(
            r["name"],
            r["role"],
            r["key"],
            r["born"],
            r["household"],
            r["phone"],
            r["email"],
            relations[r["id"]],
            deceased=bool(r["deceased"]),
        )
        for r in v.rows("members")
    ]


def _links(v: _CaseRows) -> list[LinkRec]:
    return [
        LinkRec(
            v.held.partner_key[r["partner_id"]], None, r["role"], r["consent"], r["coordination"]
        )
        for r in v.rows("links")
    ]


def _series(v: _CaseRows) -> list[SeriesRec]:
    return [
        SeriesRec(
            r["every"],
            r["start"],
            r["time"],
            r["weekday"],
            r["until"],
            r["stopped_from"],
            [v.who(a) for a in v.children("attendees", r)],
            workdays=r["workdays"],
        )
        for r in v.rows("series")
    ]


def _history(v: _CaseRows) -> list[HistoryRec]:
    return [HistoryRec(r["date"], r["phase"], r["reason"], r["track"]) for r in v.dated("phases")]


def _stages(v: _CaseRows) -> list[StageRec]:
    return [StageRec(r["date"], r["stage"], r["reason"]) for r in v.dated("stages")]


def _events(v: _CaseRows) -> list[EventRec]:
    return [
        EventRec(r["date"], r["kind"], r["old"], r["new"], r["reason"]) for r in v.dated("events")
    ]


def _checklist(v: _CaseRows) -> list[ChecklistRec]:
    """Items with the date of their escalation, ticked off in Amsterdam's wall-clock time."""
    escalated = {r["id"]: r["date"] for r in v.rows("phases")}
    return [
        ChecklistRec(
            r["item"],
            r["track"],
            escalated.get(r["phase_change_id"]),
            _local(r["done_at"]),
            done_by=r["done_by"],
        )
        for r in v.rows("checklist")
    ]


def _local(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    return local_from_utc(value).replace(second=0)


def _goals(v: _CaseRows) -> list[GoalRec]:
    return [
        GoalRec(r["goal"], r["who"], r["what"], r["due"], r["status"], r["status_date"])
        for r in sorted(v.rows("goals"), key=lambda r: r["number"])
    ]


def _meetings(v: _CaseRows) -> list[MeetingRec]:
    """Meetings by date. ``series`` names a meeting's series when the case has more than one,
    or when the series stopped before the meeting's date (it was cancelled or moved first): an
    import would not find it among the series' dates otherwise. An extra meeting says so: a
    series may meet on its day too."""
    series = v.rows("series")
    index = {r["id"]: i for i, r in enumerate(series)}
    stopped = {r["id"]: r["stopped_from"] for r in series}
    out = []
    for r in v.dated("meetings"):
        sid = r["series_id"]
        stop = stopped.get(sid)
        named = sid is not None and (len(series) > 1 or (stop is not None and r["date"] >= stop))
        out.append(_meeting(v, r, index[sid] if named else None))
    return out


def _meeting(v: _CaseRows, r: dict[str, Any], series: int | None) -> MeetingRec:
    present = v.children("attendance", r)
    return MeetingRec(
        date=r["date"],
        status=r["status"],
        series=series,
        extra=r["series_id"] is None,
        to=r["moved_to"],
        time=r["moved_time"] or r["time"],
        attended=[v.who(a) for a in present if a["presence"] == "attended"],
        absent=[v.who(a) for a in present if a["presence"] == "absent"],
        refused=[v.who(a) for a in present if a["presence"] == "refused"],
        risk=r["risk"],
        self_reliance=r["self_reliance"],
        note=r["note"],
        reason=r["reason"],
        sequence=r["sequence"] or None,  # 0, never changed: left out
        discussed=sorted(
            (
                DiscussionRec(v.goal_places[d["goal_id"]], d["note"])
                for d in v.children("discussions", r)
            ),
            key=lambda d: d.goal,
        ),
        agreements=[
            AgreementRec(a["what"], a["who"], a["due"], v.goal_place(a["goal_id"]))
            for a in sorted(v.children("agreements", r), key=lambda a: a["number"])
        ],
    )


def _contacts(v: _CaseRows) -> list[ContactRec]:
    return [
        ContactRec(
            r["date"],
            r["kind"],
            r["note"],
            [v.who(p) for p in v.children("contact_people", r)],
            r["signal"],
        )
        for r in v.dated("contacts")
    ]


def _indicators(v: _CaseRows) -> list[IndicatorRec]:
    """The indicator scores in the study's order."""
    order = {key: i for i, key in enumerate(KEYS)}
    rows = sorted(v.rows("indicators"), key=lambda r: (order.get(r["key"], len(order)), r["key"]))
    return [IndicatorRec(r["key"], r["score"], r["date"], r["note"]) for r in rows]


def _aftercare(v: _CaseRows) -> list[FollowUpRec]:
    """The follow-ups by due date; a held one names its contact by its place in ``contacts``."""
    place = {r["id"]: i for i, r in enumerate(v.dated("contacts"))}
    return [
        FollowUpRec(r["due"], r["done"], place.get(r["contact_id"]))
        for r in sorted(v.rows("aftercare"), key=lambda r: r["due"])
    ]


def _analysis(v: _CaseRows) -> AnalysisRec | None:
    """The Casus Plus analysis, its parts in the order ``analysis REF`` numbers them; a goal by
    its place among the exported goals (its number)."""
    texts = v.rows("analyses")
    factors = sorted(
        v.rows("analysis_factors"),
        key=lambda r: (r["member_id"], FACTOR_KIND.order(r["kind"]), r["id"]),
    )
    steps = sorted(v.rows("interventions"), key=lambda r: (TERM.order(r["term"]), r["id"]))
    if not (texts or factors or steps or v.rows("role_fits")):
        return None
    goal_place = {
        r["id"]: n for n, r in enumerate(sorted(v.rows("goals"), key=lambda r: r["number"]), 1)
    }
    a = AnalysisRec()
    if texts:
        a.problem, a.about, a.desired = texts[0]["problem"], texts[0]["about"], texts[0]["desired"]
    a.factors = [FactorRec(v.member_key[r["member_id"]], r["kind"], r["text"]) for r in factors]
    a.interventions = [
        InterventionRec(r["term"], r["text"], goal_place.get(r["goal_id"])) for r in steps
    ]
    a.roles = [
        RoleFitRec(
            r["role"],
            r["why"],
            v.held.partner_key[r["partner_id"]] if r["partner_id"] is not None else None,
            r["who"],
        )
        for r in v.rows("role_fits")
    ]
    return a
