"""The Casus Plus analysis of a case (Kennemerland: stage *analysis and plan*): the problem and
whom it is about; per member the protective factors, the risk factors and the levers that can
move them; the desired situation "if everything were possible"; interventions for the short and
the long term, each linked to a goal; and per role the professional who fits it best, and why.

It is internal: it names risk factors per member. Its parts are numbered per case in the order
they are shown (factors by member, then protective, risk, lever; interventions short term first;
roles as added): the numbers ``analysis REF`` shows are the ones to edit and remove by; they
close up after a removal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from icrctl.db.models import (
    Analysis,
    AnalysisFactor,
    Case,
    Goal,
    Intervention,
    Member,
    Partner,
    RoleFit,
)
from icrctl.domain.analysis import FACTOR_KIND, TERM
from icrctl.domain.text import clean_text, optional_text
from icrctl.errors import InvalidValue, NotFound, RuleViolation
from icrctl.i18n import N_, _
from icrctl.services import audit
from icrctl.services.context import Context, utc_now
from icrctl.services.edits import apply_changes
from icrctl.services.goals import find_goal
from icrctl.services.lookup import find_link, find_member, find_partner, get_case, open_case

T = TypeVar("T", AnalysisFactor, Intervention, RoleFit)

#: The refusal of a number a part of the analysis does not have, per part.
NO_SUCH_PART = {
    "factor": N_("case {ref} has no factor {number}; 'icrctl analysis {ref}' shows them"),
    "intervention": N_(
        "case {ref} has no intervention {number}; 'icrctl analysis {ref}' shows them"
    ),
    "role": N_("case {ref} has no role {number}; 'icrctl analysis {ref}' shows them"),
}


@dataclass
class FactorRow:
    number: int
    member: str  # the member's key
    name: str  # the member's name
    kind: str  # protective, risk, lever
    text: str


@dataclass
class InterventionRow:
    number: int
    term: str  # short, long
    text: str
    goal: int | None  # the goal's number
    goal_text: str | None


@dataclass
class RoleFitRow:
    number: int
    role: str
    partner: str | None  # a partner's key
    who: str | None  # a professional named as typed (not in the directory)
    name: str  # how they read: the partner's name and organisation, or ``who``
    why: str


T_Row = TypeVar("T_Row", FactorRow, InterventionRow, RoleFitRow)


@dataclass
class AnalysisView:
    """``analysis REF``: the whole analysis of a case, its parts numbered."""

    ref: str
    title: str
    problem: str | None = None
    about: str | None = None
    #: ``about`` as people read it: member and partner keys replaced by their names.
    about_named: str | None = None
    desired: str | None = None
    factors: list[FactorRow] = field(default_factory=list)
    interventions: list[InterventionRow] = field(default_factory=list)
    roles: list[RoleFitRow] = field(default_factory=list)
    updated_at: dt.datetime | None = None

    @property
    def empty(self) -> bool:
        """Whether nothing of the analysis has been filled in yet."""
        texts = (self.problem, self.about, self.desired)
        return not any(texts) and not (self.factors or self.interventions or self.roles)


# ------------------------------------------------------------------ reading


def analysis_of(session: Session, case: Case) -> AnalysisView:
    """The case's analysis, each part in the order it is numbered."""
    row = session.scalars(select(Analysis).where(Analysis.case_id == case.id)).one_or_none()
    members = {m.id: m for m in session.scalars(select(Member).where(Member.case_id == case.id))}
    view = AnalysisView(case.ref, case.title)
    if row is not None:
        view.problem, view.about, view.desired = row.problem, row.about, row.desired
        view.about_named = _named(session, case, row.about)
        view.updated_at = row.updated_at
    view.factors = [
        FactorRow(n, members[f.member_id].key, members[f.member_id].name, f.kind, f.text)
        for n, f in enumerate(_factors(session, case), 1)
    ]
    goals = {g.id: g for g in session.scalars(select(Goal).where(Goal.case_id == case.id))}
    view.interventions = [
        InterventionRow(
            n,
            i.term,
            i.text,
            goals[i.goal_id].number if i.goal_id in goals else None,
            goals[i.goal_id].goal if i.goal_id in goals else None,
        )
        for n, i in enumerate(_interventions(session, case), 1)
    ]
    view.roles = [_role_row(session, n, r) for n, r in enumerate(_roles(session, case), 1)]
    return view


