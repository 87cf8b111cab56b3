"""One exception family. Services raise these; only the CLI turns them into ``error: …``."""

from __future__ import annotations


class IcrError(Exception):
    """A request that was understood but refused. Exit status 1 unless a subclass says otherwise."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class NotFound(IcrError):
    """An unknown case, member, partner, goal or occurrence."""


class InvalidValue(IcrError):
    """A value that cannot be read: a bad date, an unknown role, a control character."""


class Conflict(IcrError):
    """Something that already exists: a duplicate ref, a second member with the same key."""


class RuleViolation(IcrError):
    """A rule of the field refuses the change (a regiekaart rule, a closed case).

    ``hint`` names what to do about it, if the rule knows; ``facts`` fill in its words, which the
    command line adds to the message (``render.errors``): the rules know no command syntax.
    """

    def __init__(self, message: str, hint: str | None = None, **facts: str) -> None:
        super().__init__(message)
        self.hint = hint
        self.facts = facts


class ProgramMissing(IcrError):
    """A program icrctl needs for this output is not installed (Graphviz for a genogram's SVG or
    PNG); what could be made without it was written. Exit status 3, so that a script can tell
    this from a refusal."""

    exit_code = 3


class CaseFileError(IcrError):
    """The case file cannot be opened, is locked too long, unreadable or unsafe."""


class WriteConflict(CaseFileError):
    """The database gave up on this unit of work because another one changed the same data at
    the same time (PostgreSQL: a serialization failure or a deadlock). Nothing was changed; the
    command line runs the whole command again a few times before it reports this."""


SHOWN_ERRORS = 50
"""How many errors of an import file are kept and shown; the rest are counted."""


class ImportErrors(IcrError):
    """An import file with errors; ``errors`` holds the first :data:`SHOWN_ERRORS` of them, each
    ``FILE:LINE: path: message``; ``total`` counts them all (``more`` found but not kept)."""

    def __init__(self, errors: list[str], more: int = 0) -> None:
        shown = errors[:SHOWN_ERRORS]
        super().__init__("\n".join(shown))
        self.errors = shown
        self.total = len(errors) + more
