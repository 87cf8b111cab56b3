"""A refusal in the words the user reads: the rule's message, and what to do about it as a command.

The domain's rules name what to do with a hint key (``RuleViolation.hint``) and the facts it needs;
only here is the command written out. Each hint is appended to the message as it stands, its
joining punctuation included, so that the line reads as one sentence. A hint is an English message
id (translated when the refusal is shown); its command lines are the same in every language.
"""

from __future__ import annotations

from icrctl.domain.regiekaart import (
    CHANGE_FRAMEWORK,
    CHOOSE_TRACK,
    DROP_TRACK,
    HAND_REGIE_TO_CLIENT,
    HAND_REGIE_TO_PROFESSIONAL,
    NO_PROCESREGIE,
)
from icrctl.domain.stages import GIVE_STAGE_REASON
from icrctl.errors import IcrError, RuleViolation
from icrctl.i18n import N_, _

HINTS: dict[str, str] = {
    HAND_REGIE_TO_PROFESSIONAL: N_(
        " — 'icrctl phase set {ref} {phase} --regie professional "
        "--reason …' hands it to a professional in the same step (or first 'icrctl case edit {ref} "
        "--regie professional')"
    ),
    HAND_REGIE_TO_CLIENT: N_(
        " — 'icrctl phase set {ref} {phase} --regie client --reason …' hands it to the client in "
        "the same step"
    ),
    CHANGE_FRAMEWORK: N_(
        " — when the framework has changed, first 'icrctl case edit {ref} --framework {framework}'"
    ),
    CHOOSE_TRACK: N_(
        ": give --track care (zorgcalamiteit) or --track social (calamiteit sociaal domein)"
    ),
    DROP_TRACK: N_(": leave out --track"),
    GIVE_STAGE_REASON: N_(": say why with 'icrctl case stage {ref} {stage} --reason …'"),
    NO_PROCESREGIE: N_(": name nobody (--procesregie none) until the case is in phase 2 or higher"),
}


def error_text(exc: IcrError) -> str:
    """The refusal's message, followed by its hint when the rule gave one."""
    if isinstance(exc, RuleViolation) and exc.hint is not None:
        return str(exc) + _(HINTS[exc.hint]).format(**exc.facts)
    return str(exc)
