"""``icrctl config``: the settings kept in the case file (on a server, the team's), read through
the rules of ``domain/config.py``. Changing one is audited; on a team's server every icr role
reads them and only the lead changes them (the server's grants, migration 0007 and ``team``).

A default depends on whether the case file is a team's (team mode: a PostgreSQL database set up
with ``team init``, ``Context.team``) or one practitioner's (``audit_reads`` is on for a team, off
otherwise).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from icrctl.db.models import Setting
from icrctl.domain import config
from icrctl.services import audit
from icrctl.services.context import Context, utc_now


@dataclass
class SettingRow:
    key: str
    value: str
    default: bool
    changed_at: dt.datetime | None
    changed_by: str | None


def _row(ctx: Context, known: config.Known, stored: Setting | None) -> SettingRow:
    if stored is None:
        return SettingRow(known.key, known.default(bool(ctx.team)), True, None, None)
    return SettingRow(known.key, stored.value, False, stored.changed_at, stored.changed_by)


def list_settings(session: Session, ctx: Context) -> list[SettingRow]:
    """Every known setting with its value, and whether that is the default."""
    stored = {s.key: s for s in session.scalars(select(Setting))}
    return [_row(ctx, known, stored.get(key)) for key, known in config.KNOWN.items()]


def get_setting(session: Session, ctx: Context, key: str) -> SettingRow:
    known = config.known(key)
    return _row(ctx, known, session.get(Setting, known.key))


def value_of(session: Session, ctx: Context, key: str) -> str:
    """The setting's value in effect (what is stored, else the default)."""
    return get_setting(session, ctx, key).value


def reads_audited(session: Session, ctx: Context) -> bool:
    return value_of(session, ctx, config.AUDIT_READS) == config.ON


def set_setting(session: Session, ctx: Context, key: str, value: str) -> tuple[SettingRow, bool]:
    """Keep ``value`` (read by the setting's rule); whether it changed anything. Setting the
    default's value explicitly is kept too: it then no longer follows a changed default."""
    known, value = config.parse(key, value)
    stored = session.get(Setting, known.key)
    if stored is not None and stored.value == value:
        return _row(ctx, known, stored), False
    if stored is None:
        stored = Setting(key=known.key)
        session.add(stored)
    stored.value, stored.changed_at, stored.changed_by = value, utc_now(), ctx.user[:100]
    audit.record(session, ctx, "update", "setting", None, [f"{known.key}={value}"])
    return _row(ctx, known, stored), True


def unset_setting(session: Session, ctx: Context, key: str) -> tuple[SettingRow, bool]:
    """Back to the default; whether the setting was set."""
    known = config.known(key)
    stored = session.get(Setting, known.key)
    if stored is None:
        return _row(ctx, known, None), False
    session.delete(stored)
    audit.record(session, ctx, "delete", "setting", None, [known.key])
    return _row(ctx, known, None), True
