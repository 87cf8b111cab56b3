"""Planning one case: its own row, then each kind of record it holds, in the order the rows
depend on each other (members and partners before the series and meetings that name them)."""

from __future__ import annotations

from typing import Any

from icrctl.i18n import _
from icrctl.io.records import CaseRec
from icrctl.services.cases import RETENTION_YEARS, add_years
from icrctl.services.importer.analysis import plan_analysis
from icrctl.services.importer.checklist import plan_checklist
from icrctl.services.importer.evaluations import plan_meeting_notes, plan_meetings, plan_series
from icrctl.services.importer.history import plan_events, plan_phases, plan_stages
from icrctl.services.importer.indicators import plan_indicators
from icrctl.services.importer.members import member_numbers, plan_members
from icrctl.services.importer.partners import Directory, plan_links, unlinked_partners
from icrctl.services.importer.plan import CaseScope, Plan
from icrctl.services.importer.roles import plan_roles
from icrctl.services.importer.worklog import plan_aftercare, plan_contacts, plan_goals


def _refuse_shared_keys(
    plan: Plan, c: CaseRec, members: dict[str, Any], linked: dict[str, Any]
) -> None:
    """A key names one person of a case: a member and a linked partner under the same key would
    make ``with``, attendance and the analysis' ``member`` mean either."""
    for key in sorted(members.keys() & linked.keys()):
        plan.error(
            c.at,
            "members",
            _(
                "the key {key} names both a member and a partner of this case; give the member "
                "another key"
            ).format(key=key),
        )


def plan_case(plan: Plan, directory: Directory, c: CaseRec) -> None:
    """Every insert and update one case of the file asks for."""
    scope = _plan_case_row(plan, c)
    members = plan_members(plan, scope)
    scope.people.update(members)
    linked = plan_links(plan, directory, scope)
    _refuse_shared_keys(plan, c, members, linked)
    scope.people.update({key: p for key, p in linked.items() if key not in members})
    plan_roles(plan, scope, linked)
    scope.people.update(unlinked_partners(directory, scope))
    phases = plan_phases(plan, scope)
    plan_stages(plan, scope)
    plan_events(plan, scope)
    plan_checklist(plan, scope, phases)
    series = plan_series(plan, scope)
    meetings = plan_meetings(plan, scope, series)
    contacts = plan_contacts(plan, scope)
    goals = plan_goals(plan, scope)
    plan_meeting_notes(plan, scope, meetings, goals)
    plan_aftercare(plan, scope, contacts)
    plan_indicators(plan, scope)
    plan_analysis(plan, directory, scope, goals)
    if scope.row is not None:
        if plan.touched.get(c.ref):
            plan.result.cases_updated.append(c.ref)
        else:
            plan.result.cases_unchanged += 1


def _plan_case_row(plan: Plan, c: CaseRec) -> CaseScope:
    """The case's own row, inserted or updated (``updated_at`` only when a field changed)."""
    row = plan.x.cases.get(c.ref)
    if c.ref in plan.x.taken:
        plan.error(
            c.at,
            "ref",
            _(
                "case {ref} already exists in the team database, another practitioner's case "
                "you cannot see: give this one another ref"
            ).format(ref=c.ref),
        )
    rows = plan.x.of_case(row["id"] if row else -1)
    values = _case_values(c, row)
    values["last_member_number"] = member_numbers(c, row, rows["members"])[1]
    if row is None:
        values |= {"created_at": plan.now, "updated_at": plan.now}
        plan.result.cases_created.append(c.ref)
        return CaseScope(c, None, plan.insert("cases", values, c.ref), rows)
    before = plan.result.updated["cases"]
    case = plan.merge("cases", row, values, c.ref)
    if plan.result.updated["cases"] > before:
        plan.updates["cases"][-1][1]["updated_at"] = plan.now
    return CaseScope(c, row, case, rows)


def _case_values(c: CaseRec, row: dict[str, Any] | None) -> dict[str, Any]:
    """The case's fields; a closed case without a retention date keeps the one it has, or gets
    the default (20 years after closing)."""
    retention = c.retention_until
    if retention is None and c.closed is not None:
        retention = (row or {}).get("retention_until") or add_years(c.closed, RETENTION_YEARS)
    return {
        "ref": c.ref,
        "title": c.title,
        "opened": c.opened,
        "closed": c.closed,
        "stage": c.stage,
        "phase": c.phase,
        "framework": c.framework,
        "regie": c.regie,
        "procesregie": c.procesregie,
        "regisseur": c.regisseur,
        "referrer": c.referrer,
        "violence": list(c.violence),
        "domains": list(c.domains),
        "plan_signed": c.plan_signed,
        "closing_summary": c.summary,
        "closing_safety": c.safety,
        "retention_until": retention,
    }
