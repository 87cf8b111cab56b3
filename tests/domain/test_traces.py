"""What identifies a person in free text (``domain/traces.py``): folded names, phone numbers
however written, whole tokens only, and nothing too short to identify anyone."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from icrctl.domain.traces import MIN_PHONE_DIGITS, Traces, fold, identifies, phone_key

GONE = "[x]"


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("José-María", "jose-maria"),
        ("ÇAĞLA", "cagla"),
        ("Straße", "strasse"),
        ("ＳＡＮＮＥ", "sanne"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(
    "written", ["0612345678", "+31612345678", "06-1234-5678", "06 12 34 56 78", "0031612345678"]
)
def test_one_number_however_written(written: str) -> None:
    assert phone_key(written) == "+31612345678"
    person = Traces.of([], ["+31 6 1234 5678"])
    assert person.redact(f"bel {written} morgen", GONE) == f"bel {GONE} morgen"


@pytest.mark.parametrize("value", ["2", "06", "112", "12345", "123456", "J", "é", ""])
def test_too_short_to_identify(value: str) -> None:
    assert not identifies(value)
    assert Traces.of([value], [value]) == Traces((), frozenset())


def test_the_minimums() -> None:
    assert identifies("Bo")
    assert identifies("x@y.nl")
    assert identifies("1234567")
    assert len("1234567") == MIN_PHONE_DIGITS


@pytest.mark.parametrize(
    ("text", "after"),
    [
        ("Jose-Maria belde", f"{GONE} belde"),
        ("jose maria belde", f"{GONE} belde"),
        ("JOSÉ‐MARÍA!", f"{GONE}!"),  # a Unicode hyphen
        ("José\u0301-Maria", f"{GONE}"),  # a stray combining mark goes with the name
        ("Josefien, Maria, Jose", "Josefien, Maria, Jose"),
        ("ref 90612345678 en 06123456781", "ref 90612345678 en 06123456781"),
    ],
)
def test_whole_tokens_of_the_folded_name(text: str, after: str) -> None:
    person = Traces.of(["José-María Gómez", "José-María"], ["06 1234 5678"])
    assert person.redact(text, GONE) == after


words = st.text(st.characters(categories=["L", "N", "Zs", "P"]), max_size=40)


@given(words)
def test_text_without_the_person_is_left_as_it_is(text: str) -> None:
    person = Traces.of(["Xqzvw Jkhgf"], ["+31 6 9999 8888"])
    clean = text.replace("9", "").replace("8", "")  # no digit of the number, no such name
    assert person.redact(clean, GONE) == clean


@given(st.lists(st.sampled_from(["over", "2", "weken", "12", "kamer", "22", ","]), max_size=12))
def test_a_short_value_never_redacts(parts: list[str]) -> None:
    text = " ".join(parts)
    assert Traces.of(["2"], ["2", "12"]).redact(text, GONE) == text


@pytest.mark.parametrize(
    ("text", "after"),
    [
        ("0611223344 2", f"{GONE} 2"),  # the figure after the number is not part of it
        ("2 0611223344", f"2 {GONE}"),
        ("bel 06-1122-3344.", f"bel {GONE}."),
        ("(06) 1122 3344 of 0622334455", f"{GONE} of 0622334455"),
        ("+31 6 11223344 en 0611223344 3x", f"{GONE} en {GONE} 3x"),
        ("06-11223344 . 06-11223344", f"{GONE} . {GONE}"),  # the full stop between stays
    ],
)
def test_a_number_is_found_among_other_figures(text: str, after: str) -> None:
    assert Traces.of(["Sanne"], ["06-11223344"]).redact(text, GONE) == after
