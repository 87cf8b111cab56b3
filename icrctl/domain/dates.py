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
from icrctl.i18n import N_, _

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
        first, last = FIRST_DAY.isoformat(), LAST_DAY.isoformat()
        if value.isoformat() == text.strip():
            message = _("invalid date {text}: dates run from {first} to {last}")
        else:
            message = _("invalid date {text} ({date}): dates run from {first} to {last}")
        raise InvalidValue(
            message.format(text=repr(text), date=value.isoformat(), first=first, last=last)
        )
    return value


def _make(year: int, month: int, day: int, text: str) -> date:
    try:
        value = date(year, month, day)
    except ValueError:
        raise InvalidValue(_("invalid date {text}: no such day").format(text=repr(text))) from None
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
        _(
            "invalid date {text}: use 2026-11-24, 24-11-2026, today, tomorrow, yesterday, "
            "+3d, -2w or a weekday name"
        ).format(text=repr(text))
    )


def parse_iso_date(text: str) -> date:
    """Strict ISO ``YYYY-MM-DD``, as the import file requires."""
    m = _ISO.match(text.strip())
    if not m:
        raise InvalidValue(_("invalid date {text}: expected YYYY-MM-DD").format(text=repr(text)))
    return _make(int(m[1]), int(m[2]), int(m[3]), text)


def parse_iso_week(text: str) -> date:
    """The Monday of an ISO week (``2026-W48``), within the dates icrctl takes."""
    m = _WEEK.match(text.strip())
    if not m:
        raise InvalidValue(
            _("invalid week {text}: use the ISO form 2026-W48").format(text=repr(text))
        )
    year, week = int(m[1]), int(m[2])
    if not FIRST_DAY.year <= year <= LAST_DAY.year:
        raise InvalidValue(
            _("invalid week {text}: weeks run from {first}-W01 to {last}-W52").format(
                text=repr(text), first=FIRST_DAY.year, last=LAST_DAY.year
            )
        )
    try:
        monday = date.fromisocalendar(year, week, 1)
    except ValueError:
        raise InvalidValue(
            _("invalid week {text}: {year} has no week {week}").format(
                text=repr(text), year=m[1], week=week
            )
        ) from None
    return monday  # every week of 1900 to 2199 lies within FIRST_DAY to LAST_DAY


def parse_time(text: str) -> time:
    """``HH:MM`` on a 24-hour clock."""
    m = _TIME.match(text.strip())
    if not m or int(m[1]) > 23 or int(m[2]) > 59:
        raise InvalidValue(
            _("invalid time {text}: expected HH:MM between 00:00 and 23:59").format(text=repr(text))
        )
    return time(int(m[1]), int(m[2]))


def format_time(value: time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


#: The dates :func:`not_in_future` is asked about, each with its whole sentence (the word order
#: differs between the languages); any other ``what`` gets the general one.
_IN_THE_FUTURE = {
    "born": N_("born {date} is in the future"),
    "opened": N_("opened {date} is in the future"),
    "date": N_("date {date} is in the future"),
    "a contact's date": N_("a contact's date {date} is in the future"),
    "an extra meeting's date": N_("an extra meeting's date {date} is in the future"),
}


def not_in_future(value: date, today: date, what: str) -> date:
    """``value``, unless it lies after ``today``; ``what`` names the date in the refusal."""
    if value > today:
        words = _IN_THE_FUTURE.get(what)
        if words is None:
            message = _("{what} {date} is in the future").format(what=what, date=value.isoformat())
        else:
            message = _(words).format(date=value.isoformat())
        raise InvalidValue(message)
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
    """Why an opening date is refused: it lies too long ago (a sentence of its own)."""
    return _("{date} lies more than {years} years ago (before {first})").format(
        date=opened.isoformat(), years=OLDEST_CASE_YEARS, first=oldest_opening(today).isoformat()
    )


def check_opened(opened: date, today: date) -> date:
    """A case opens today or on a day of the last :data:`OLDEST_CASE_YEARS` years."""
    not_in_future(opened, today, "opened")
    if opened < oldest_opening(today):
        raise InvalidValue(
            _("opened {date} lies more than {years} years ago (before {first})").format(
                date=opened.isoformat(),
                years=OLDEST_CASE_YEARS,
                first=oldest_opening(today).isoformat(),
            )
        )
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
