"""Recurring evaluation series (evaluatiemomenten): the rule, and the dates it yields.

Occurrences are computed from the rule whenever they are needed (monthly ones with
:mod:`dateutil.rrule`, weekly ones by stepping whole periods); they are never stored as copies.
Times are wall-clock times in Europe/Amsterdam (see docs/format.md).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from dateutil.rrule import FR, MO, MONTHLY, SA, SU, TH, TU, WE, rrule

from icrctl.domain.dates import LOCAL
from icrctl.domain.vocabulary import WEEKDAY, Vocabulary
from icrctl.errors import InvalidValue
from icrctl.i18n import N_, _, language

AMSTERDAM = LOCAL
"""The time zone every evaluatiemoment is planned in."""

DEFAULT_TIME = dt.time(10, 0)
"""The time of an evaluatiemoment when none is given."""

CADENCES: tuple[str, ...] = ("1w", "2w", "3w", "4w", "1m", "2m")
"""The canonical cadences: every 1-4 weeks, every 1 or 2 months."""

_CADENCE_ALIASES = {
    "weekly": "1w",
    "biweekly": "2w",
    "monthly": "1m",
    "wekelijks": "1w",
    "tweewekelijks": "2w",
    "driewekelijks": "3w",
    "vierwekelijks": "4w",
    "maandelijks": "1m",
    "tweemaandelijks": "2m",
}

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""Canonical weekday codes in ``date.weekday()`` order."""
_RRULE_DAYS = (MO, TU, WE, TH, FR, SA, SU)

WORKDAYS = Vocabulary(
    N_("workdays"), ("next", "previous"), {"volgende": "next", "vorige": "previous"}
)
"""Where a series' occurrence on a weekend or public holiday goes: the next or previous working
day (``eval schedule --workdays``)."""

_SHIFT_LIMIT = 14
"""Days a meeting may move to reach a working day; the longest run of days off in the Netherlands
(a weekend with Good Friday, Easter Monday and Koningsdag around it) is five."""


def parse_cadence(text: str) -> str:
    """Read a cadence (``2w``, ``biweekly``, ``tweewekelijks``, any case) as its canonical code."""
    key = text.strip().lower()
    if key in CADENCES:
        return key
    if key in _CADENCE_ALIASES:
        return _CADENCE_ALIASES[key]
    accepted = ", ".join((*CADENCES, *_CADENCE_ALIASES))
    raise InvalidValue(_unknown(N_("cadence"), repr(text), accepted))


def _unknown(name: str, text: str, choices: str) -> str:
    """The refusal of an unknown word, as :meth:`Vocabulary.parse` words it."""
    return _("unknown {name} {text}; expected one of: {choices}").format(
        name=_(name), text=text, choices=choices
    )


@dataclass(frozen=True)
class Rule:
    """An evaluation series: every ``every`` from ``start`` at ``time``, up to ``until``.

    ``every`` is a canonical cadence and ``weekday`` a canonical code (``mon`` … ``sun``); use
    :func:`make_rule` to read aliases. ``workdays`` (``next``, ``previous`` or None) moves an
    occurrence on a weekend or public holiday to a working day (:func:`occurrences`). An invalid
    rule raises :class:`InvalidValue`.
    """

    every: str
    start: dt.date
    time: dt.time
    weekday: str | None = None
    until: dt.date | None = None
    workdays: str | None = None

    def __post_init__(self) -> None:
        if self.every not in CADENCES:
            raise InvalidValue(_unknown(N_("cadence"), repr(self.every), ", ".join(CADENCES)))
        if self.weekday is not None and self.weekday not in _WEEKDAYS:
            raise InvalidValue(_unknown(N_("weekday"), repr(self.weekday), ", ".join(_WEEKDAYS)))
        if self.workdays is not None and self.workdays not in WORKDAYS.terms:
            raise InvalidValue(
                _unknown(WORKDAYS.name, repr(self.workdays), ", ".join(WORKDAYS.terms))
            )
        if self.time.tzinfo is not None:
            raise InvalidValue(
                _("the time of an evaluation is a wall-clock time without time zone")
            )
        if self.until is not None and self.until < self.start:
            raise InvalidValue(
                _("until {until} is before start {start}").format(
                    until=self.until.isoformat(), start=self.start.isoformat()
                )
            )

    @property
    def weekly(self) -> bool:
        """True for the weekly kinds (1w..4w), False for the monthly ones (1m, 2m)."""
        return self.every.endswith("w")

    @property
    def day(self) -> str | None:
        """The weekday it meets on: the one given, or its start's for a weekly rule; ``None``
        for a monthly rule that keeps to a day of the month."""
        return self.weekday or (_WEEKDAYS[self.start.weekday()] if self.weekly else None)

    @property
    def interval(self) -> int:
        """The number of weeks (weekly kinds) or months (monthly kinds) between occurrences."""
        return int(self.every[:-1])


