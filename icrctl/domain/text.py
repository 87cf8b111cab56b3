"""Free text from the user: NFC-normalised, trimmed, and free of control characters."""

from __future__ import annotations

import unicodedata

from icrctl.errors import InvalidValue
from icrctl.i18n import N_, _

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


#: The fields the services clean, by the name they pass, as a refusal names them (translated
#: where it is raised). A field not named here is shown as it is passed.
FIELD_WORDS = {
    "name": N_("name"),
    "title": N_("title"),
    "organisation": N_("organisation"),
    "email": N_("email"),
    "phone": N_("phone"),
    "regisseur": N_("regisseur"),
    "referrer": N_("referrer"),
    "role": N_("role"),
    "coordination": N_("coordination"),
    "reason": N_("reason"),
    "note": N_("note"),
    "goal": N_("goal"),
    "who": N_("who"),
    "what": N_("what"),
    "summary": N_("summary"),
    "safety": N_("safety"),
    "problem": N_("problem"),
    "about": N_("about"),
    "desired": N_("desired situation"),
    "text": N_("text"),
    "why": N_("why"),
    "done_by": N_("done by"),
    # the fields an edit names when it says what changed (as the options call them)
    "born": N_("born"),
    "household": N_("household"),
    "deceased": N_("deceased"),
    "kind": N_("kind"),
    "reachable": N_("reachable"),
    "framework": N_("framework"),
    "regie": N_("regie"),
    "casusregie": N_("casusregie"),
    "procesregie": N_("procesregie"),
    "regiebehandelaar": N_("regiebehandelaar"),
    "opened": N_("opened"),
    "violence": N_("violence"),
    "domains": N_("domains"),
    "plan_signed": N_("plan_signed"),
    "retention_until": N_("retention_until"),
    "due": N_("due"),
    "status": N_("status"),
    "term": N_("term"),
    "member": N_("member"),
}


def field_words(fields: list[str]) -> str:
    """The fields an edit changed, as a confirmation names them in the language in use."""
    return ", ".join(field_word(f) for f in fields)


def field_word(field: str) -> str:
    """How a refusal names ``field``, in the language in use (``ref`` and ``key`` stay)."""
    words = FIELD_WORDS.get(field)
    return field if words is None else _(words)


def clean_text(value: str, field: str, *, multiline: bool = False, required: bool = True) -> str:
    """Return ``value`` NFC-normalised and stripped; refuse control characters.

    ``multiline`` fields (notes, summaries) may hold line breaks and tabs; a field of
    :data:`MAX_LENGTH` holds at most that many characters.
    """
    text = unicodedata.normalize("NFC", value).strip()
    limit = MAX_LENGTH.get(field)
    if limit is not None and len(text) > limit:
        raise InvalidValue(
            _("{field} is {length} characters; at most {limit}").format(
                field=field_word(field), length=len(text), limit=limit
            )
        )
    if multiline:
        text = text.replace("\r\n", "\n")
    allowed = "\n\t" if multiline else ""
    for ch in text:
        if ch in allowed:
            continue
        if unicodedata.category(ch) == "Cc" or ch in _BIDI:
            raise InvalidValue(
                _("{field} contains a control character (U+{code})").format(
                    field=field_word(field), code=f"{ord(ch):04X}"
                )
            )
        if unicodedata.category(ch) == "Cs":  # undecodable bytes from a non-UTF-8 terminal
            raise InvalidValue(
                _("{field} is not valid UTF-8 text (U+{code})").format(
                    field=field_word(field), code=f"{ord(ch):04X}"
                )
            )
    if required and not text:
        raise InvalidValue(_("{field} must not be empty").format(field=field_word(field)))
    return text


def optional_text(value: str | None, field: str, *, multiline: bool = False) -> str | None:
    """Like :func:`clean_text`, but ``None`` or blank gives ``None``."""
    if value is None:
        return None
    text = clean_text(value, field, multiline=multiline, required=False)
    return text or None
