"""One table knows how long a text may be: ``domain.text.MAX_LENGTH``, from which the models
declare their ``String(n)`` columns. Every other ``String(n)`` column holds a value the user
cannot type freely (a vocabulary word, a time, a code, a hash)."""

from __future__ import annotations

from sqlalchemy import String

from icrctl.db.models import Base, load_all
from icrctl.domain.text import MAX_LENGTH

#: The columns a user types freely, and the field of MAX_LENGTH that bounds each.
TYPED = {
    "cases.ref": "ref",
    "cases.title": "title",
    "cases.regisseur": "regisseur",
    "members.key": "key",
    "members.name": "name",
    "members.phone": "phone",
    "members.email": "email",
    "partners.key": "key",
    "partners.name": "name",
    "partners.organisation": "organisation",
    "partners.email": "email",
    "partners.phone": "phone",
    "audit_log.ref": "ref",
    "team_members.display_name": "regisseur",
}

#: The other String columns: what fills them, so that none holds free text unbounded.
CONTROLLED = {
    "cases.owner": "a database role (63, PostgreSQL's limit; current_user by default)",
    "case_shares.role": "a database role of the team (checked by its name rule)",
    "team_members.role": "a database role (checked by its name rule)",
    "cases.stage": "vocabulary",
    "cases.framework": "vocabulary",
    "cases.regie": "vocabulary",
    "cases.procesregie": "icr or partner (a check constraint)",
    "indicator_scores.key": "the study's indicator keys",
    "indicator_scores.score": "++ + 0 - (a check constraint)",
    "analysis_factors.kind": "protective, risk or lever (a check constraint)",
    "interventions.term": "short or long (a check constraint)",
    "members.role": "vocabulary",
    "member_relations.kind": "vocabulary",
    "partners.kind": "vocabulary",
    "phase_changes.track": "vocabulary",
    "stage_changes.stage": "vocabulary",
    "case_events.kind": "vocabulary",
    "checklist_items.track": "vocabulary",
    "checklist_items.item": "the regiekaart's checklist codes",
    "evaluation_series.every": "a cadence",
    "evaluation_series.weekday": "vocabulary",
    "evaluation_series.time": "HH:MM",
    "evaluation_series.workdays": "next or previous",
    "meetings.status": "vocabulary",
    "meetings.time": "HH:MM",
    "meetings.moved_time": "HH:MM",
    "attendance.presence": "vocabulary",
    "contacts.kind": "vocabulary",
    "goals.status": "vocabulary",
    "audit_log.user": "the operating-system user",
    "audit_log.command": "the command path",
    "audit_log.action": "a fixed word",
    "audit_log.ref_digest": "a sha256 hex digest",
    "audit_log.entity": "a fixed word",
    "audit_log.prev_hash": "a sha256 hex digest",
    "audit_log.hash": "a sha256 hex digest",
    "settings.key": "a setting's name (the application's fixed list)",
    "settings.value": "a setting's value, checked by the setting's own rule",
    "settings.changed_by": "the operating-system user or database role",
}


def _string_columns() -> dict[str, int | None]:
    load_all()
    return {
        f"{table.name}.{column.name}": column.type.length
        for table in Base.metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, String) and type(column.type) is String
    }


def test_every_typed_column_is_as_long_as_its_field_allows() -> None:
    columns = _string_columns()
    for name, field in TYPED.items():
        assert columns[name] == MAX_LENGTH[field], name


def test_every_string_column_is_typed_text_or_controlled() -> None:
    columns = set(_string_columns())
    assert columns - set(TYPED) - set(CONTROLLED) == set(), "a new String column: bound it"
    assert set(TYPED) | set(CONTROLLED) >= columns
    assert set(MAX_LENGTH) == set(TYPED.values())
