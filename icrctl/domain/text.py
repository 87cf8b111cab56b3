"""Free text from the user: NFC-normalised, trimmed, and free of control characters."""

from __future__ import annotations

import unicodedata

from icrctl.errors import InvalidValue

# Bidirectional overrides and isolates can make a name print as something else.
_BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}

MAX_LENGTH = {
    "ref": 64,
    "key": 64,
    "title": 200,
    "name": 200,
    "regisseur": 200,
    "organisation": 200,
    "email": 200,
    "phone": 64,
}
"""The longest text a field holds, in characters: the one table of the lengths the case file
declares (``db/models.py`` builds its ``String(n)`` columns from it). A text field not named here
is unbounded (notes, reasons, summaries)."""


def clean_text(value: str, field: str, *, multiline: bool = False, required: bool = True) -> str:
    """Return ``value`` NFC-normalised and stripped; refuse control characters.

    ``multiline`` fields (notes, summaries) may hold line breaks and tabs; a field of
    :data:`MAX_LENGTH` holds at most that many characters.
    """
    text = unicodedata.normalize("NFC", value).strip()
    limit = MAX_LENGTH.get(field)
    if limit is not None and len(text) > limit:
        raise InvalidValue(f"{field} is {len(text)} characters; at most {limit}")
    if multiline:
        text = text.replace("\r\n", "\n")
    allowed = "\n\t" if multiline else ""
    for ch in text:
        if ch in allowed:
            continue
        if unicodedata.category(ch) == "Cc" or ch in _BIDI:
            raise InvalidValue(f"{field} contains a control character (U+{ord(ch):04X})")
        if unicodedata.category(ch) == "Cs":  # undecodable bytes from a non-UTF-8 terminal
            raise InvalidValue(f"{field} is not valid UTF-8 text (U+{ord(ch):04X})")
    if required and not text:
        raise InvalidValue(f"{field} must not be empty")
    return text


def optional_text(value: str | None, field: str, *, multiline: bool = False) -> str | None:
    """Like :func:`clean_text`, but ``None`` or blank gives ``None``."""
    if value is None:
        return None
    text = clean_text(value, field, multiline=multiline, required=False)
    return text or None
