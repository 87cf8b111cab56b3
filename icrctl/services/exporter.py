"""Exporting the case file as records (everything it holds about cases), in canonical order."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from icrctl.db import models as m
from icrctl.db.rows import TABLES, rows_of_cases
from icrctl.domain.dates import local_from_utc
from icrctl.io.records import (
    CaseFileRec,
    CaseRec,
    ChecklistRec,
    ContactRec,
    EventRec,
    GoalRec,
    HistoryRec,
    LinkRec,
    MeetingRec,
    MemberRec,
    PartnerRec,
    RelationRec,
    SeriesRec,
    StageRec,
)
from icrctl.services.lookup import get_case


def _local(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    return local_from_utc(value).replace(second=0)


def export_records(session: Session, ref: str | None = None) -> CaseFileRec:
    if ref is not None:
        cases = [
            dict(r)
            for r in session.execute(
                select(TABLES["cases"]).where(TABLES["cases"].c.id == get_case(session, ref).id)
            ).mappings()
        ]
    else:
        cases = [
            dict(r)
            for r in session.execute(
                select(TABLES["cases"]).order_by(TABLES["cases"].c.ref)
            ).mappings()
        ]
    ids = [c["id"] for c in cases]
    g, children = rows_of_cases(session, ids)
    attendees = children["attendees"]
    attendance = children["attendance"]
    people = children["contact_people"]
    linked = {r["partner_id"] for rows in g["links"].values() for r in rows}
    partner_query = select(m.Partner).order_by(m.Partner.key)
    if ref is not None:
        partner_query = partner_query.where(m.Partner.id.in_(linked))
    partners = list(session.scalars(partner_query))
    partner_key = {
        p.id: p.key for p in session.scalars(select(m.Partner).where(m.Partner.id.in_(linked)))
    } | {p.id: p.key for p in partners}
    out = CaseFileRec(
        partners=[
            PartnerRec(p.name, p.organisation, p.kind, p.key, p.email, p.phone, list(p.reachable))
            for p in partners
        ]
    )
    for c in cases:
        cid = c["id"]
        member_key = {r["id"]: r["key"] for r in g["members"][cid]}

        def who(row: dict[str, Any], member_key: dict[int, str] = member_key) -> str:
            if row["member_id"] is not None:
                return member_key[row["member_id"]]
            return partner_key[row["partner_id"]]

        relations: dict[int, list[RelationRec]] = defaultdict(list)
        for r in g["relations"][cid]:
            relations[r["from_member_id"]].append(
                RelationRec(member_key[r["to_member_id"]], r["kind"])
            )
        series_rows = g["series"][cid]
        series_index = {r["id"]: i for i, r in enumerate(series_rows)}
        phase_date = {r["id"]: r["date"] for r in g["phases"][cid]}
        rec = CaseRec(
            ref=c["ref"],
            title=c["title"],
            opened=c["opened"],
            phase=c["phase"],
            closed=c["closed"],
            stage=c["stage"],
            framework=c["framework"],
            regie=c["regie"],
            regisseur=c["regisseur"],
            referrer=c["referrer"],
            violence=list(c["violence"]),
            domains=list(c["domains"]),
            plan_signed=c["plan_signed"],
            members=[
                MemberRec(
                    r["name"],
                    r["role"],
                    r["key"],
                    r["born"],
                    r["household"],
                    r["phone"],
                    r["email"],
                    relations[r["id"]],
                )
                for r in g["members"][cid]
            ],
            partners=[
                LinkRec(
                    partner_key[r["partner_id"]], None, r["role"], r["consent"], r["coordination"]
                )
                for r in g["links"][cid]
            ],
            evaluations=[
                SeriesRec(
                    r["every"],
                    r["start"],
                    r["time"],
                    r["weekday"],
                    r["until"],
                    r["stopped_from"],
                    [who(a) for a in attendees[r["id"]]],
                )
                for r in series_rows
            ],
            history=[
                HistoryRec(r["date"], r["phase"], r["reason"], r["track"])
                for r in sorted(g["phases"][cid], key=lambda r: (r["date"], r["id"]))
            ],
            stages=[
                StageRec(r["date"], r["stage"], r["reason"])
                for r in sorted(g["stages"][cid], key=lambda r: (r["date"], r["id"]))
            ],
            events=[
                EventRec(r["date"], r["kind"], r["old"], r["new"], r["reason"])
                for r in sorted(g["events"][cid], key=lambda r: (r["date"], r["id"]))
            ],
            checklist=[
                ChecklistRec(
                    r["item"],
                    r["track"],
                    phase_date.get(r["phase_change_id"]),
                    _local(r["done_at"]),
                )
                for r in g["checklist"][cid]
            ],
            goals=[
                GoalRec(r["goal"], r["who"], r["what"], r["due"], r["status"], r["status_date"])
                for r in sorted(g["goals"][cid], key=lambda r: r["number"])
            ],
            contacts=[
                ContactRec(
                    r["date"], r["kind"], r["note"], [who(p) for p in people[r["id"]]], r["signal"]
                )
                for r in sorted(g["contacts"][cid], key=lambda r: (r["date"], r["id"]))
            ],
            summary=c["closing_summary"],
            safety=c["closing_safety"],
            retention_until=c["retention_until"],
        )
        for r in sorted(g["meetings"][cid], key=lambda r: (r["date"], r["id"])):
            present = attendance[r["id"]]
            rec.meetings.append(
                MeetingRec(
                    date=r["date"],
                    status=r["status"],
                    series=series_index.get(r["series_id"])
                    if len(series_rows) > 1 and r["series_id"] is not None
                    else None,
                    to=r["moved_to"],
                    time=r["moved_time"] or r["time"],
                    attended=[who(a) for a in present if a["presence"] == "attended"],
                    absent=[who(a) for a in present if a["presence"] == "absent"],
                    refused=[who(a) for a in present if a["presence"] == "refused"],
                    risk=r["risk"],
                    self_reliance=r["self_reliance"],
                    note=r["note"],
                    reason=r["reason"],
                )
            )
        out.cases.append(rec)
    return out
