"""The settings a case file (or a team's database) keeps, and their rules: every known key, its
default and the values it takes, in one place (``icrctl config``).

The ``settings`` table holds only what differs from the default; a key not listed here is not a
setting, and a value is kept in its one canonical spelling (``on``, never ``aan`` or ``ON``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from icrctl.errors import InvalidValue
from icrctl.i18n import N_, _

ON, OFF = "on", "off"
SWITCH_WORDS = {"on": ON, "off": OFF, "aan": ON, "uit": OFF}
"""What a switch accepts (any case), English and Dutch, and the value it stands for."""


def switch(text: str) -> str:
    """``on``/``off`` (or Dutch ``aan``/``uit``), as ``on`` or ``off``."""
    value = SWITCH_WORDS.get(text.strip().lower())
    if value is None:
        raise InvalidValue(_("{value!r} is not on or off (aan or uit)").format(value=text))
    return value


@dataclass(frozen=True)
class Known:
    """One setting: its key, what it does (a help text, translated where shown), how a value is
    read, and its default on a personal file and on a team's server."""

    key: str
    about: str
    read: Callable[[str], str]
    personal: str
    team: str

    def default(self, team: bool) -> str:
        return self.team if team else self.personal


AUDIT_READS = "audit_reads"

KNOWN: dict[str, Known] = {
    AUDIT_READS: Known(
        AUDIT_READS,
        N_(
            "log every reading of a case's personal data in the audit log (NEN 7513): on or off "
            "(aan, uit)"
        ),
        switch,
        personal=OFF,
        team=ON,
    ),
}
"""Every setting icrctl knows, in the order ``config list`` shows them."""


def known(key: str) -> Known:
    found = KNOWN.get(key.strip().lower())
    if found is None:
        raise InvalidValue(
            _("unknown setting {key!r}; the settings are: {known}").format(
                key=key, known=", ".join(KNOWN)
            )
        )
    return found


def parse(key: str, value: str) -> tuple[Known, str]:
    """The setting and ``value`` in its canonical spelling, or a one-line refusal naming both."""
    setting = known(key)
    try:
        return setting, setting.read(value)
    except InvalidValue as exc:
        raise InvalidValue(f"{setting.key}: {exc}") from None
