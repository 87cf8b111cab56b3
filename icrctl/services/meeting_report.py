"""The report of one held evaluation meeting (``eval report``): who attended, was absent or
refused; the scores and their course so far; what was discussed per goal; the agreements made;
the next meeting. The method records the agreements after every meeting and mails them to
everyone involved: the version to send holds no safety signals and no notes, a partner's
version is for a partner with the client's consent only, and the practitioner's internal copy
adds the meeting's note and the safety signals logged since the meeting before.
``render.meeting_report`` lays it out."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from icrctl.db.models import Attendance, Case, Meeting, Member, Partner
from icrctl.errors import InvalidValue, RuleViolation
from icrctl.i18n import N_, _
from icrctl.io.files import refuse_existing
from icrctl.services import audit
from icrctl.services.agreements import Where, held_meeting
from icrctl.services.assessments import Assessments, assessments_of
from icrctl.services.caseview import partner_links
from icrctl.services.contacts import ContactRow, contacts_of
from icrctl.services.context import Context
from icrctl.services.documents import consenting_partner, save_document, who_named, who_names
from icrctl.services.evaluations import CANCELLED, Occurrence, case_occurrences, load
from icrctl.services.goals import goals_of
from icrctl.services.lookup import get_case
from icrctl.services.meeting_notes import AgreementRow, notes_of
from icrctl.services.members import list_members

#: How far after a meeting ``eval report`` looks for the next one of its series.
AHEAD = dt.timedelta(days=366)


@dataclass
class Discussed:
    """What was discussed about one goal: its number, its text, the note."""

    number: int
    goal: str
    note: str


@dataclass
class MeetingReport:
    ref: str
    title: str
    date: dt.date
    time: str | None
    extra: bool
    regisseur: str | None
    attended: list[str]
    absent: list[str]
    refused: list[str]
    risk: int | None
    self_reliance: int | None
    assessments: Assessments
    discussed: list[Discussed]
    agreements: list[AgreementRow]
    next_meeting: Occurrence | None
    written: dt.date
    note: str | None = None
    signals: list[ContactRow] = field(default_factory=list)
    for_partner: str | None = None
    internal: bool = False


def meeting_report(
    session: Session,
    ctx: Context,
    ref: str,
    where: Where,
    for_partner: str | None = None,
    *,
    internal: bool = False,
) -> MeetingReport:
    """The report of a held meeting to send to everyone involved; a consenting partner's
    version (``for_partner``); or the practitioner's own copy (``internal``)."""
    if internal and for_partner is not None:
        raise InvalidValue(
            _(
                "give --for or --internal, not both: "
                "a partner's version never holds the safety signals"
            )
        )
    case = get_case(session, ref)
    addressee = (
        None
        if for_partner is None
        else consenting_partner(session, case, for_partner, NO_CONSENT_REPORT)
    )
    report, meeting = _gathered(session, ctx, case, where, partner_version=addressee is not None)
    if internal:
        return _internal(session, case, report, meeting)
    return replace(report, for_partner=addressee)


def reports_for_all(
    session: Session, ctx: Context, ref: str, where: Where
) -> tuple[list[MeetingReport], list[str]]:
    """One partner's version for every linked partner with the client's consent, and the names
    of those without it (who get none)."""
    case = get_case(session, ref)
    links = partner_links(session, case)
    consenting = [p.key for p, link in links if link.consent]
    skipped = [f"{p.name} ({p.organisation})" for p, link in links if not link.consent]
    if not consenting:
        raise RuleViolation(
            _(
                "no partner linked to case {ref} has the client's consent to share information: "
                "nothing to send. Record consent with 'icrctl partner link {ref} KEY --consent'"
            ).format(ref=case.ref)
        )
    report, _meeting = _gathered(session, ctx, case, where, partner_version=True)
    return [replace(report, for_partner=key) for key in consenting], skipped


#: Why a meeting report is not written for a partner without the client's consent.
NO_CONSENT_REPORT = N_(
    "the client has not consented to share information with {name} "
    "({organisation}); without consent the report may not be sent. "
    "Record consent with 'icrctl partner link {ref} {partner} --consent'"
)