def show_analysis(session: Session, ref: str) -> AnalysisView:
    """``analysis REF``: the analysis of a case, open or closed."""
    return analysis_of(session, get_case(session, ref))


def _named(session: Session, case: Case, about: str | None) -> str | None:
    """*About whom*, with the keys of members and linked partners as their names."""
    from icrctl.services.caseview import partner_links
    from icrctl.services.documents import who_named, who_names
    from icrctl.services.members import list_members

    if about is None:
        return None
    names = who_names(list_members(session, case.ref), partner_links(session, case))
    return who_named(about, names)


def _role_row(session: Session, number: int, r: RoleFit) -> RoleFitRow:
    partner = session.get(Partner, r.partner_id) if r.partner_id is not None else None
    name = f"{partner.name} ({partner.organisation})" if partner else (r.who or "")
    return RoleFitRow(number, r.role, partner.key if partner else None, r.who, name, r.why)


def _factors(session: Session, case: Case) -> list[AnalysisFactor]:
    """By member (in the case's order), then protective, risk, lever, then as added."""
    rows = list(session.scalars(select(AnalysisFactor).where(AnalysisFactor.case_id == case.id)))
    rows.sort(key=lambda f: (f.member_id, FACTOR_KIND.order(f.kind), f.id))
    return rows


def _interventions(session: Session, case: Case) -> list[Intervention]:
    """The short term first, then the long term, each as added."""
    rows = list(session.scalars(select(Intervention).where(Intervention.case_id == case.id)))
    rows.sort(key=lambda i: (TERM.order(i.term), i.id))
    return rows


def _roles(session: Session, case: Case) -> list[RoleFit]:
    return list(
        session.scalars(select(RoleFit).where(RoleFit.case_id == case.id).order_by(RoleFit.id))
    )


def _numbered(rows: Sequence[T], number: int, case: Case, part: str) -> T:
    """The ``number``-th of ``rows`` (counted from 1), or a refusal naming the part."""
    if 1 <= number <= len(rows):
        return rows[number - 1]
    raise NotFound(_(NO_SUCH_PART[part]).format(ref=case.ref, number=number))


# ------------------------------------------------------------------ the texts


def set_texts(
    session: Session,
    ctx: Context,
    ref: str,
    *,
    problem: str | None = None,
    about: str | None = None,
    desired: str | None = None,
) -> list[str]:
    """Set the problem, whom it is about and the desired situation (an empty text clears one);
    returns the fields that changed."""
    case = open_case(session, ref)
    new: dict[str, object] = {}
    for name, value in (("problem", problem), ("about", about), ("desired", desired)):
        if value is not None:
            new[name] = optional_text(value, name, multiline=True)
    row = session.scalars(select(Analysis).where(Analysis.case_id == case.id)).one_or_none()
    if row is None:
        if not any(new.values()):
            return []
        row = Analysis(case_id=case.id, updated_at=utc_now())
        session.add(row)
    changed = apply_changes(row, new)
    if changed:
        row.updated_at = utc_now()
        audit.record(session, ctx, "update", "analysis", case.ref, changed)
    return changed


# ------------------------------------------------------------------ factors


