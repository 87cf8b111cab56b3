"""The ICR study's indicators on screen: one case's scores beside the data's suggestions, and the
caseload summed; the summary also as Markdown. Stored notes are literal text everywhere."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.console import Group
from rich.text import Text

from icrctl.domain.indicators import BY_KEY
from icrctl.i18n import _, language, ngettext
from icrctl.render.tables import Column, empty_or, t, table

if TYPE_CHECKING:
    from rich.console import RenderableType

    from icrctl.services.indicators import IndicatorRow, SummaryRow

SCORE_STYLE = {"++": "bold green", "+": "green", "0": "", "-": "bold red"}
CLOSED_ONLY = "¹"


def _wording(key: str) -> str:
    """The indicator in the reader's language, ¹ where it is judged on closed cases only."""
    indicator = BY_KEY[key]
    return indicator.wording() + (f" {CLOSED_ONLY}" if indicator.closed_only else "")


def _score(score: str | None) -> Text:
    return t(score, SCORE_STYLE.get(score or "", ""))


def _footnote() -> Text:
    return Text(CLOSED_ONLY + " " + _("judged on closed cases only, as in the study"), style="dim")


def _facts(facts: dict[str, int | str], name: str) -> int:
    value = facts.get(name, 0)
    return value if isinstance(value, int) else 0


def _members_present(f: dict[str, int | str]) -> str:
    n = _facts(f, "evaluations")
    if n == 0:
        return _("no evaluation held yet")
    return ngettext(
        "{present} of {family} family members at the first evaluation",
        "{present} of {family} family members at the first {n} evaluations",
        n,
    ).format(present=_facts(f, "present"), family=_facts(f, "family"), n=n)


def _related(f: dict[str, int | str]) -> str:
    if _facts(f, "related") == 0:
        return _("no relations recorded")
    return _("{related} of {members} members in a relation").format(
        related=_facts(f, "related"), members=_facts(f, "members")
    )


def _plan(f: dict[str, int | str]) -> str:
    if "signed" in f:
        return _("plan signed {date}").format(date=f["signed"])
    return _("no signed plan")


def _contact(f: dict[str, int | str]) -> str:
    return _("{kept} of {stretches} stretches without contact within the limit").format(
        kept=_facts(f, "within_limit"), stretches=_facts(f, "stretches")
    )


def _cadence(f: dict[str, int | str]) -> str:
    return _("{held} of {due} evaluations held").format(
        held=_facts(f, "held"), due=_facts(f, "due")
    )


def _reports(f: dict[str, int | str]) -> str:
    return _("reports: {first} in the first half, {last} in the last").format(
        first=_facts(f, "first_half"), last=_facts(f, "last_half")
    )


#: The words of each suggestion's basis, by indicator.
BASIS: dict[str, Callable[[dict[str, int | str]], str]] = {
    "all_members_in_analysis": _members_present,
    "systemic_insight": _related,
    "all_members_in_plan": _plan,
    "purposeful_family_contact": _contact,
    "monitoring_partners": _cadence,
    "reports_decrease": _reports,
}


def basis_words(key: str, facts: dict[str, int | str] | None) -> str | None:
    """What a suggestion rests on, in words; None for an indicator the data cannot tell."""
    words = BASIS.get(key)
    return None if words is None or facts is None else words(facts)


def indicators_table(rows: list[IndicatorRow]) -> RenderableType:
    """``indicator list``: the 18 indicators of one case."""
    tab = table(
        None,
        [
            Column("#", "key", justify="right"),
            Column(_("indicator"), "text", least=20),
            Column(_("score")),
            Column(_("date"), drop=2),
            Column(_("note"), "text", drop=4),
            Column(_("suggested")),
            Column(_("basis"), "text", drop=3),
            Column(_("key"), drop=1),
        ],
        [
            (
                r.number,
                _wording(r.key),
                _score(r.score),
                r.date,
                r.note,
                _score(r.suggested),
                basis_words(r.key, r.basis),
                r.key,
            )
            for r in rows
        ],
    )
    return Group(tab, _footnote())


def _mean(mean: float | None) -> str | None:
    if mean is None:
        return None
    text = f"{mean:.2f}"
    return text.replace(".", ",") if language() == "nl" else text


def summary_table(rows: list[SummaryRow]) -> RenderableType:
    """``indicator summary``: one score per indicator over the cases."""
    tab = table(
        None,
        [
            Column("#", "key", justify="right"),
            Column(_("indicator"), "text", least=20),
            Column(_("score")),
            Column(_("mean"), drop=2, justify="right"),
            Column(_("cases"), justify="right"),
            Column(_("example"), "text", drop=1),
        ],
        [
            (n, _wording(r.key), _score(r.score), _mean(r.mean), r.cases, r.example)
            for n, r in enumerate(rows, 1)
        ],
    )
    return empty_or(Group(tab, _footnote()), rows, _("no indicators"))


def summary_markdown(rows: list[SummaryRow]) -> str:
    """The summary as a Markdown table, every stored note escaped."""
    from icrctl.render.documents import Document, Para, Table, to_markdown

    columns = ["#", _("Indicator"), _("Score"), _("Mean"), _("Cases"), _("Example")]
    cells = [
        [
            str(n),
            _wording(r.key),
            r.score or "–",
            _mean(r.mean) or "–",
            str(r.cases),
            r.example or "–",
        ]
        for n, r in enumerate(rows, 1)
    ]
    title = _("Indicators of intensive case direction")
    footnote = CLOSED_ONLY + " " + _("judged on closed cases only, as in the study")
    return to_markdown(Document(title, [Table(columns, cells), Para(footnote, "note")]))
