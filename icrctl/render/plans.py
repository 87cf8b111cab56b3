"""The werkplan (template: docs/domain.md) and the closing report, as documents in the language
in use: Dutch by default (the words of the template), English with ``--lang en``."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from icrctl.domain import regiekaart
from icrctl.domain.trend import in_words, trend
from icrctl.domain.vocabulary import CONTACT_KIND, DOMAIN, FRAMEWORK, GOAL_STATUS, ROLE, VIOLENCE
from icrctl.i18n import N_, WEEKDAYS, WEEKDAYS_SHORT, _, language, ngettext
from icrctl.render.documents import Block, Chart, Document, Facts, Figure, Heading, Para, Table

if TYPE_CHECKING:
    from icrctl.services.assessments import Assessments
    from icrctl.services.caseview import StageEntry
    from icrctl.services.documents import ClosingReport, HeldBy, Werkplan
    from icrctl.services.evaluations import SeriesRow

#: The weekday keys of a series and of a partner's reachable days, Monday first.
DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
#: The stages as the template names them (fuller than the vocabulary's one word).
STAGES = {
    "inventory": N_("inventory"),
    "analysis": N_("analysis and plan"),
    "execution": N_("execution and evaluation"),
    "aftercare": N_("aftercare"),
    "closed": N_("case closed"),
}
TRENDS = {"up": N_("rising"), "down": N_("falling"), "same": N_("steady")}
#: The reasons icrctl itself gives for a phase (a practitioner's own reason shows as given).
REASONS = {"case opened": N_("case opened"), "changed by import": N_("changed by import")}


def d(value: dt.date | None) -> str:
    """A date in a document: ``25-11-2026`` in Dutch, ``2026-11-25`` in English."""
    if value is None:
        return "–"
    return value.strftime("%d-%m-%Y") if language() == "nl" else value.isoformat()


def s(value: object) -> str:
    return "–" if value is None or value == "" else str(value)


def yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def role(term: str) -> str:
    """A member's role, or a partner's organisation and role (free text, shown as given)."""
    if term == "both":
        return _("victim and perpetrator")
    return ROLE.label(term) if term in ROLE.terms else term


def phase(number: int) -> str:
    """A regiekaart phase: its number and the card's Dutch name, glossed in English."""
    card = regiekaart.phase(number)
    if language() == "en":
        return f"{number}: {card.name_nl} ({card.gloss})"
    return f"{number}: {card.name_nl}"


def stage(term: str) -> str:
    return _(STAGES[term]) if term in STAGES else term


def day_short(key: str) -> str:
    """``ma`` / ``Mon`` for a weekday key (``mon``)."""
    return _(WEEKDAYS_SHORT[DAY_KEYS.index(key)]) if key in DAY_KEYS else key


def rhythm(series: SeriesRow) -> str:
    """One sentence for an evaluation series: how often, which day, what time, from when."""
    n, unit = int(series.every[:-1]), series.every[-1]
    fields = {"n": n, "time": series.time, "start": d(series.start)}
    if unit == "w" and series.weekday in DAY_KEYS:
        fields["weekday"] = _(WEEKDAYS[DAY_KEYS.index(series.weekday)])
        text = ngettext(
            "Evaluation every week on {weekday} at {time}, from {start}",
            "Evaluation every {n} weeks on {weekday} at {time}, from {start}",
            n,
        )
    elif unit == "w":
        text = ngettext(
            "Evaluation every week at {time}, from {start}",
            "Evaluation every {n} weeks at {time}, from {start}",
            n,
        )
    else:
        text = ngettext(
            "Evaluation every month at {time}, from {start}",
            "Evaluation every {n} months at {time}, from {start}",
            n,
        )
    sentence = text.format(**fields)
    if series.until:
        return _("{rhythm} up to and including {until}").format(
            rhythm=sentence, until=d(series.until)
        )
    return sentence


def _course(scores: list[int | None]) -> str:
    """How a score went over the whole process: from the first to the last assessment."""
    given = [x for x in scores if x is not None]
    if not given:
        return _("not assessed")
    if len(given) == 1:
        return _("assessed once ({score})").format(score=given[0])
    overall = trend([given[0], given[-1]])
    return ngettext(
        "{trend}, from {first} to {last} over {n} evaluation",
        "{trend}, from {first} to {last} over {n} evaluations",
        len(given),
    ).format(
        trend=_(TRENDS[overall]) if overall in TRENDS else "–",
        first=given[0],
        last=given[-1],
        n=len(given),
    )


