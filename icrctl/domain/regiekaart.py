"""The Zeeland regiekaart (Zeeuwse universele regiekaart (de-)escaleren) and its rules.

The table itself (four phases, who holds which role in each, the two phase-4 tracks and the people
to inform) is package data in ``regiekaart.yaml``; this module reads it once and holds the rules
that a phase change and the casusregie setting of a case must obey. Pure Python: the services call
these functions and raise nothing else.
"""

from __future__ import annotations

import functools
import importlib.resources
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from icrctl.domain.vocabulary import FRAMEWORK, REGIE, Vocabulary
from icrctl.errors import InvalidValue, RuleViolation

#: Role keys of every phase in ``regiekaart.yaml``, in display order.
ROLE_KEYS: tuple[str, ...] = (
    "casusregie_voluntary",
    "casusregie_compulsory",
    "behandelregie",
    "procesregie",
    "operational",
    "administrative",
)

#: Phase-4 tracks (sporen): ``care`` = zorgcalamiteit bij zorgaanbieder, ``social`` = andere
#: calamiteit sociaal domein.
TRACK = Vocabulary(
    "track",
    ("care", "social"),
    {
        "zorg": "care",
        "zorgcalamiteit": "care",
        "sociaal": "social",
        "sociaal_domein": "social",
    },
)

PHASE_NUMBERS: tuple[int, ...] = (1, 2, 3, 4)

_CODE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")


@dataclass(frozen=True)
class ChecklistEntry:
    """One person or body to inform (or decision to take) when a case escalates to phase 4."""

    code: str
    label: str
    label_nl: str
    informed_by: str
    words_nl: tuple[str, ...] = ()


@dataclass(frozen=True)
class Track:
    """One of the two phase-4 tracks (sporen) and its checklist of people to inform."""

    code: str
    name_nl: str
    gloss: str
    description: str
    inform: tuple[ChecklistEntry, ...]


@dataclass(frozen=True)
class Phase:
    """One phase (fase) of the regiekaart: its name and who holds which role in it.

    ``roles`` maps each of :data:`ROLE_KEYS` to the holder's description, or ``None`` where the
    regiekaart has no entry (e.g. behandelregie in phase 1). It is read-only.
    """

    number: int
    name_nl: str
    gloss: str
    description: str
    roles: Mapping[str, str | None] = field(hash=False)
    professional_casusregie_required: bool
    informal_network: str = ""


@dataclass(frozen=True)
class _Regiekaart:
    phases: tuple[Phase, ...]
    tracks: Mapping[str, Track]


# --- loading -------------------------------------------------------------------------------------


class _DataError(Exception):
    """``regiekaart.yaml`` does not have the expected shape: a packaging bug, not a user error."""