def add_factor(
    session: Session, ctx: Context, ref: str, member: str, kind: str, text: str
) -> FactorRow:
    """A protective factor, a risk factor or a lever of one member of the case."""
    case = open_case(session, ref)
    person = find_member(session, case, member)
    row = AnalysisFactor(
        case_id=case.id,
        member_id=person.id,
        kind=FACTOR_KIND.parse(kind),
        text=clean_text(text, "text", multiline=True),
    )
    session.add(row)
    session.flush()
    audit.record(session, ctx, "create", "analysis_factor", case.ref, ["member", "kind", "text"])
    return _row_of(analysis_of(session, case).factors, row.id, _factors(session, case))


def edit_factor(
    session: Session,
    ctx: Context,
    ref: str,
    number: int,
    *,
    member: str | None = None,
    kind: str | None = None,
    text: str | None = None,
) -> tuple[FactorRow, list[str]]:
    """Change a factor's member, kind or text; returns it (numbered anew) and what changed."""
    case = open_case(session, ref)
    row = _numbered(_factors(session, case), number, case, "factor")
    new: dict[str, object] = {}
    if member is not None:
        new["member_id"] = find_member(session, case, member).id
    if kind is not None:
        new["kind"] = FACTOR_KIND.parse(kind)
    if text is not None:
        new["text"] = clean_text(text, "text", multiline=True)
    changed = [name.removesuffix("_id") for name in apply_changes(row, new)]
    if changed:
        session.flush()
        audit.record(session, ctx, "update", "analysis_factor", case.ref, changed)
    return _row_of(analysis_of(session, case).factors, row.id, _factors(session, case)), changed


def remove_factor(session: Session, ctx: Context, ref: str, number: int) -> FactorRow:
    """Remove a factor; returns it as it was."""
    case = open_case(session, ref)
    shown = analysis_of(session, case).factors
    row = _numbered(_factors(session, case), number, case, "factor")
    session.delete(row)
    audit.record(session, ctx, "delete", "analysis_factor", case.ref)
    return shown[number - 1]


def _row_of(shown: list[T_Row], row_id: int, rows: Sequence[T]) -> T_Row:
    """The shown row of the record with ``row_id`` (the records in the order they are shown)."""
    index = next(i for i, r in enumerate(rows) if r.id == row_id)
    return shown[index]


# ------------------------------------------------------------------ interventions


def add_intervention(
    session: Session, ctx: Context, ref: str, term: str, text: str, goal: int | None = None
) -> InterventionRow:
    """An intervention for the short or the long term, linked to a goal of the case."""
    case = open_case(session, ref)
    row = Intervention(
        case_id=case.id,
        term=TERM.parse(term),
        text=clean_text(text, "text", multiline=True),
        goal_id=find_goal(session, case, goal).id if goal is not None else None,
    )
    session.add(row)
    session.flush()
    audit.record(session, ctx, "create", "intervention", case.ref, ["term", "text", "goal"])
    return _row_of(analysis_of(session, case).interventions, row.id, _interventions(session, case))


def edit_intervention(
    session: Session,
    ctx: Context,
    ref: str,
    number: int,
    *,
    term: str | None = None,
    text: str | None = None,
    goal: int | None = None,
    no_goal: bool = False,
) -> tuple[InterventionRow, list[str]]:
    """Change an intervention's term, text or goal (``no_goal``: link it to none)."""
    case = open_case(session, ref)
    row = _numbered(_interventions(session, case), number, case, "intervention")
    if goal is not None and no_goal:
        raise InvalidValue(_("give --goal or --no-goal, not both"))
    new: dict[str, object] = {}
    if term is not None:
        new["term"] = TERM.parse(term)
    if text is not None:
        new["text"] = clean_text(text, "text", multiline=True)
    if goal is not None or no_goal:
        new["goal_id"] = find_goal(session, case, goal).id if goal is not None else None
    changed = [name.removesuffix("_id") for name in apply_changes(row, new)]
    if changed:
        session.flush()
        audit.record(session, ctx, "update", "intervention", case.ref, changed)
    shown = analysis_of(session, case).interventions
    return _row_of(shown, row.id, _interventions(session, case)), changed