def scores_chart(a: Assessments, *, in_markdown: bool = True) -> Chart:
    """Risk and self-reliance over the evaluations that scored them, as a chart."""
    return Chart(
        _("Risk and self-reliance (1-5) over {n} evaluations, from {first} to {last}").format(
            n=len(a.scores), first=d(a.scores[0].date), last=d(a.scores[-1].date)
        ),
        _("Date"),
        [d(x.date) for x in a.scores],
        [
            (_("Risk (1-5)"), [x.risk for x in a.scores]),
            (_("Self-reliance (1-5)"), [x.self_reliance for x in a.scores]),
        ],
        in_markdown,
    )


def held(by: HeldBy) -> str:
    """Who holds a role, in words: the client, the case director by name, a partner by name and
    organisation, or nobody named."""
    if by.holder == "client":
        return _("the client")
    if by.holder == "icr":
        if by.name:
            return _("{name}, case director (ICR)").format(name=by.name)
        return _("the case director (ICR)")
    if by.holder == "partner":
        return s(by.name)
    return _("nobody named")


def role_facts(casus: HeldBy, proces: HeldBy, lead: HeldBy) -> list[tuple[str, str]]:
    """The facts of who holds casusregie and procesregie, and the lead practitioner's, when
    there is one."""
    rows = [(_("Casusregie"), held(casus)), (_("Procesregie"), held(proces))]
    if lead.holder is not None:
        rows.append((_("Lead practitioner (regiebehandelaar)"), held(lead)))
    return rows


# ------------------------------------------------------------------ the werkplan


def werkplan_document(plan: Werkplan) -> Document:
    """The werkplan in the order of its template: the case, the family, the people involved,
    the coordination, the goals; only the practitioner's internal copy ends with the safety
    signals (what is sent never holds them)."""
    blocks = [
        *_werkplan_case(plan),
        *_gezinsleden(plan),
        *_genogram(plan),
        *_betrokkenen(plan),
        *_afstemming(plan),
        *_doelen(plan),
        *_risico(plan),
        *_analyse(plan),
        *_veiligheidssignalen(plan),
    ]
    return Document(_("Werkplan {title}").format(title=plan.title), blocks)


def _werkplan_case(plan: Werkplan) -> list[Block]:
    """Name and date, the case's facts, and whether this is a partner's version."""
    blocks: list[Block] = [
        Facts(
            [
                (_("Name"), plan.title),
                (_("Case"), plan.ref),
                (_("Date"), d(plan.date)),
                (_("Case director (ICR)"), s(plan.regisseur)),
                *role_facts(plan.casusregie, plan.procesregie, plan.regiebehandelaar),
                (_("Regiekaart phase"), phase(plan.phase)),
                (_("Stage"), stage(plan.stage)),
            ]
        )
    ]
    if plan.for_partner:
        blocks.append(
            Para(
                _("Version for a partner: the plan only, without contact notes or signals."),
                "note",
            )
        )
    if plan.internal:
        blocks.append(
            Para(
                _(
                    "Internal version for the case director's own file: it holds the safety "
                    "signals. Do not send it; send the werkplan written without --internal."
                ),
                "warning",
            )
        )
    return blocks


def _gezinsleden(plan: Werkplan) -> list[Block]:
    return [
        Heading(_("Family members")),
        Table(
            [_("Name"), _("Role"), _("Born"), _("In household")],
            [[m.name, role(m.role), d(m.born), yes_no(m.household)] for m in plan.members],
            _("No family members recorded yet."),
        ),
    ]


def _genogram(plan: Werkplan) -> list[Block]:
    """The genogram: only in the practitioner's internal copy (it holds the violence between
    the family's members), drawn where Graphviz is installed."""
    if plan.genogram is None:
        return []
    from icrctl.render.genogram import INSTALL, to_dot

    return [
        Heading(_("Genogram (internal)")),
        Figure(
            _("Genogram of {title}").format(title=plan.title),
            to_dot(plan.genogram),
            _("The genogram is drawn in the HTML version of this werkplan."),
            _("The genogram could not be drawn: Graphviz is not installed; {install}.").format(
                install=_(INSTALL)
            ),
        ),
    ]


def _betrokkenen(plan: Werkplan) -> list[Block]:
    """The professionals and network, and how many were left out of a partner's version."""
    blocks: list[Block] = [
        Heading(_("Professionals and others (network) who matter to the family")),
        Table(
            [
                _("Name of the person involved"),
                _("Relation to the family and/or organisation"),
                _("Email address"),
                _("Phone number"),
                _("Days when best reached"),
            ],
            [
                [
                    _("{name} (no consent to share information)").format(name=p.name)
                    if p.consent is False
                    else p.name,
                    role(p.relation),
                    s(p.email),
                    s(p.phone),
                    ", ".join(day_short(x) for x in p.reachable) or "–",
                ]
                for p in plan.people
            ],
            _("No people involved recorded yet."),
        ),
    ]
    if plan.left_out:
        blocks.append(
            Para(
                ngettext(
                    "{n} professional without consent to share information is left out of "
                    "this version.",
                    "{n} professionals without consent to share information are left out of "
                    "this version.",
                    plan.left_out,
                ).format(n=plan.left_out),
                "note",
            )
        )
    return blocks