def _text(data: Mapping[str, Any], key: str, where: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise _DataError(f"regiekaart.yaml: {where}.{key} must be a non-empty string")
    return value.strip()


def _mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise _DataError(f"regiekaart.yaml: {where} must be a mapping")
    return value


def _sequence(value: Any, where: str) -> list[Any]:
    if not isinstance(value, list):
        raise _DataError(f"regiekaart.yaml: {where} must be a list")
    return value


def _phase(raw: Any, where: str) -> Phase:
    data = _mapping(raw, where)
    number = data.get("number")
    if not isinstance(number, int) or isinstance(number, bool):
        raise _DataError(f"regiekaart.yaml: {where}.number must be an integer")
    required = data.get("professional_casusregie_required")
    if not isinstance(required, bool):
        raise _DataError(
            f"regiekaart.yaml: {where}.professional_casusregie_required must be true or false"
        )
    raw_roles = _mapping(data.get("roles"), f"{where}.roles")
    if set(raw_roles) != set(ROLE_KEYS):
        raise _DataError(f"regiekaart.yaml: {where}.roles must have exactly {', '.join(ROLE_KEYS)}")
    roles: dict[str, str | None] = {}
    for key in ROLE_KEYS:
        value = raw_roles[key]
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise _DataError(f"regiekaart.yaml: {where}.roles.{key} must be text or null")
        roles[key] = value.strip() if isinstance(value, str) else None
    return Phase(
        number=number,
        name_nl=_text(data, "name_nl", where),
        gloss=_text(data, "gloss", where),
        description=_text(data, "description", where),
        roles=MappingProxyType(roles),
        professional_casusregie_required=required,
        informal_network=_text(data, "informal_network", where),
    )


def _entry(raw: Any, where: str) -> ChecklistEntry:
    data = _mapping(raw, where)
    code = _text(data, "code", where)
    if not _CODE.match(code):
        raise _DataError(f"regiekaart.yaml: {where}.code {code!r} must be lowercase snake_case")
    return ChecklistEntry(
        code=code,
        label=_text(data, "label", where),
        label_nl=_text(data, "label_nl", where),
        informed_by=_text(data, "informed_by", where),
        words_nl=_words(data.get("words_nl", []), f"{where}.words_nl"),
    )


def _words(value: Any, where: str) -> tuple[str, ...]:
    words = _sequence(value, where)
    if not all(isinstance(w, str) and _CODE.match(w) for w in words):
        raise _DataError(f"regiekaart.yaml: {where} must be lowercase snake_case words")
    return tuple(words)


def _track(raw: Any, where: str) -> Track:
    data = _mapping(raw, where)
    items = _sequence(data.get("inform"), f"{where}.inform")
    inform = tuple(_entry(item, f"{where}.inform[{i}]") for i, item in enumerate(items))
    codes = [entry.code for entry in inform]
    if not inform or len(set(codes)) != len(codes):
        raise _DataError(f"regiekaart.yaml: {where}.inform must be non-empty with unique codes")
    return Track(
        code=_text(data, "code", where),
        name_nl=_text(data, "name_nl", where),
        gloss=_text(data, "gloss", where),
        description=_text(data, "description", where),
        inform=inform,
    )


def _parse(source: str) -> _Regiekaart:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present
    data = _mapping(yaml.load(source, Loader=loader), "the document")
    raw_phases = _sequence(data.get("phases"), "phases")
    phases = tuple(_phase(raw, f"phases[{i}]") for i, raw in enumerate(raw_phases))
    if tuple(p.number for p in phases) != PHASE_NUMBERS:
        raise _DataError("regiekaart.yaml: phases must be numbered 1, 2, 3, 4 in that order")
    raw_tracks = _sequence(data.get("tracks"), "tracks")
    tracks = tuple(_track(raw, f"tracks[{i}]") for i, raw in enumerate(raw_tracks))
    if tuple(t.code for t in tracks) != TRACK.terms:
        raise _DataError(f"regiekaart.yaml: tracks must be {', '.join(TRACK.terms)} in that order")
    return _Regiekaart(phases=phases, tracks=MappingProxyType({t.code: t for t in tracks}))


@functools.cache
def _regiekaart() -> _Regiekaart:
    resource = importlib.resources.files("icrctl.domain") / "regiekaart.yaml"
    return _parse(resource.read_text(encoding="utf-8"))


# --- lookups -------------------------------------------------------------------------------------


def _check_number(n: int) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or n not in PHASE_NUMBERS:
        raise InvalidValue("phase must be 1, 2, 3 or 4")
    return n


def phases() -> tuple[Phase, ...]:
    """The four phases, in order."""
    return _regiekaart().phases


def phase(n: int) -> Phase:
    """Phase ``n`` (1..4); :class:`InvalidValue` otherwise."""
    return _regiekaart().phases[_check_number(n) - 1]


def parse_track(text: str) -> str:
    """``care`` or ``social`` from the canonical word or a Dutch alias (zorg, zorgcalamiteit,
    sociaal, sociaal_domein), in any case; :class:`InvalidValue` otherwise."""
    key = re.sub(r"[\s-]+", "_", text.strip())
    return TRACK.parse(key)


def track(code: str) -> Track:
    """The phase-4 track ``care`` or ``social`` (aliases accepted)."""
    return _regiekaart().tracks[parse_track(code)]


def checklist_for(track: str) -> tuple[ChecklistEntry, ...]:
    """The people to inform (and the decision to take) on escalation to phase 4 on ``track``."""
    return _regiekaart().tracks[parse_track(track)].inform


@functools.cache
def checklist_items() -> Vocabulary:
    """Every checklist code of both tracks, in the card's order, with its Dutch words."""
    codes: dict[str, None] = {}
    words: dict[str, str] = {}
    for t in _regiekaart().tracks.values():
        for entry in t.inform:
            codes[entry.code] = None
            words.update(dict.fromkeys(entry.words_nl, entry.code))
    return Vocabulary("checklist item", tuple(codes), words)


def parse_checklist_item(text: str) -> str:
    """A checklist code from the code or one of its Dutch words (``lokale_driehoek``,
    ``burgemeester``), in any case; :class:`InvalidValue` otherwise."""
    return checklist_items().parse(text)


#: Display labels of the rows of :func:`responsibilities`.
ROLE_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "casusregie": "casusregie (case direction)",
        "behandelregie": "behandelregie (treatment direction)",
        "procesregie": "procesregie (process direction)",
        "operational": "operational responsibility (operationeel verantwoordelijk)",
        "administrative": "administrative responsibility (bestuurlijk verantwoordelijk)",
        "informal_network": "informal network (informele netwerk)",
    }
)


