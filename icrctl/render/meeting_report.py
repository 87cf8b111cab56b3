"""The report of one evaluation meeting (``eval report``) as a document in the language in use:
Dutch by default, English with ``--lang en``. Built like the werkplan (``render.plans``): the
same blocks, dates, chart and warnings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from icrctl.domain.trend import in_words
from icrctl.domain.vocabulary import CONTACT_KIND
from icrctl.i18n import _
from icrctl.render.documents import Block, Document, Facts, Heading, Para, Table
from icrctl.render.plans import d, s, scores_chart

if TYPE_CHECKING:
    from icrctl.services.meeting_report import MeetingReport


def meeting_report_document(r: MeetingReport) -> Document:
    """The report in the order a practitioner mails it: the meeting, who was there, the scores,
    what was discussed per goal, the agreements, the next meeting; the internal copy ends with
    the note and the safety signals (what is sent never holds them)."""
    blocks = [
        *_meeting(r),
        *_presence(r),
        *_scores(r),
        *_discussed(r),
        *_agreements(r),
        *_next(r),
        *_internal(r),
    ]
    return Document(_("Evaluation report {title}").format(title=r.title), blocks)


def _when(r: MeetingReport) -> str:
    held = _("{date} at {time}").format(date=d(r.date), time=r.time) if r.time else d(r.date)
    return _("{date} (extra meeting)").format(date=held) if r.extra else held


def _meeting(r: MeetingReport) -> list[Block]:
    """Name, case and the meeting's day, and which version this is."""
    blocks: list[Block] = [
        Facts(
            [
                (_("Name"), r.title),
                (_("Case"), r.ref),
                (_("Evaluation"), _when(r)),
                (_("Case director (ICR)"), s(r.regisseur)),
                (_("Report date"), d(r.written)),
            ]
        )
    ]
    if r.for_partner:
        blocks.append(
            Para(
                _("Version for a partner: the report only, without notes or signals."),
                "note",
            )
        )
    if r.internal:
        blocks.append(
            Para(
                _(
                    "Internal version for the case director's own file: it holds the meeting's "
                    "note and the safety signals. Do not send it; send the report written "
                    "without --internal."
                ),
                "warning",
            )
        )
    return blocks


def _presence(r: MeetingReport) -> list[Block]:
    return [
        Heading(_("Attendance")),
        Facts(
            [
                (_("Attended"), ", ".join(r.attended) or "–"),
                (_("Absent"), ", ".join(r.absent) or "–"),
                (_("Refused"), ", ".join(r.refused) or "–"),
            ]
        ),
    ]


def _scores(r: MeetingReport) -> list[Block]:
    """This meeting's scores, their course over the meetings so far and, from two on, a chart."""
    a = r.assessments
    blocks: list[Block] = [
        Heading(_("Risk and self-reliance")),
        Para(
            _(
                "Scores at this meeting: safety risk {risk}, self-reliance {self_reliance} (1-5)."
            ).format(risk=s(r.risk), self_reliance=s(r.self_reliance))
        ),
    ]
    if not a.scores:
        return blocks
    blocks.append(
        Para(
            _("Safety risk: {risk}. Self-reliance: {self_reliance}.").format(
                risk=in_words([x.risk for x in a.scores]),
                self_reliance=in_words([x.self_reliance for x in a.scores]),
            )
        )
    )
    return blocks + ([scores_chart(a)] if len(a.scores) > 1 else [])


def _discussed(r: MeetingReport) -> list[Block]:
    return [
        Heading(_("Discussed per goal")),
        Table(
            [_("Goal"), _("Discussed")],
            [[f"{x.number}. {x.goal}", x.note] for x in r.discussed],
            _("Nothing noted per goal."),
        ),
    ]


def _agreements(r: MeetingReport) -> list[Block]:
    """Who does what, by when, numbered as recorded."""
    return [
        Heading(_("Agreements")),
        Table(
            [_("No."), _("What"), _("Who"), _("Due"), _("Goal")],
            [[str(a.number), a.what, s(a.who), d(a.due), s(a.goal)] for a in r.agreements],
            _("No agreements recorded."),
        ),
    ]


def _next(r: MeetingReport) -> list[Block]:
    n = r.next_meeting
    if n is None:
        text = _("No next meeting planned.")
    else:
        text = _("{date} at {time}").format(date=d(n.date), time=n.time)
    return [Heading(_("Next meeting")), Para(text)]


def _internal(r: MeetingReport) -> list[Block]:
    """The note and the safety signals: only in the practitioner's internal copy."""
    if not r.internal:
        return []
    return [
        Heading(_("Note (internal)")),
        Para(r.note) if r.note else Para(_("No note recorded."), "note"),
        Heading(_("Safety signals (internal, not for distribution)")),
        Table(
            [_("Date"), _("Kind"), _("Note")],
            [
                [
                    d(c.date),
                    CONTACT_KIND.label(c.kind) if c.kind in CONTACT_KIND.terms else c.kind,
                    c.note,
                ]
                for c in r.signals
            ],
            _("No safety signals recorded."),
        ),
    ]