def _afstemming(plan: Werkplan) -> list[Block]:
    """The agreements on coordination, then the rhythm of the evaluation meetings."""
    agreements = [[p.name, p.coordination or "–"] for p in plan.people if p.coordination]
    blocks: list[Block] = [
        Heading(_("Agreements on coordination")),
        Table([_("With"), _("Agreement")], agreements, _("No agreements on coordination yet.")),
    ]
    return blocks + (
        [Para(rhythm(r)) for r in plan.rhythm]
        or [Para(_("No regular evaluation meetings planned yet."), "note")]
    )


def _doelen(plan: Werkplan) -> list[Block]:
    """Per goal: Doel / Wie doet / Wat, with its deadline and status."""
    return [
        Heading(_("Goals and agreements")),
        Table(
            [_("Goal"), _("Who"), _("What"), _("Due"), _("Status")],
            [[g.goal, s(g.who), s(g.what), d(g.due), _goal_status(g.status)] for g in plan.goals],
            _("No goals recorded yet."),
        ),
    ]


def _risico(plan: Werkplan) -> list[Block]:
    """The latest risk and self-reliance scores, their course in words and, from two
    evaluations on, a chart; not in a partner's version (the plan only)."""
    if plan.for_partner:
        return []
    a = plan.assessments
    blocks: list[Block] = [Heading(_("Risk and self-reliance"))]
    if not a.scores:
        return [*blocks, Para(_("No risk or self-reliance scores recorded yet."), "note")]
    latest = a.scores[-1]
    blocks.append(
        Para(
            _(
                "Latest scores ({date}): safety risk {risk}, self-reliance {self_reliance} (1-5)."
            ).format(
                date=d(latest.date), risk=s(latest.risk), self_reliance=s(latest.self_reliance)
            )
        )
    )
    blocks.append(
        Para(
            _("Safety risk: {risk}. Self-reliance: {self_reliance}.").format(
                risk=in_words([x.risk for x in a.scores]),
                self_reliance=in_words([x.self_reliance for x in a.scores]),
            )
        )
    )
    return blocks + ([scores_chart(a)] if len(a.scores) > 1 else [])


def _goal_status(term: str) -> str:
    return GOAL_STATUS.label(term) if term in GOAL_STATUS.terms else term


def _analyse(plan: Werkplan) -> list[Block]:
    """The Casus Plus analysis: only in the internal copy (it names risk factors per member),
    and only when the case has one."""
    if not plan.internal or plan.analysis is None:
        return []
    from icrctl.render.analysis import analysis_blocks

    heading = Heading(_("Casus Plus analysis (internal, not for distribution)"))
    return [heading, *analysis_blocks(plan.analysis, level=3)]


def _veiligheidssignalen(plan: Werkplan) -> list[Block]:
    """The safety signals: only in the practitioner's internal copy, never in one to send."""
    if not plan.internal:
        return []
    return [
        Heading(_("Safety signals (internal, not for distribution)")),
        Table(
            [_("Date"), _("Kind"), _("Note")],
            [[d(c.date), _contact_kind(c.kind), c.note] for c in plan.signals],
            _("No safety signals recorded."),
        ),
    ]


def _contact_kind(term: str) -> str:
    return CONTACT_KIND.label(term) if term in CONTACT_KIND.terms else term


# ------------------------------------------------------------------ the closing report


def report_document(r: ClosingReport) -> Document:
    """The eindrapport: the case, its course, goals, evaluations and why it can close safely."""
    if r.closed:
        title = _("Closing report {title}").format(title=r.title)
    else:
        title = _("Closing report {title} (draft: the case is not closed yet)").format(
            title=r.title
        )
    blocks = [
        _report_case(r),
        *_report_people(r),
        *_verloop(r),
        *_nazorg(r),
        *_doelen_en_resultaat(r),
        *_evaluaties(r),
        *_afsluiting(r),
    ]
    return Document(title, blocks)


def _report_case(r: ClosingReport) -> Block:
    return Facts(
        [
            (_("Case"), r.ref),
            (_("Opened"), d(r.opened)),
            (_("Closed"), d(r.closed)),
            (_("Case director (ICR)"), s(r.regisseur)),
            *role_facts(r.casusregie, r.procesregie, r.regiebehandelaar),
            (_("Referrer"), s(r.referrer)),
            (_("Framework"), FRAMEWORK.label(r.framework)),
            (_("Forms of violence"), ", ".join(VIOLENCE.label(v) for v in r.violence) or "–"),
            (_("Life domains"), ", ".join(DOMAIN.label(v) for v in r.domains) or "–"),
            (_("Report date"), d(r.date)),
        ]
    )