def _gathered(
    session: Session, ctx: Context, case: Case, where: Where, *, partner_version: bool
) -> tuple[MeetingReport, Meeting]:
    """Everything a version to send holds (nothing internal), and the meeting's record."""
    occ, meeting = held_meeting(session, ctx, case, where)
    names = who_names(
        list_members(session, case.ref),
        partner_links(session, case),
        partner_version=partner_version,
    )
    presence = _presence(session, meeting.id)
    notes = notes_of(session, [meeting.id])[meeting.id]
    goals = {g.id: g.goal for g in goals_of(session, [case.id])[case.id]}
    scores = assessments_of(session, [case.id])[case.id]
    so_far = [x for x in scores.scores if x.date <= occ.date]
    report = MeetingReport(
        ref=case.ref,
        title=case.title,
        date=occ.date,
        time=occ.time,
        extra=occ.series is None,
        regisseur=case.regisseur,
        attended=[names.get(k, k) for k in presence["attended"]],
        absent=[names.get(k, k) for k in presence["absent"]],
        refused=[names.get(k, k) for k in presence["refused"]],
        risk=meeting.risk,
        self_reliance=meeting.self_reliance,
        assessments=Assessments(so_far),
        discussed=[Discussed(x.goal, goals.get(x.goal, ""), x.note) for x in notes.discussed],
        agreements=[replace(a, who=who_named(a.who, names)) for a in notes.agreements],
        next_meeting=_next_meeting(session, ctx, case, occ),
        written=ctx.today,
    )
    return report, meeting


def _internal(
    session: Session, case: Case, report: MeetingReport, meeting: Meeting
) -> MeetingReport:
    """The practitioner's own copy: the meeting's note, and the safety signals logged since
    the meeting held before this one (all of them before the first), up to its day."""
    held_on = func.coalesce(Meeting.moved_to, Meeting.date)
    before = session.scalar(
        select(func.max(held_on)).where(
            Meeting.case_id == case.id, Meeting.status == "held", held_on < report.date
        )
    )
    since = before + dt.timedelta(days=1) if before else None
    signals = contacts_of(session, [case], since, report.date, signals_only=True)[case.id]
    return replace(report, note=meeting.note, signals=signals, internal=True)


def _presence(session: Session, meeting_id: int) -> dict[str, list[str]]:
    """The keys of who attended, was absent or refused, in the order they were recorded."""
    out: dict[str, list[str]] = {"attended": [], "absent": [], "refused": []}
    for presence, member, partner in session.execute(
        select(Attendance.presence, Member.key, Partner.key)
        .outerjoin(Member, Member.id == Attendance.member_id)
        .outerjoin(Partner, Partner.id == Attendance.partner_id)
        .where(Attendance.meeting_id == meeting_id)
        .order_by(Attendance.id)
    ):
        out.setdefault(presence, []).append(member or partner or "")
    return out


def _next_meeting(session: Session, ctx: Context, case: Case, occ: Occurrence) -> Occurrence | None:
    """The next meeting after this one: of its series, or (after an extra meeting) of any
    series; a cancelled one is skipped."""
    data = load(session, [case.id])
    first = occ.date + dt.timedelta(days=1)
    later = [
        o
        for o in case_occurrences(case, data, first, first + AHEAD, ctx.today)
        if o.status != CANCELLED
        and o.series is not None
        and (occ.series is None or o.series == occ.series)
    ]
    return min(later, key=lambda o: (o.date, o.time), default=None)


#: What a file name may hold of a case ref or partner key as given; anything else becomes ``_``.
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def report_name(r: MeetingReport, suffix: str) -> str:
    """``GO-2026-014-2026-11-04-verslag-vt-bakker.html``: the case, the meeting's day and, for a
    partner's version, the partner's key."""
    parts = [r.ref, r.date.isoformat(), "verslag", *([r.for_partner] if r.for_partner else [])]
    return _UNSAFE.sub("_", "-".join(parts)) + suffix


def save_reports(
    session: Session,
    ctx: Context,
    written: list[tuple[MeetingReport, Path, bytes]],
    *,
    force: bool = False,
) -> None:
    """Write each rendered report and audit it; every file is refused before any is written
    (one that exists without ``force``), so that a refusal leaves none behind."""
    for _r, path, _data in written:
        refuse_existing(path, force=force)
    for r, path, data in written:
        save_document(
            session,
            ctx,
            r.ref,
            "meeting_report",
            path,
            data,
            force=force,
            addressee=r.for_partner,
            internal=r.internal,
        )


def audit_shown(session: Session, ctx: Context, r: MeetingReport) -> None:
    """A report printed instead of written to a file left the case file all the same."""
    fields = (["for_partner"] if r.for_partner else []) + (["internal"] if r.internal else [])
    audit.record(session, ctx, "document", "meeting_report", r.ref, [*fields, "stdout"])
