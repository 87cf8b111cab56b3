"""The 18 indicators of the ICR pilot study, its scale, and how the study summed them.

The pilot study of intensive case direction (ICR) judged the method on 18 indicators, each scored
per case on the scale ``++ + 0 -`` and summed over the cases into one score per indicator (its
table 2.1). This module holds that table as data (:data:`INDICATORS`, in the study's order), the
scale (:data:`SCALE`), the summary rule (:func:`summarise`), and the suggestions the case file can
make for six of the indicators (:func:`suggest`): pure functions over plain facts that
``services.indicators`` gathers. docs/indicators.md says what each rule computes.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from icrctl.domain.signals import CONTACT_DAYS
from icrctl.errors import InvalidValue
from icrctl.i18n import _, language


@dataclass(frozen=True)
class Indicator:
    """One indicator: its key, the study's Dutch wording, an English rendering, and whether the
    study judged it on closed cases only (¹)."""

    key: str
    dutch: str
    english: str
    closed_only: bool = False

    def wording(self) -> str:
        """The indicator in the reader's language: the study's own words in Dutch."""
        return self.dutch if language() == "nl" else self.english


INDICATORS: tuple[Indicator, ...] = (
    Indicator("all_members_in_analysis", "Alle gezinsleden betrokken bij probleemanalyse?",
              "All family members involved in the problem analysis?"),
    Indicator("systemic_insight", "ICR verkrijgt en geeft systemische inzichten?",
              "The ICR gains and gives insight into the family system?"),
    Indicator("all_members_in_plan", "Alle gezinsleden betrokken bij hulpverleningsplan?",
              "All family members involved in the care plan?"),
    Indicator("family_support", "Draagvlak bij heel het gezin?",
              "Support from the whole family?"),
    Indicator("partner_support", "Draagvlak bij ketenpartners?",
              "Support from the partners?"),
    Indicator("family_motivation", "Motivatie bij gezin?",
              "Motivation in the family?"),
    Indicator("purposeful_family_contact", "Doelgericht contact met gezin?",
              "Purposeful contact with the family?"),
    Indicator("purposeful_partner_contact", "Doelgericht contact met ketenpartners?",
              "Purposeful contact with the partners?"),
    Indicator("motivating_by_icr", "Motivering door ICR?",
              "Motivating by the ICR?"),
    Indicator("monitoring_family", "Monitoring voortgang vanuit gezinsperspectief?",
              "Progress monitored from the family's view?"),
    Indicator("monitoring_partners", "Monitoring voortgang vanuit ketenperspectief?",
              "Progress monitored from the partners' view?"),
    Indicator("course_changes", "Veranderingen traject n.a.v. monitoring?",
              "Course changed after monitoring?"),
    Indicator("help_fits_risks", "Goede aansluiting hulp op risicofactoren?",
              "Help fits the risk factors well?", closed_only=True),
    Indicator("risks_reduced", "Afname risicofactoren door hulp?",
              "Risk factors reduced by the help?", closed_only=True),
    Indicator("regie_returned", "Gezinsleden krijgen de regie terug?",
              "Family members get the regie back?", closed_only=True),
    Indicator("safety_in_view", "ICR houdt zicht op veiligheid?",
              "The ICR keeps safety in view?"),
    Indicator("reports_decrease", "Aantal Veilig Thuis- en politiemeldingen neemt af?",
              "Fewer reports to Veilig Thuis and the police?"),
    Indicator("lasting_safety", "Neemt duurzame veiligheid toe?",
              "Does lasting safety grow?", closed_only=True),
)  # fmt: skip
BY_KEY = {i.key: i for i in INDICATORS}
KEYS = tuple(BY_KEY)

# ------------------------------------------------------------------ the scale

#: The study's scale, best first, with the value each score counts for in the summary.
SCALE: dict[str, int] = {"++": 2, "+": 1, "0": 0, "-": -1}
#: Words for a score, for a shell where ``-`` is awkward (and ``pp`` for ``++``).
SCORE_WORDS = {
    "plusplus": "++",
    "pp": "++",
    "plus": "+",
    "p": "+",
    "nul": "0",
    "zero": "0",
    "min": "-",
    "minus": "-",
    "m": "-",
}
#: The summary's thresholds on the mean, best first: at least this much gives that score.
THRESHOLDS: tuple[tuple[Fraction, str], ...] = ((Fraction(3, 2), "++"), (Fraction(3, 4), "+"))
#: A mean above this (and below 3/4) is ``0``; at or below it, ``-``.
ZERO_ABOVE = Fraction(-1, 2)


def parse_score(text: str) -> str:
    """A score as given: ``++ + 0 -`` or a word for one (:data:`SCORE_WORDS`)."""
    plain = text.strip().lower()
    score = SCORE_WORDS.get(plain, plain)
    if score in SCALE:
        return score
    if plain == "--":
        raise InvalidValue(_("the study's scale has no score '--'; the lowest is '-' (min)"))
    raise InvalidValue(
        _(
            "unknown score {text}; expected one of: ++ (plusplus), + (plus), 0 (nul), - (min)"
        ).format(text=repr(text))
    )


def parse_key(text: str) -> Indicator:
    """An indicator by its key (or its number in the table, 1 to 18)."""
    plain = text.strip().lower().replace("-", "_")
    if plain.isdigit() and 1 <= int(plain) <= len(INDICATORS):
        return INDICATORS[int(plain) - 1]
    found = BY_KEY.get(plain)
    if found is None:
        raise InvalidValue(
            _("unknown indicator {text}; 'icrctl indicator list REF' shows the 18 keys").format(
                text=repr(text)
            )
        )
    return found


# ------------------------------------------------------------------ the summary


def score_of_mean(mean: Fraction) -> str:
    """The study's score for a mean: at least 3/2 ``++``, at least 3/4 ``+``, above -1/2 ``0``,
    else ``-``."""
    for least, score in THRESHOLDS:
        if mean >= least:
            return score
    return "0" if mean > ZERO_ABOVE else "-"


def mean_of(scores: Iterable[str]) -> Fraction | None:
    """The exact mean of the scores' values; None without scores."""
    values = [SCALE[s] for s in scores]
    return Fraction(sum(values), len(values)) if values else None


