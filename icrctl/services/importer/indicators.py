"""Planning a case's scores of the ICR study's indicators: one per indicator, matched by its key;
a score the file gives replaces the one the case file holds (with the file's date)."""

from __future__ import annotations

from typing import Any

from icrctl.services.importer.plan import CaseScope, Plan


def plan_indicators(plan: Plan, scope: CaseScope) -> None:
    """The case's indicator scores; an indicator the file leaves out keeps its score."""
    c = scope.rec
    have = {r["key"]: r for r in scope.rows["indicators"]}
    for i in c.indicators:
        row = have.get(i.key)
        values: dict[str, Any] = {"key": i.key, "score": i.score, "note": i.note, "date": i.date}
        if row is None or any(row[k] != v for k, v in values.items()):
            values["recorded_at"] = plan.now
        plan.merge("indicators", row, values, c.ref, case_id=scope.case)