def make_rule(
    every: str,
    start: dt.date,
    time: dt.time = DEFAULT_TIME,
    weekday: str | None = None,
    until: dt.date | None = None,
    workdays: str | None = None,
) -> Rule:
    """Build a :class:`Rule` from user input, reading aliases (``maandelijks``, ``di``,
    ``volgende``)."""
    return Rule(
        every=parse_cadence(every),
        start=start,
        time=time,
        weekday=None if weekday is None else WEEKDAY.parse(weekday),
        until=until,
        workdays=None if workdays is None else WORKDAYS.parse(workdays),
    )


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time())


def _weekly(rule: Rule, lo: dt.date, hi: dt.date) -> list[dt.date]:
    """Every ``interval`` weeks from the first meeting on, within ``[lo, hi]``.

    What rrule's WEEKLY rule gives, stepped directly: a weekly series has a fixed period, and
    rrule's general iterator costs about 20 µs a date, while an overdue count reads every date
    of a long-running case."""
    wanted = _WEEKDAYS.index(rule.weekday) if rule.weekday else rule.start.weekday()
    anchor = rule.start + dt.timedelta(days=(wanted - rule.start.weekday()) % 7)
    period = 7 * rule.interval
    # Jump whole periods to the window, so a window far from start costs nothing extra.
    skip = max(0, -((anchor - lo).days // period))
    if (hi - anchor).days < skip * period:
        return []
    first = anchor + dt.timedelta(days=skip * period)
    count = (hi - first).days // period + 1
    return [first + dt.timedelta(days=period * k) for k in range(count)]


def _monthly(rule: Rule, lo: dt.date, hi: dt.date) -> rrule:
    months = (lo.year - rule.start.year) * 12 + lo.month - rule.start.month
    skip = max(0, months // rule.interval) * rule.interval
    first = rule.start.replace(day=1) + relativedelta(months=skip) if skip else rule.start
    if rule.weekday is None:
        # The start's day of month, or the month's last day when the month is shorter.
        return rrule(
            MONTHLY,
            interval=rule.interval,
            dtstart=_midnight(first),
            until=_midnight(hi),
            bymonthday=(rule.start.day, -1),
            bysetpos=1,
        )
    nth = (rule.start.day - 1) // 7 + 1
    # A 5th weekday, when a month has one, is also its last: -1 covers both cases.
    which = _RRULE_DAYS[_WEEKDAYS.index(rule.weekday)](nth if nth < 5 else -1)
    return rrule(
        MONTHLY,
        interval=rule.interval,
        dtstart=_midnight(first),
        until=_midnight(hi),
        byweekday=(which,),
    )


def occurrences(rule: Rule, first: dt.date, last: dt.date) -> list[dt.date]:
    """The dates of the evaluatiemomenten of ``rule`` from ``first`` to ``last`` (both included).

    With ``workdays`` each date of the plain rule that falls on a weekend or public holiday moves
    to the next (previous) working day; see :func:`working_day`."""
    if rule.workdays is None:
        return _plain(rule, first, last)
    wide = _plain(rule, _nudge(first, -_SHIFT_LIMIT), _nudge(last, _SHIFT_LIMIT))
    moved = [working_day(rule, day) for day in wide]
    return [day for day in moved if first <= day <= last]


def _nudge(day: dt.date, days: int) -> dt.date:
    """``day`` plus ``days``, stopping at the first or last date there is."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.min if days < 0 else dt.date.max


def _plain(rule: Rule, first: dt.date, last: dt.date) -> list[dt.date]:
    """The dates of the rule itself, before any move to a working day."""
    lo = max(first, rule.start)
    hi = last if rule.until is None else min(last, rule.until)
    if lo > hi:
        return []
    if rule.weekly:
        return _weekly(rule, lo, hi)
    return [moment.date() for moment in _monthly(rule, lo, hi) if moment.date() >= lo]


def is_working_day(day: dt.date) -> bool:
    """Monday to Friday, and not a Dutch public holiday."""
    return day.weekday() < 5 and holiday_name(day) is None


WEEKEND = ("Saturday", "Sunday")
"""The days of the weekend as :func:`weekend_day` names them: the English keys (and message ids of
:mod:`icrctl.i18n`'s weekdays), shown with :func:`day_off_label`."""


def weekend_day(day: dt.date) -> str | None:
    """``Saturday`` or ``Sunday`` for a day in the weekend, else None."""
    return WEEKEND[day.weekday() - 5] if day.weekday() >= 5 else None


def working_day(rule: Rule, day: dt.date) -> dt.date:
    """Where the rule's meeting of ``day`` takes place under its ``workdays``.

    A working day stays. Otherwise the next (``next``) or previous (``previous``) working day;
    when that lies outside the rule's start and until, the working day the other way; when
    neither way has one within them, the meeting stays on ``day``."""
    if rule.workdays is None or is_working_day(day):
        return day
    ways = (1, -1) if rule.workdays == "next" else (-1, 1)
    for way in ways:
        for step in range(1, _SHIFT_LIMIT + 1):
            other = _nudge(day, way * step)
            if other < rule.start or (rule.until is not None and other > rule.until):
                break
            if is_working_day(other):
                return other
    return day


def days_off(rule: Rule, first: dt.date, last: dt.date) -> list[tuple[dt.date, str]]:
    """The rule's meetings from ``first`` to ``last`` on a weekend or public holiday, each with
    the holiday's (Dutch) name or the day of the weekend (``Saturday``); :func:`day_off_label`
    words either in the language in use."""
    found = []
    for day in occurrences(rule, first, last):
        why = holiday_name(day) or weekend_day(day)
        if why is not None:
            found.append((day, why))
    return found


def local_datetime(day: dt.date, at: dt.time) -> dt.datetime:
    """The moment ``at`` on ``day`` on the Amsterdam wall clock, as an aware datetime.

    A time that does not exist (the skipped hour in March) moves forward by that hour.
    """
    naive = dt.datetime.combine(day, at.replace(tzinfo=None))
    moment = naive.replace(tzinfo=AMSTERDAM)
    return moment.astimezone(dt.UTC).astimezone(AMSTERDAM)


@functools.lru_cache(maxsize=64)
def _holidays_of(year: int) -> dict[dt.date, str]:
    from icrctl.domain.holidays_nl import TABLE

    if year in TABLE:  # shipped: the package's own answer, computed once (see holidays_nl)
        return {dt.date(year, int(k[:2]), int(k[3:])): v for k, v in TABLE[year].items()}
    import holidays

    # Set the language explicitly: without it, holidays follows LANG/LC_* and may answer in English.
    found = holidays.country_holidays("NL", years=year, language="nl")
    return {day: str(name) for day, name in found.items()}


def holiday_name(day: dt.date) -> str | None:
    """The Dutch name of the public holiday on ``day`` (``Koningsdag``), or None.

    The name is what is kept and what JSON shows in both languages; show it to a reader with
    :func:`holiday_label` (``King's Day`` in English)."""
    return _holidays_of(day.year).get(day)


def holiday_label(name: str) -> str:
    """A public holiday's Dutch name (as :func:`holiday_name` gives it) in the language in use:
    ``Eerste kerstdag`` in Dutch, ``Christmas Day`` in English. A name the table does not know
    stays as it is."""
    from icrctl.domain.holidays_nl import english

    return name if language() == "nl" else english(name)


def holiday_shown(day: dt.date) -> str | None:
    """The public holiday on ``day`` in the language in use (:func:`holiday_label`), or None."""
    name = holiday_name(day)
    return None if name is None else holiday_label(name)


def day_off_label(why: str) -> str:
    """What :func:`days_off` gives for a meeting (a holiday's Dutch name, or ``Saturday`` or
    ``Sunday``) in the language in use: ``Koningsdag``/``King's Day``, ``zaterdag``/``Saturday``."""
    return _(why) if why in WEEKEND else holiday_label(why)