def _report_people(r: ClosingReport) -> list[Block]:
    """Who the case was about and who worked on it: the members, the partners with consent."""
    return [
        Heading(_("Family members")),
        Table(
            [_("Name"), _("Role")],
            [[m.name, role(m.role)] for m in r.members],
            _("No family members recorded."),
        ),
        Heading(_("Professionals involved")),
        Table(
            [_("Name"), _("Organisation"), _("Role"), _("Consent to share information")],
            [[p.name, p.organisation, s(p.role), yes_no(p.consent)] for p in r.partners],
            _("No professionals involved recorded."),
        ),
    ]


def reason_words(text: str) -> str:
    """A phase's reason: icrctl's own words translated, a practitioner's as given."""
    return _(REASONS[text]) if text in REASONS else text


def _stages_table(stages: list[StageEntry]) -> Table:
    """Date and stage of each step; a reason column only when a step has one (a case closed
    despite its closing checklist)."""
    if not any(x.reason for x in stages):
        return Table([_("Date"), _("Stage")], [[d(x.date), stage(x.stage)] for x in stages])
    return Table(
        [_("Date"), _("Stage"), _("Reason")],
        [[d(x.date), stage(x.stage), x.reason or ""] for x in stages],
    )


def _verloop(r: ClosingReport) -> list[Block]:
    """The course through the regiekaart phases and through the stages."""
    return [
        Heading(_("Course: the phases of the regiekaart")),
        Table(
            [_("Date"), _("Phase"), _("Reason")],
            [[d(p.date), phase(p.phase), reason_words(p.reason)] for p in r.phases],
        ),
        Heading(_("Course: stages")),
        _stages_table(r.stages),
    ]


def _nazorg(r: ClosingReport) -> list[Block]:
    """Aftercare: from when to when the case was in it, and its follow-up contacts."""
    if not r.aftercare:
        return [Heading(_("Aftercare")), Para(_("The case was never in aftercare."), "note")]
    stays = [
        _("From {start} to {end}.").format(start=d(p.start), end=d(p.end))
        if p.end
        else _("From {start}, still in aftercare.").format(start=d(p.start))
        for p in r.aftercare
    ]
    return [
        Heading(_("Aftercare")),
        *(Para(stay) for stay in stays),
        Table(
            [_("Follow-up contact due"), _("Held on")],
            [[d(f.due), d(f.done) if f.done else _("not held")] for f in r.follow_ups],
            _("No follow-up contacts planned."),
        ),
    ]


def _doelen_en_resultaat(r: ClosingReport) -> list[Block]:
    return [
        Heading(_("Goals and result")),
        Table(
            [_("Goal"), _("Who"), _("Result"), _("Since")],
            [[g.goal, s(g.who), _goal_status(g.status), d(g.status_date)] for g in r.goals],
            _("No goals recorded."),
        ),
    ]


def _evaluaties(r: ClosingReport) -> list[Block]:
    """The meetings held with who attended, was absent or refused, how risk and self-reliance
    went, and the count of contacts."""
    return [
        Heading(_("Evaluations")),
        Table(
            [
                _("Date"),
                _("Risk (1-5)"),
                _("Self-reliance (1-5)"),
                _("Present"),
                _("Absent"),
                _("Refused"),
            ],
            [
                [
                    _("{date} (extra)").format(date=d(m.date)) if m.extra else d(m.date),
                    s(m.risk),
                    s(m.self_reliance),
                    ", ".join(m.present) or "–",
                    ", ".join(m.absent) or "–",
                    ", ".join(m.refused) or "–",
                ]
                for m in r.meetings
            ],
            _("No evaluations held."),
        ),
        *(
            [scores_chart(r.assessments, in_markdown=False)]
            if len(r.assessments.scores) > 1
            else []
        ),
        Para(
            _("Safety risk: {risk}; self-reliance: {self_reliance}.").format(
                risk=_course([x.risk for x in r.assessments.scores]),
                self_reliance=_course([x.self_reliance for x in r.assessments.scores]),
            )
        ),
        Para(
            _("Contacts recorded: {contacts}, of which safety signals: {signals}.").format(
                contacts=r.contacts, signals=r.signals
            )
        ),
    ]


def _afsluiting(r: ClosingReport) -> list[Block]:
    """The two texts given when closing: why the case can close, and safety."""
    return [
        Heading(_("Closing: why the case can close")),
        _given_at_closing(r.summary),
        Heading(_("Safety")),
        _given_at_closing(r.safety),
    ]


def _given_at_closing(text: str | None) -> Para:
    """A text the practitioner gives when closing, or a warning that it is still missing."""
    if text:
        return Para(text)
    return Para(_("Not filled in yet: it is recorded when the case is closed."), "warning")
