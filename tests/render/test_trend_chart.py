"""The chart of risk and self-reliance in the documents (inline SVG drawn by icrctl), its text
equivalent in Markdown, the sparkline of ``case show`` and the trend in words that say which
scores they compare."""

from __future__ import annotations

import datetime as dt
import itertools
import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from icrctl import i18n
from icrctl.domain.trend import BLOCKS, GAP, course, in_words, sparkline
from icrctl.render.documents import (
    CHART_HEIGHT,
    CHART_WIDTH,
    Chart,
    Document,
    chart_svg,
    labelled,
    to_html,
    to_markdown,
)
from icrctl.render.plans import scores_chart
from icrctl.services.assessments import Assessments, Score

SVG = ""  # inline SVG in HTML needs no namespace (and names no external address)
Scores = list[int | None]
scores = st.lists(st.one_of(st.none(), st.integers(1, 5)), min_size=1, max_size=40)


def chart(risk: Scores, self_reliance: Scores | None = None, title: str = "Scores") -> Chart:
    days = [f"2026-01-{i + 1:02d}" for i in range(len(risk))]
    return Chart(title, "Date", days, [("Risk", risk), ("Self-reliance", self_reliance or risk)])


def parsed(c: Chart) -> ET.Element:
    return ET.fromstring(chart_svg(c))


def points(svg: ET.Element, series: int = 0) -> list[tuple[float, float, int]]:
    """The plotted points of one series (the legend's marker carries no score)."""
    group = svg.findall(f"{SVG}g")[series]
    return [
        (float(c.get("cx", "")), float(c.get("cy", "")), int(c.get("data-score", "")))
        for c in group.findall(f"{SVG}circle")
        if c.get("data-score")
    ]


def lines(svg: ET.Element, series: int = 0) -> list[list[tuple[float, float]]]:
    group = svg.findall(f"{SVG}g")[series]
    return [
        [(float(x), float(y)) for x, y in (p.split(",") for p in line.get("points", "").split())]
        for line in group.findall(f"{SVG}polyline")
    ]


# ------------------------------------------------------------------ the SVG


def test_points_stand_as_high_as_their_scores_in_date_order() -> None:
    svg = parsed(chart([5, 4, 4, 2, 1]))
    plotted = points(svg)
    assert [score for _x, _y, score in plotted] == [5, 4, 4, 2, 1]
    xs = [x for x, _y, _s in plotted]
    ys = [y for _x, y, _s in plotted]
    assert xs == sorted(xs)
    assert len(set(xs)) == 5
    assert ys[1] == ys[2]  # the same score, the same height
    assert ys[0] < ys[1] < ys[3] < ys[4]  # SVG's y grows downwards: 5 is highest
    # evenly spread over the evaluations
    gaps = {round(b - a, 1) for a, b in itertools.pairwise(xs)}
    assert max(gaps) - min(gaps) <= 0.2


def test_the_axis_runs_from_1_to_5_and_the_dates_lie_along_the_bottom() -> None:
    svg = parsed(chart([3, 4]))
    texts = [t.text for t in svg.iter(f"{SVG}text")]
    assert [t for t in texts if t and t.isdigit()] == ["1", "2", "3", "4", "5"]
    dates = [t for t in svg.iter(f"{SVG}text") if t.get("class") == "date"]
    assert [t.text for t in dates] == ["2026-01-01", "2026-01-02"]
    lowest = max(y for _x, y, _s in points(svg))
    assert all(float(t.get("y", "")) > lowest for t in dates)


def test_the_chart_is_an_image_named_in_the_language_with_a_legend() -> None:
    svg = parsed(chart([3, 4], [2, 2], title="Risico en zelfredzaamheid"))
    assert svg.get("role") == "img"
    assert svg.get("aria-label") == "Risico en zelfredzaamheid"
    assert svg.findtext(f"{SVG}title") == "Risico en zelfredzaamheid"
    legend = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "legend"]
    assert legend == ["Risk", "Self-reliance"]


def test_the_chart_fits_the_width_of_a4_at_full_size() -> None:
    svg = parsed(chart([1, 2, 3]))
    assert svg.get("viewBox") == f"0 0 {CHART_WIDTH} {CHART_HEIGHT}"
    assert int(svg.get("width", "")) == CHART_WIDTH <= 670  # A4 less its margins, in CSS px


def test_every_stored_string_is_escaped() -> None:
    nasty = '<script>alert("x")</script> & "quotes"'
    c = Chart(nasty, nasty, [nasty, nasty], [(nasty, [1, 2]), (nasty, [None, 3])])
    svg = chart_svg(c)
    assert "<script>" not in svg
    root = ET.fromstring(svg)  # well-formed: nothing broke out of an attribute or a text
    assert root.get("aria-label") == nasty
    assert root.findtext(f"{SVG}title") == nasty
    assert {t.text for t in root.iter(f"{SVG}text") if t.get("class")} == {nasty}


def test_a_missing_score_breaks_the_line() -> None:
    svg = parsed(chart([4, None, 3, 3]))
    assert [s for _x, _y, s in points(svg)] == [4, 3, 3]
    assert [len(run) for run in lines(svg)] == [1, 2]


