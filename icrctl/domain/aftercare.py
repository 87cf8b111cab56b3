"""Aftercare (nazorg): the follow-up contacts planned when a case enters it, and the way back
after closing.

When the help has ended the case director keeps watching for a while: a case entering the stage
``aftercare`` gets follow-up contacts planned :data:`FOLLOW_UP_MONTHS` months after that day.
A follow-up is held when the practitioner says so (``case aftercare REF --done``), or when a
contact with a member of the case is logged from :data:`HELD_FROM_DAYS` days before its due date
on: the contact marks the earliest follow-up still open (:func:`follow_up_held_by`).

After closing the way back must be short: a report (melding) logged within
:data:`REPORT_PERIOD_MONTHS` months after the case closed suggests reopening it
(:func:`in_report_period`).

Pure Python: dates in, dates out.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable

#: The follow-up contacts of aftercare, in months after the day the case entered it.
FOLLOW_UP_MONTHS: tuple[int, ...] = (1, 3, 6)
#: A contact with a member counts as a follow-up from this many days before its due date on.
HELD_FROM_DAYS = 14
#: How long after closing a report (melding) suggests reopening the case, in months.
REPORT_PERIOD_MONTHS = 12
#: The contact kind of a report (melding) about a case: the one contact a closed case takes.
REPORT = "report"


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` ``months`` calendar months later; a day the shorter month lacks becomes its last
    day (31 January + 1 month is 28 or 29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def follow_up_dates(start: dt.date, months: Iterable[int] = FOLLOW_UP_MONTHS) -> list[dt.date]:
    """The due dates of the follow-ups of an aftercare that began on ``start``, earliest first."""
    return sorted({add_months(start, n) for n in months})


def counts_from(due: dt.date) -> dt.date:
    """The first day a contact counts as the follow-up due on ``due``."""
    return due - dt.timedelta(days=HELD_FROM_DAYS)


def follow_up_held_by(open_dues: Iterable[dt.date], contact: dt.date) -> dt.date | None:
    """The follow-up a contact on ``contact`` holds: the earliest one still open whose window
    has begun (``due - HELD_FROM_DAYS <= contact``, however late); None when none has."""
    candidates = [due for due in open_dues if counts_from(due) <= contact]
    return min(candidates) if candidates else None


def overdue(open_dues: Iterable[dt.date], today: dt.date) -> list[dt.date]:
    """The open follow-ups past their due date, earliest first."""
    return sorted(due for due in open_dues if due < today)


def report_period_end(closed: dt.date) -> dt.date:
    """The last day on which a report suggests reopening a case closed on ``closed``."""
    return add_months(closed, REPORT_PERIOD_MONTHS)


def in_report_period(closed: dt.date, day: dt.date) -> bool:
    """Whether ``day`` lies from the closing day to :data:`REPORT_PERIOD_MONTHS` after it."""
    return closed <= day <= report_period_end(closed)
