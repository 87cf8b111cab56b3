"""What identifies a person in free text, and where it stands: the rules of erasure's redaction.

A person is named by their full name, their given names, their e-mail address and their phone
number. Free text writes them in many ways, so both sides are normalised before they are
compared:

- **names and e-mail addresses** are *folded*: Unicode NFKD, combining marks dropped, case folded.
  ``Jose-Maria`` then matches ``José-María``, ``SANNE`` matches ``Sanne``; a hyphen or space between
  the parts of a name matches either (``Jose Maria``).
- **phone numbers** are parsed (the ``phonenumbers`` library, Dutch numbers by default) and
  compared as E.164: ``0612345678``, ``+31612345678``, ``06-1234 5678`` and ``0031 6 12345678``
  are one number.

Only whole tokens match: ``Ans`` is not redacted inside ``Ansje``, nor a number inside a longer
one. And only values long enough to identify someone are looked for: a name (or a given name) of
at least :data:`MIN_NAME_LETTERS` letters, a phone number of at least :data:`MIN_PHONE_DIGITS`
digits (a Dutch subscriber number without its area code has seven). A member whose phone field
says ``2`` therefore leaves "over 2 weken" alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

MIN_NAME_LETTERS = 2
"""A name shorter than this (one letter: an initial) names nobody in particular."""
MIN_PHONE_DIGITS = 7
"""A phone number with fewer digits (an extension, a typo, ``2``) is not looked for."""
DEFAULT_REGION = "NL"
"""How a phone number without a country code is read."""

_JOIN = r"[\s\-\u2010-\u2015]+"
"""Spaces and hyphens between the parts of a name: any of them matches any other."""
_JOINER = re.compile(_JOIN)
_PHONE_RUN = re.compile(r"(?<![\w+])[+(]?\d[\d\s().\-\u2010-\u2015]*\d\)?(?!\w)")
"""A run of figures and what may stand between those of one phone number."""
_TOKEN = re.compile(r"\S+")
_FIGURE = re.compile(r"\d")


def fold(text: str) -> str:
    """``José-María`` → ``jose-maria``: compatibility decomposition, no combining marks, case
    folded."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.casefold()


def _folded(text: str) -> tuple[str, list[int]]:
    """``text`` folded character by character, and for each folded character the index of the
    original character it came from (so that a match in the folded text redacts the original)."""
    parts: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        folded = fold(char)
        parts.append(folded)
        origin.extend([index] * len(folded))
    return "".join(parts), origin


def digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


def identifies(value: str) -> bool:
    """Whether a name, e-mail address or phone number is long enough to be looked for."""
    if "@" in value:
        return True
    letters = sum(1 for c in fold(value) if c.isalpha())
    return letters >= MIN_NAME_LETTERS or len(digits(value)) >= MIN_PHONE_DIGITS


def phone_key(text: str) -> str | None:
    """The number as E.164 (``+31612345678``), or None when it is not a phone number."""
    if len(digits(text)) < MIN_PHONE_DIGITS:
        return None
    import phonenumbers

    try:
        number = phonenumbers.parse(text, DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@dataclass(frozen=True)
class Traces:
    """What to look for: folded names and addresses (``words``), and phone numbers (``phones``,
    E.164). Build it with :meth:`of`."""

    words: tuple[str, ...]
    phones: frozenset[str]

    @classmethod
    def of(cls, names: Iterable[str], phones: Iterable[str] = ()) -> Traces:
        """``names``: names, given names, e-mail addresses, refs, titles; ``phones``: phone
        numbers as stored. What is too short to identify anyone is left out."""
        phones = [p for p in phones if p and len(digits(p)) >= MIN_PHONE_DIGITS]
        literal = [fold(w).strip() for w in [*names, *phones] if w and identifies(w)]
        keys = {k for k in map(phone_key, phones) if k}
        return cls(tuple(sorted(set(literal), key=len, reverse=True)), frozenset(keys))

    def _pattern(self) -> re.Pattern[str] | None:
        if not self.words:
            return None
        alternatives = "|".join(
            _JOIN.join(re.escape(part) for part in _JOINER.split(word) if part)
            for word in self.words
        )
        return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where in ``text`` this person is named: sorted, merged (start, end) pairs."""
        found: list[tuple[int, int]] = []
        pattern = self._pattern()
        if pattern is not None:
            folded, origin = _folded(text)
            for m in pattern.finditer(folded):
                end = origin[m.end() - 1] + 1
                while end < len(text) and not fold(text[end]):  # a trailing combining mark
                    end += 1
                found.append((origin[m.start()], end))
        found += self._phone_spans(text)
        return _merged(found)

    def _phone_spans(self, text: str) -> list[tuple[int, int]]:
        """Where one of the phone numbers stands, however written: every run of whole tokens of
        digits (with ``+``, hyphens, dots, brackets) is read as a number, so that a number
        followed by another figure ("0611223344 2") is still found, and the figure kept."""
        if not self.phones or len(digits(text)) < MIN_PHONE_DIGITS:
            return []
        found = []
        for run in _PHONE_RUN.finditer(text):
            tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(text, run.start(), run.end())]
            found += self._phones_among(text, tokens)
        return found

    def _phones_among(self, text: str, tokens: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """The widest runs of whole ``tokens`` that read as one of the phone numbers."""
        found: list[tuple[int, int]] = []
        i = 0
        while i < len(tokens):
            for j in range(len(tokens), i, -1):
                first, last = text[slice(*tokens[i])], text[slice(*tokens[j - 1])]
                if not (_FIGURE.search(first) and _FIGURE.search(last)):
                    continue  # a number starts and ends with a figure: "." is no part of it
                piece = text[tokens[i][0] : tokens[j - 1][1]]
                if len(digits(piece)) >= MIN_PHONE_DIGITS and phone_key(piece) in self.phones:
                    found.append((tokens[i][0], tokens[j - 1][1]))
                    i = j - 1
                    break
            i += 1
        return found

    def found_in(self, text: str) -> bool:
        return bool(self.spans(text))

    def redact(self, text: str, replacement: str) -> str:
        """``text`` with every place that names this person replaced."""
        pieces: list[str] = []
        last = 0
        for start, end in self.spans(text):
            pieces += [text[last:start], replacement]
            last = end
        pieces.append(text[last:])
        return "".join(pieces)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