def responsibilities(n: int, framework: str) -> list[tuple[str, str | None]]:
    """Who holds which role in phase ``n`` for a case in ``framework`` (voluntary|compulsory).

    Rows in order: casusregie, behandelregie, procesregie, operational, administrative, informal
    network. The holder is ``None`` where the regiekaart has no entry.
    """
    p = phase(n)
    kind = FRAMEWORK.parse(framework)
    return [
        (ROLE_LABELS["casusregie"], p.roles[f"casusregie_{kind}"]),
        (ROLE_LABELS["behandelregie"], p.roles["behandelregie"]),
        (ROLE_LABELS["procesregie"], p.roles["procesregie"]),
        (ROLE_LABELS["operational"], p.roles["operational"]),
        (ROLE_LABELS["administrative"], p.roles["administrative"]),
        (ROLE_LABELS["informal_network"], p.informal_network),
    ]


# --- rules ---------------------------------------------------------------------------------------


def check_regie(phase: int, framework: str, regie: str) -> None:
    """Refuse casusregie by the client where the regiekaart requires a professional.

    A compulsory framework (gedwongen kader) always has a professional; so do phases 3 and 4.
    In phases 1 and 2 of a voluntary framework the client may direct the case themselves.
    """
    n = _check_number(phase)
    kind = FRAMEWORK.parse(framework)
    if REGIE.parse(regie) != "client":
        return
    if kind == "compulsory":
        raise RuleViolation(
            "regiekaart: in a compulsory framework casusregie is always held by a professional "
            "(GI, probation, forensic care or a care provider); the client cannot hold it"
        )
    if _regiekaart().phases[n - 1].professional_casusregie_required:
        raise RuleViolation(
            f"regiekaart: in phase {n} casusregie is always held by a professional; "
            "the client cannot hold it"
        )


#: Hint keys of the rules below: what to do about a refusal (``render.errors`` words them).
HAND_REGIE_TO_PROFESSIONAL = "hand-regie-to-professional"
CHOOSE_TRACK = "choose-track"
DROP_TRACK = "drop-track"


def _no_track_outside_phase_4(n: int, track: str | None) -> None:
    if track is not None and n != 4:
        raise RuleViolation(
            f"a track applies only to phase 4 (zorgcalamiteit or calamiteit sociaal domein); "
            f"phase {n} has none",
            DROP_TRACK,
        )


def check_track(phase: int, track: str | None) -> str | None:
    """Phase 4 needs one of its two tracks and no other phase has one; the track's code (an alias
    accepted) or ``None``, else :class:`RuleViolation` (:class:`InvalidValue` for an unknown one).
    """
    n = _check_number(phase)
    _no_track_outside_phase_4(n, track)
    if n != 4:
        return None
    if track is None:
        raise RuleViolation("phase 4 has two tracks", CHOOSE_TRACK)
    return parse_track(track)


def check_phase_change(
    *,
    current: int,
    new: int,
    framework: str,
    regie: str,
    track: str | None,
    ref: str = "REF",
) -> None:
    """Refuse a phase change (``current`` → ``new``) that the regiekaart does not allow.

    Escalation, de-escalation and skipping phases are allowed. Refused: staying in the same phase;
    phase 3 or 4 while the client holds casusregie; phase 4 without a track; a track for any other
    phase (:func:`check_track`). ``ref`` is the case the hint of a refusal names (with the
    phase asked for). ``regie`` is who holds casusregie once the change is made. ``track`` may be
    an alias.
    """
    _check_number(current)
    _check_number(new)
    kind = FRAMEWORK.parse(framework)
    who = REGIE.parse(regie)
    if new == current:
        raise RuleViolation(f"case is already in phase {new}")
    _no_track_outside_phase_4(new, track)  # a stray --track is reported before the regie
    if (
        who == "client"
        and kind == "voluntary"
        and _regiekaart().phases[new - 1].professional_casusregie_required
    ):
        raise RuleViolation(
            f"regiekaart: in phase {new} casusregie is always held by a professional; "
            "the client holds it in this case",
            HAND_REGIE_TO_PROFESSIONAL,
            ref=ref,
            phase=str(new),
        )
    check_track(new, track)