@dataclass(frozen=True)
class CaseScore:
    """One case's score of one indicator, as the summary reads it."""

    ref: str
    closed: bool
    score: str
    note: str | None = None


@dataclass(frozen=True)
class Summary:
    """One indicator summed over the cases: the study's score, the exact mean, how many cases
    counted, and one note as an example (None where no case counted or none had a note)."""

    indicator: Indicator
    score: str | None
    mean: Fraction | None
    cases: int
    example: str | None


def summarise_one(indicator: Indicator, scores: Sequence[CaseScore]) -> Summary:
    """One indicator over ``scores`` (one per case): a closed-only indicator counts the closed
    cases alone. The example is the note of the first case (by ref) whose score is the summary's
    score, else the first note of any counted case."""
    counted = sorted(
        (s for s in scores if s.closed or not indicator.closed_only), key=lambda s: s.ref
    )
    mean = mean_of(s.score for s in counted)
    score = None if mean is None else score_of_mean(mean)
    notes = [s for s in counted if s.note]
    example = next((s.note for s in notes if s.score == score), None)
    if example is None and notes:
        example = notes[0].note
    return Summary(indicator, score, mean, len(counted), example)


def summarise(scores: Iterable[tuple[str, CaseScore]]) -> list[Summary]:
    """Every indicator in the table's order, from ``(key, score)`` pairs of many cases."""
    by_key: dict[str, list[CaseScore]] = {k: [] for k in KEYS}
    for key, score in scores:
        by_key[key].append(score)
    return [summarise_one(i, by_key[i.key]) for i in INDICATORS]


# ------------------------------------------------------------------ suggestions from the data

#: How many of the first held evaluations count as the problem analysis.
FIRST_EVALUATIONS = 2


@dataclass
class IndicatorFacts:
    """What the case file tells about one case, for the suggestions. Dates are the case's;
    ``end`` is its closing day, or today while it is open."""

    opened: dt.date
    end: dt.date
    #: The family (gezinsleden): members in the household, alive, by key.
    family: list[str] = field(default_factory=list)
    #: Who of the family attended each of the first held evaluations, in date order.
    first_evaluations: list[set[str]] = field(default_factory=list)
    #: The evaluations a series put on the agenda up to ``end`` (not later than yesterday), and
    #: how many of those were held.
    due_evaluations: int = 0
    held_evaluations: int = 0
    #: The phase history: (date, phase), in date order.
    phases: list[tuple[dt.date, int]] = field(default_factory=list)
    #: The days of contact with a member of the family system (reports aside).
    family_contacts: list[dt.date] = field(default_factory=list)
    #: The days of reports (meldingen) to Veilig Thuis or the police.
    reports: list[dt.date] = field(default_factory=list)
    #: Members of the case, and how many of them a relation (the genogram's lines) names.
    members: int = 0
    related_members: int = 0
    plan_signed: dt.date | None = None
    #: Has the case reached execution (uitvoering) at any time?
    reached_execution: bool = False


