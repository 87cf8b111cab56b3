"""Reading dates and times the way docs/cli.md allows, and nothing else.

ISO ``2026-11-24``, Dutch ``24-11-2026``, ``today``/``tomorrow``/``yesterday`` (and ``vandaag``,
``morgen``, ``gisteren``), offsets ``+3d``/``-2w``, and a weekday name (``tue``, ``di``): the next
such day after today. Every date lies between :data:`FIRST_DAY` and :data:`LAST_DAY`.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icrctl.errors import InvalidValue

# re.ASCII: ``\d`` is 0-9 only, not every Unicode digit (full-width ``２０２６`` is no date).
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$", re.ASCII)
_DUTCH = re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$", re.ASCII)
_OFFSET = re.compile(r"^([+-])(\d{1,4})([dw])$", re.ASCII)
_TIME = re.compile(r"^(\d{1,2}):(\d{2})$", re.ASCII)
TIME_ZONE = "Europe/Amsterdam"
"""The one time zone of the practice: meetings, days and reports are Amsterdam wall-clock time."""

LOCAL = ZoneInfo(TIME_ZONE)

_RELATIVE = {"today": 0, "vandaag": 0, "tomorrow": 1, "morgen": 1, "yesterday": -1, "gisteren": -1}
_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.ASCII | re.IGNORECASE)

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2199, 12, 31)
"""The dates icrctl takes. Nothing in casework lies outside them (a birth, an opening, a due date,
a retention end), and every computation on a date (a series' meetings, a week, a moment in UTC)
stays far from the ends of Python's calendar (years 1 and 9999)."""

OLDEST_CASE_YEARS = 30
"""A case opened longer ago than this is a typing error (``0001-01-01``), not a case."""


def _bounded(value: date, text: str) -> date:
    if not FIRST_DAY <= value <= LAST_DAY:
        shown = "" if value.isoformat() == text.strip() else f" ({value.isoformat()})"
        raise InvalidValue(
            f"invalid date {text!r}{shown}: dates run from {FIRST_DAY.isoformat()} to "
            f"{LAST_DAY.isoformat()}"
        )
    return value


def _make(year: int, month: int, day: int, text: str) -> date:
    try:
        value = date(year, month, day)
    except ValueError:
        raise InvalidValue(f"invalid date {text!r}: no such day") from None
    return _bounded(value, text)


def _shift(today: date, days: int, text: str) -> date:
    """``today`` moved by ``days``, within the dates icrctl takes."""
    try:
        value = today + timedelta(days=days)
    except OverflowError:
        value = date.max if days > 0 else date.min
    return _bounded(value, text)


def parse_date(text: str, today: date) -> date:
    """Read a date as docs/cli.md allows; an invalid or ambiguous one is :class:`InvalidValue`."""
    raw = text.strip().lower()
    if m := _ISO.match(raw):
        return _make(int(m[1]), int(m[2]), int(m[3]), text)
    if m := _DUTCH.match(raw):
        return _make(int(m[3]), int(m[2]), int(m[1]), text)
    if raw in _RELATIVE:
        return _shift(today, _RELATIVE[raw], text)
    if m := _OFFSET.match(raw):
        days = int(m[2]) * (7 if m[3] == "w" else 1)
        return _shift(today, days if m[1] == "+" else -days, text)
    from icrctl.domain.vocabulary import WEEKDAY

    if raw in WEEKDAY.terms or raw in WEEKDAY.aliases:
        wanted = WEEKDAY.order(WEEKDAY.parse(raw))
        ahead = (wanted - today.weekday()) % 7 or 7
        return _shift(today, ahead, text)
    raise InvalidValue(
        f"invalid date {text!r}: use 2026-11-24, 24-11-2026, today, tomorrow, yesterday, "
        "+3d, -2w or a weekday name"
    )


def parse_iso_date(text: str) -> date:
    """Strict ISO ``YYYY-MM-DD``, as the import file requires."""
    m = _ISO.match(text.strip())
    if not m:
        raise InvalidValue(f"invalid date {text!r}: expected YYYY-MM-DD")
    return _make(int(m[1]), int(m[2]), int(m[3]), text)


def parse_iso_week(text: str) -> date:
    """The Monday of an ISO week (``2026-W48``), within the dates icrctl takes."""
    m = _WEEK.match(text.strip())
    if not m:
        raise InvalidValue(f"invalid week {text!r}: use the ISO form 2026-W48")
    year, week = int(m[1]), int(m[2])
    if not FIRST_DAY.year <= year <= LAST_DAY.year:
        raise InvalidValue(
            f"invalid week {text!r}: weeks run from {FIRST_DAY.year}-W01 to {LAST_DAY.year}-W52"
        )
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError:
        raise InvalidValue(f"invalid week {text!r}: {m[1]} has no week {week}") from None
    return monday  # every week of 1900 to 2199 lies within FIRST_DAY to LAST_DAY


def parse_time(text: str) -> time:
    """``HH:MM`` on a 24-hour clock."""
    m = _TIME.match(text.strip())
    if not m or int(m[1]) > 23 or int(m[2]) > 59:
        raise InvalidValue(f"invalid time {text!r}: expected HH:MM between 00:00 and 23:59")
    return time(int(m[1]), int(m[2]))


def format_time(value: time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def not_in_future(value: date, today: date, what: str) -> date:
    if value > today:
        raise InvalidValue(f"{what} {value.isoformat()} is in the future")
    return value


def years_before(day: date, years: int) -> date:
    """The same day ``years`` earlier; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def oldest_opening(today: date) -> date:
    """The first day a case may have opened on: :data:`OLDEST_CASE_YEARS` years ago."""
    return years_before(today, OLDEST_CASE_YEARS)


def too_long_ago(opened: date, today: date) -> str:
    return (
        f"{opened.isoformat()} lies more than {OLDEST_CASE_YEARS} years ago (before "
        f"{oldest_opening(today).isoformat()})"
    )


def check_opened(opened: date, today: date) -> date:
    """A case opens today or on a day of the last :data:`OLDEST_CASE_YEARS` years."""
    not_in_future(opened, today, "opened")
    if opened < oldest_opening(today):
        raise InvalidValue(f"opened {too_long_ago(opened, today)}")
    return opened


def age_on(born: date, on: date) -> int:
    """Whole years of age on a day (a birthday on 29 February counts on 1 March)."""
    years = on.year - born.year
    if (on.month, on.day) < (born.month, born.day):
        years -= 1
    return years


def local_today() -> date:
    """Today in Amsterdam, the practitioner's day (not the machine's or UTC's)."""
    return datetime.now(LOCAL).date()


def local_from_utc(stored: datetime) -> datetime:
    """A stored moment (naive UTC) as naive Amsterdam wall-clock time."""
    return stored.replace(tzinfo=UTC).astimezone(LOCAL).replace(tzinfo=None)


def utc_from_local(local: datetime) -> datetime:
    """An Amsterdam wall-clock time as stored: naive UTC."""
    return local.replace(tzinfo=LOCAL).astimezone(UTC).replace(tzinfo=None)


def day_start_utc(day: date) -> datetime:
    """The moment (naive UTC) the practitioner's ``day`` begins: midnight in Amsterdam."""
    return utc_from_local(datetime.combine(day, time()))