@given(scores, scores)
def test_the_chart_never_leaves_its_view_box(risk: Scores, other: Scores) -> None:
    other = (other * len(risk))[: len(risk)]
    svg = parsed(chart(risk, other))
    for series in (0, 1):
        for x, y, _s in points(svg, series):
            assert 4 <= x <= CHART_WIDTH - 4
            assert 4 <= y <= CHART_HEIGHT - 4
        for run in lines(svg, series):
            assert all(0 <= x <= CHART_WIDTH and 0 <= y <= CHART_HEIGHT for x, y in run)
    for t in svg.iter(f"{SVG}text"):
        assert 0 <= float(t.get("x", "")) <= CHART_WIDTH
        assert 0 <= float(t.get("y", "")) <= CHART_HEIGHT


@given(scores)
def test_each_missing_score_leaves_a_gap(risk: Scores) -> None:
    svg = parsed(chart(risk))
    plotted = points(svg)
    assert [s for _x, _y, s in plotted] == [s for s in risk if s is not None]
    runs = lines(svg)
    assert sum(len(run) for run in runs) == len(plotted)
    # a run is as long as an unbroken stretch of scores: as many runs as stretches
    stretches = "".join("x" if s is not None else " " for s in risk).split()
    assert [len(run) for run in runs] == [len(s) for s in stretches]


@given(st.integers(0, 200))
def test_dates_written_are_few_first_and_last_among_them(count: int) -> None:
    shown = labelled(count)
    assert len(shown) <= 7
    assert shown == sorted(set(shown))
    if count:
        assert shown[0] == 0
        assert shown[-1] == count - 1


# ------------------------------------------------------------------ in the documents


def assessed(*pairs: tuple[int | None, int | None]) -> Assessments:
    start = dt.date(2026, 3, 3)
    return Assessments(
        [Score(start + dt.timedelta(weeks=2 * i), r, s) for i, (r, s) in enumerate(pairs)]
    )


def test_markdown_has_the_numbers_not_the_svg() -> None:
    doc = Document("Werkplan", [scores_chart(assessed((5, 1), (None, 2), (4, 2)))], "en")
    text = to_markdown(doc)
    assert "<svg" not in text
    assert "| Date | Risk (1-5) | Self-reliance (1-5) |" in text
    assert "| 2026-03-17 | – | 2 |" in text
    assert '<svg class="chart"' in to_html(doc)


def test_the_report_leaves_the_table_to_its_evaluations_table() -> None:
    doc = Document("Report", [scores_chart(assessed((5, 1), (4, 2)), in_markdown=False)], "en")
    assert "Risk" not in to_markdown(doc)


def test_the_chart_speaks_dutch() -> None:
    i18n.use("nl")
    svg = parsed(scores_chart(assessed((5, 1), (4, 2))))
    assert svg.get("aria-label") == (
        "Risico en zelfredzaamheid (1-5) over 2 evaluaties, van 03-03-2026 tot en met 17-03-2026"
    )
    legend = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "legend"]
    assert legend == ["Risico (1-5)", "Zelfredzaamheid (1-5)"]


# ------------------------------------------------------------------ sparkline and words


def test_sparkline_draws_each_score_and_a_gap_for_a_missing_one() -> None:
    assert sparkline([1, 2, 3, 4, 5]) == BLOCKS
    assert sparkline([2, None, 4]) == BLOCKS[1] + GAP + BLOCKS[3]
    assert sparkline([]) == ""
    assert sparkline([3] * 15, length=12) == "…" + BLOCKS[2] * 12


@given(scores)
def test_sparkline_has_one_mark_per_score(series: Scores) -> None:
    line = sparkline(series, length=100)
    assert [c == GAP for c in line] == [s is None for s in series]
    assert all(BLOCKS.index(c) == s - 1 for c, s in zip(line, series, strict=True) if s)


def test_words_say_which_scores_they_compare() -> None:
    """The reviewer's case: 5, 4, 4 is not simply "same"."""
    assert in_words([5, 4, 4]) == (
        "down since the first score (5 to 4), same over the last two (4 to 4)"
    )
    assert in_words([2, None, 3]) == "up since the first score (2 to 3)"
    assert in_words([None, 3]) == "scored once (3)"
    assert in_words([None]) == "not scored yet"


def test_words_in_dutch() -> None:
    i18n.use("nl")
    assert in_words([5, 4, 4]) == (
        "dalend sinds de eerste score (5 naar 4), gelijk over de laatste twee (4 naar 4)"
    )
    assert in_words([]) == "nog niet gescoord"


@given(scores)
def test_course_compares_the_first_the_one_before_the_last_and_the_last(series: Scores) -> None:
    c = course(series)
    given_ = [s for s in series if s is not None]
    if not given_:
        assert c is None
        return
    assert c is not None
    assert (c.first, c.last, c.count) == (given_[0], given_[-1], len(given_))
    assert c.previous == (given_[-2] if len(given_) > 1 else given_[0])