def remove_intervention(session: Session, ctx: Context, ref: str, number: int) -> InterventionRow:
    case = open_case(session, ref)
    shown = analysis_of(session, case).interventions
    row = _numbered(_interventions(session, case), number, case, "intervention")
    session.delete(row)
    audit.record(session, ctx, "delete", "intervention", case.ref)
    return shown[number - 1]


# ------------------------------------------------------------------ roles


def add_role(
    session: Session,
    ctx: Context,
    ref: str,
    role: str,
    why: str,
    *,
    partner: str | None = None,
    who: str | None = None,
) -> RoleFitRow:
    """Who fits a role best, and why: a partner linked to the case, or a professional by name."""
    case = open_case(session, ref)
    if (partner is None) == (who is None):
        raise InvalidValue(
            _("give --partner KEY (a partner of the case) or --who NAME, one of the two")
        )
    row = RoleFit(
        case_id=case.id,
        role=clean_text(role, "role", multiline=True),
        partner_id=_linked(session, case, partner).id if partner is not None else None,
        who=clean_text(who, "who") if who is not None else None,
        why=clean_text(why, "why", multiline=True),
    )
    session.add(row)
    session.flush()
    audit.record(session, ctx, "create", "role_fit", case.ref, ["role", "partner", "who", "why"])
    return _row_of(analysis_of(session, case).roles, row.id, _roles(session, case))


def edit_role(
    session: Session,
    ctx: Context,
    ref: str,
    number: int,
    *,
    role: str | None = None,
    partner: str | None = None,
    who: str | None = None,
    why: str | None = None,
) -> tuple[RoleFitRow, list[str]]:
    """Change a role, who fits it (``partner`` or ``who``, which replaces the other) or why."""
    case = open_case(session, ref)
    row = _numbered(_roles(session, case), number, case, "role")
    if partner is not None and who is not None:
        raise InvalidValue(
            _("give --partner KEY (a partner of the case) or --who NAME, one of the two")
        )
    new: dict[str, object] = {}
    if role is not None:
        new["role"] = clean_text(role, "role", multiline=True)
    if partner is not None:
        new |= {"partner_id": _linked(session, case, partner).id, "who": None}
    if who is not None:
        new |= {"partner_id": None, "who": clean_text(who, "who")}
    if why is not None:
        new["why"] = clean_text(why, "why", multiline=True)
    changed = [name.removesuffix("_id") for name in apply_changes(row, new)]
    if changed:
        session.flush()
        audit.record(session, ctx, "update", "role_fit", case.ref, changed)
    return _row_of(analysis_of(session, case).roles, row.id, _roles(session, case)), changed


def remove_role(session: Session, ctx: Context, ref: str, number: int) -> RoleFitRow:
    case = open_case(session, ref)
    shown = analysis_of(session, case).roles
    row = _numbered(_roles(session, case), number, case, "role")
    session.delete(row)
    audit.record(session, ctx, "delete", "role_fit", case.ref)
    return shown[number - 1]


def _linked(session: Session, case: Case, name: str) -> Partner:
    """A partner of the directory who is linked to the case."""
    partner = find_partner(session, name)
    if find_link(session, case, partner) is None:
        raise RuleViolation(
            _(
                "partner {partner} is not linked to case {ref}; "
                "'icrctl partner link {ref} {partner}' first"
            ).format(partner=partner.key, ref=case.ref)
        )
    return partner


# ------------------------------------------------------------------ the document


@dataclass
class AnalysisDocument:
    """What ``analysis REF --out FILE`` writes: the analysis and the case's facts."""

    analysis: AnalysisView
    date: dt.date
    regisseur: str | None
    phase: int
    stage: str


def analysis_document(session: Session, ctx: Context, ref: str) -> AnalysisDocument:
    case = get_case(session, ref)
    return AnalysisDocument(
        analysis_of(session, case), ctx.today, case.regisseur, case.phase, case.stage
    )
