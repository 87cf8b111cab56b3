"""Planning a case's Casus Plus analysis: its texts (one row per case), the factors of its
members, its interventions (each with the goal it serves) and its roles.

The texts are matched by the case; a factor by member, kind and text; an intervention by term
and text; a role by its wording. The n-th entry of the file with such a key gets the n-th row
with it, as with goals and contacts.
"""

from __future__ import annotations

from typing import Any

from icrctl.i18n import _
from icrctl.io.records import AnalysisRec
from icrctl.services.importer.partners import Directory
from icrctl.services.importer.plan import CaseScope, Matcher, Plan, Ref


def plan_analysis(plan: Plan, directory: Directory, scope: CaseScope, goals: list[Ref]) -> None:
    """The analysis of the case, when the file gives one; ``goals`` are the case's goals in the
    order of the file (an intervention names one by its place, from 1)."""
    a = scope.rec.analysis
    if a is None:
        return
    _plan_texts(plan, scope, a)
    _plan_factors(plan, scope, a)
    _plan_interventions(plan, scope, a, goals)
    _plan_roles(plan, directory, scope, a)


def _plan_texts(plan: Plan, scope: CaseScope, a: AnalysisRec) -> None:
    """Problem, about, desired: the case's one row, inserted only when a text is given."""
    rows = scope.rows["analyses"]
    values: dict[str, Any] = {"problem": a.problem, "about": a.about, "desired": a.desired}
    row = rows[0] if rows else None
    if row is None and not any(values.values()):
        return
    before = plan.result.updated["analyses"]
    if row is None:
        values["updated_at"] = plan.now
    plan.merge("analyses", row, values, scope.rec.ref, case_id=scope.case)
    if plan.result.updated["analyses"] > before:
        plan.updates["analyses"][-1][1]["updated_at"] = plan.now


def _plan_factors(plan: Plan, scope: CaseScope, a: AnalysisRec) -> None:
    have = Matcher(scope.rows["analysis_factors"], lambda r: (r["member_id"], r["kind"], r["text"]))
    for f in a.factors:
        person = scope.people.get(f.member)
        if person is None or person[0] != "member":
            plan.error(
                f.at, "member", _("no member with key {key} in this case").format(key=f.member)
            )
            continue
        member = person[1]
        row = have.get((member, f.kind, f.text)) if isinstance(member, int) else None
        values = {"kind": f.kind, "text": f.text}
        _merge(plan, "analysis_factors", row, values, scope, member_id=member)


def _plan_interventions(plan: Plan, scope: CaseScope, a: AnalysisRec, goals: list[Ref]) -> None:
    have = Matcher(scope.rows["interventions"], lambda r: (r["term"], r["text"]))
    for i in a.interventions:
        row = have.get((i.term, i.text))
        goal = None if i.goal is None else goals[i.goal - 1]
        values = {"term": i.term, "text": i.text}
        _merge(plan, "interventions", row, values, scope, goal_id=goal)


def _plan_roles(plan: Plan, directory: Directory, scope: CaseScope, a: AnalysisRec) -> None:
    have = Matcher(scope.rows["role_fits"], lambda r: r["role"])
    for r in a.roles:
        row = have.get(r.role)
        partner = None if r.partner is None else _partner(plan, directory, r.partner)
        if r.partner is not None and partner is None:
            plan.error(
                r.at,
                "partner",
                _(
                    "no partner {key!r} in the file's partners or in the case file's directory"
                ).format(key=r.partner),
            )
            continue
        values = {"role": r.role, "who": r.who, "why": r.why}
        _merge(plan, "role_fits", row, values, scope, partner_id=partner)


def _merge(
    plan: Plan,
    table: str,
    row: dict[str, Any] | None,
    values: dict[str, Any],
    scope: CaseScope,
    **links: Ref | None,
) -> None:
    """Insert or update a row of the analysis; ``links`` are the rows it points to (a member,
    a goal, a partner: possibly new in this import, or none)."""
    if row is None:
        given = {k: v for k, v in links.items() if v is not None}
        plain = {k: None for k, v in links.items() if v is None}
        plan.insert(table, values | plain, scope.rec.ref, case_id=scope.case, **given)
    else:
        plan.merge(table, row, values | links, scope.rec.ref)


def _partner(plan: Plan, directory: Directory, key: str) -> Ref | None:
    """A partner of the file's directory or of the case file's, by key."""
    if key in directory.by_key:
        return directory.by_key[key]
    row = plan.x.partners_by_key.get(key)
    return int(row["id"]) if row is not None else None