@dataclass(frozen=True)
class Suggestion:
    """A score the data suggests, and the counts it rests on (English keys, as JSON shows)."""

    score: str | None
    facts: dict[str, int | str]


def from_share(kept: int, of: int) -> str | None:
    """A share on the scale: all ``++``, at least two thirds ``+``, at least one third ``0``,
    less ``-``; None when there is nothing to count."""
    if of <= 0:
        return None
    share = Fraction(kept, of)
    if share == 1:
        return "++"
    if share >= Fraction(2, 3):
        return "+"
    return "0" if share >= Fraction(1, 3) else "-"


def members_in_analysis(f: IndicatorFacts) -> Suggestion:
    """The share of the family that attended at least one of the first held evaluations."""
    present = set().union(*f.first_evaluations) & set(f.family) if f.first_evaluations else set()
    facts: dict[str, int | str] = {
        "family": len(f.family),
        "present": len(present),
        "evaluations": len(f.first_evaluations),
    }
    score = from_share(len(present), len(f.family)) if f.first_evaluations else None
    return Suggestion(score, facts)


def evaluations_kept(f: IndicatorFacts) -> Suggestion:
    """The share of the evaluations on a series' agenda that were held."""
    facts: dict[str, int | str] = {"due": f.due_evaluations, "held": f.held_evaluations}
    return Suggestion(from_share(f.held_evaluations, f.due_evaluations), facts)


def phase_on(f: IndicatorFacts, day: dt.date) -> int | None:
    """The phase the case was in on ``day`` (None before its history starts)."""
    current = None
    for since, phase in f.phases:
        if since > day:
            break
        current = phase
    return current


def contact_kept(f: IndicatorFacts, limits: dict[int, int] = CONTACT_DAYS) -> Suggestion:
    """The share of the stretches without family contact (from the opening, between contacts,
    up to the end) that stayed within the phase's limit in days (``limits``, the same as the
    ``no-contact`` signal's); a stretch in a phase without a limit does not count."""
    days = sorted(set(f.family_contacts) | {f.opened, f.end})
    days = [d for d in days if f.opened <= d <= f.end]
    counted = kept = 0
    for start, stop in itertools.pairwise(days):
        limit = limits.get(phase_on(f, start) or 0)
        if limit is None:
            continue
        counted += 1
        kept += (stop - start).days < limit
    facts: dict[str, int | str] = {"stretches": counted, "within_limit": kept}
    return Suggestion(from_share(kept, counted), facts)


def reports_decrease(f: IndicatorFacts) -> Suggestion:
    """Reports in the first half of the case against the last half (the middle day counts to
    the last): none left ``++``, fewer ``+``, as many ``0``, more ``-``; no report at all, or a
    case shorter than two days, tells nothing."""
    length = (f.end - f.opened).days
    middle = f.opened + dt.timedelta(days=(length + 1) // 2)
    first = sum(1 for d in f.reports if d < middle)
    last = sum(1 for d in f.reports if d >= middle)
    facts: dict[str, int | str] = {"first_half": first, "last_half": last}
    if length < 2 or first + last == 0:
        return Suggestion(None, facts)
    if last == 0:
        score = "++"
    elif last < first:
        score = "+"
    else:
        score = "0" if last == first else "-"
    return Suggestion(score, facts)


def genogram_drawn(f: IndicatorFacts) -> Suggestion:
    """The share of the case's members that a relation names (what a genogram draws); no
    relation at all tells nothing (the insight may live elsewhere)."""
    facts: dict[str, int | str] = {"members": f.members, "related": f.related_members}
    if f.related_members == 0:
        return Suggestion(None, facts)
    return Suggestion(from_share(f.related_members, f.members), facts)


def plan_signed(f: IndicatorFacts) -> Suggestion:
    """A signed plan ``+`` (the case file does not say who signed: never ``++``); no signed plan
    once the case reached execution ``-``; before that, nothing."""
    facts: dict[str, int | str] = {}
    if f.plan_signed is not None:
        facts["signed"] = f.plan_signed.isoformat()
        return Suggestion("+", facts)
    return Suggestion("-" if f.reached_execution else None, facts)


#: The rules, by the indicator they suggest a score for.
RULES: dict[str, Callable[[IndicatorFacts], Suggestion]] = {
    "all_members_in_analysis": members_in_analysis,
    "systemic_insight": genogram_drawn,
    "all_members_in_plan": plan_signed,
    "purposeful_family_contact": contact_kept,
    "monitoring_partners": evaluations_kept,
    "reports_decrease": reports_decrease,
}


def suggest(f: IndicatorFacts) -> dict[str, Suggestion]:
    """The suggestion of every indicator the data can tell something about."""
    return {key: rule(f) for key, rule in RULES.items()}
