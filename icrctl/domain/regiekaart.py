"""The Zeeland regiekaart (Zeeuwse universele regiekaart (de-)escaleren) and its rules.

The table itself (four phases, who holds which role in each, the two phase-4 tracks and the people
to inform) is package data in ``regiekaart.yaml``; this module reads it once and holds the rules
that a phase change and the casusregie setting of a case must obey. Pure Python: the services call
these functions and raise nothing else.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.resources
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from icrctl import i18n
from icrctl.domain.vocabulary import FRAMEWORK, PARTNER_KIND, REGIE, Vocabulary
from icrctl.errors import InvalidValue, RuleViolation
from icrctl.i18n import N_, _

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
    N_("track"),
    ("care", "social"),
    {
        "zorg": "care",
        "zorgcalamiteit": "care",
        "sociaal": "social",
        "sociaal_domein": "social",
    },
)

PHASE_NUMBERS: tuple[int, ...] = (1, 2, 3, 4)

#: The case director using icrctl (intensief casusregisseur), as a holder of casusregie or
#: procesregie; ``client`` the client themselves; ``partner`` a partner linked to the case.
ICR = "icr"
CLIENT = "client"
PARTNER = "partner"
#: Who may hold casusregie (``client``, ``icr``, ``partner``) and procesregie (``icr``,
#: ``partner``): the stable words of the case file, JSON and the history.
CASUSREGIE_HOLDERS: tuple[str, ...] = (CLIENT, ICR, PARTNER)
PROCESREGIE_HOLDERS: tuple[str, ...] = (ICR, PARTNER)
#: The two lists of the compulsory framework's casusregie (youth: the GI; adults: probation…).
AGE_GROUPS: tuple[str, ...] = ("youth", "adults")

_CODE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")


@dataclass(frozen=True)
class Wording:
    """One text of the regiekaart in both languages: ``nl`` the card's Dutch, ``en`` ours."""

    nl: str
    en: str

    def shown(self, language: str | None = None) -> str:
        """The text in ``language``, or in the language in use (``en`` for JSON and CSV, which
        read the same in every language)."""
        return self.nl if (language or i18n.language()) == "nl" else self.en


class _Shown(Mapping[str, str | None]):
    """A read-only view of role texts, each in the language in use when it is read."""

    def __init__(self, texts: Mapping[str, Wording | None]) -> None:
        self._texts = texts

    def __getitem__(self, key: str) -> str | None:
        text = self._texts[key]
        return None if text is None else text.shown()

    def __iter__(self) -> Iterator[str]:
        return iter(self._texts)

    def __len__(self) -> int:
        return len(self._texts)


@dataclass(frozen=True)
class ChecklistEntry:
    """One person or body to inform (or decision to take) when a case escalates to phase 4.

    ``code`` is the stable key (JSON, CSV, ``--item``); ``label`` and ``informed_by`` read in the
    language in use, ``label_nl`` always in Dutch. ``yours``: the ICR's own task; otherwise
    others do it (``informed_by``) and the ICR checks that it was done.
    """

    code: str
    wording: Wording
    by: Wording
    words_nl: tuple[str, ...] = ()
    yours: bool = False

    @property
    def label(self) -> str:
        return self.wording.shown()

    @property
    def label_nl(self) -> str:
        return self.wording.nl

    @property
    def informed_by(self) -> str:
        return self.by.shown()


class _Titled:
    """A part of the card with a name and a meaning: ``name_nl`` the card's Dutch name and
    ``gloss`` its English gloss (both in every language); ``name`` and ``description`` in the
    language in use."""

    title: Wording
    meaning: Wording

    @property
    def name_nl(self) -> str:
        return self.title.nl

    @property
    def gloss(self) -> str:
        return self.title.en

    @property
    def name(self) -> str:
        return self.title.shown()

    @property
    def description(self) -> str:
        return self.meaning.shown()


@dataclass(frozen=True)
class Track(_Titled):
    """One of the two phase-4 tracks (sporen) and its checklist of people to inform.

    ``name_nl`` is the card's Dutch name, ``gloss`` its English gloss (both in every language);
    ``name`` and ``description`` read in the language in use.
    """

    code: str
    title: Wording
    meaning: Wording
    inform: tuple[ChecklistEntry, ...]


@dataclass(frozen=True)
class Phase(_Titled):
    """One phase (fase) of the regiekaart: its name and who holds which role in it.

    ``name_nl`` is the card's Dutch name and ``gloss`` its English gloss, the same in every
    language; ``name``, ``description``, ``informal_network`` and the texts of ``roles`` read in
    the language in use. ``roles`` maps each of :data:`ROLE_KEYS` to the holder's description,
    or ``None`` where the regiekaart has no entry (e.g. behandelregie in phase 1). It is read-only.
    ``casusregie`` maps each framework the card has in this phase to who may hold casusregie in
    it (``client``, ``professional``): phase 1 has no compulsory framework, and its citizens hold
    regie themselves.
    """

    number: int
    title: Wording
    meaning: Wording
    holders: Mapping[str, Wording | None] = field(hash=False)
    casusregie: Mapping[str, tuple[str, ...]] = field(hash=False)
    network: Wording
    #: The partner kinds the card names for casusregie, per framework (``compulsory`` as
    #: ``compulsory_youth`` and ``compulsory_adults``).
    casusregie_kinds: Mapping[str, tuple[str, ...]] = field(hash=False, default_factory=dict)
    #: Who the card names for procesregie (partner kinds and ``icr``); ``None``: nobody.
    procesregie_kinds: tuple[str, ...] | None = None

    @property
    def frameworks(self) -> tuple[str, ...]:
        """The frameworks the card has in this phase, in the vocabulary's order."""
        return tuple(self.casusregie)

    def may_hold(self, framework: str, regie: str) -> bool:
        """Whether ``regie`` may hold casusregie in ``framework`` in this phase."""
        return regie in self.casusregie.get(framework, ())

    @property
    def professional_casusregie_required(self) -> bool:
        """No framework of this phase lets the client hold casusregie (phases 3 and 4)."""
        return not any("client" in who for who in self.casusregie.values())

    @property
    def informal_network(self) -> str:
        return self.network.shown()

    @property
    def roles(self) -> Mapping[str, str | None]:
        return _Shown(self.holders)


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


def _wording(value: Any, where: str) -> Wording:
    """A text in both languages: a mapping of exactly ``nl`` and ``en``."""
    if not isinstance(value, dict) or set(value) != {"nl", "en"}:
        raise _DataError(f"regiekaart.yaml: {where} must have exactly nl and en")
    return Wording(nl=_text(value, "nl", where), en=_text(value, "en", where))


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
    raw_roles = _mapping(data.get("roles"), f"{where}.roles")
    if set(raw_roles) != set(ROLE_KEYS):
        raise _DataError(f"regiekaart.yaml: {where}.roles must have exactly {', '.join(ROLE_KEYS)}")
    roles: dict[str, Wording | None] = {}
    for key in ROLE_KEYS:
        value = raw_roles[key]
        roles[key] = None if value is None else _wording(value, f"{where}.roles.{key}")
    return Phase(
        number=number,
        title=_wording(data.get("name"), f"{where}.name"),
        meaning=_wording(data.get("description"), f"{where}.description"),
        holders=MappingProxyType(roles),
        casusregie=_casusregie(data.get("casusregie"), roles, f"{where}.casusregie"),
        network=_wording(data.get("informal_network"), f"{where}.informal_network"),
        **_holder_kinds(data.get("holder_kinds"), roles, f"{where}.holder_kinds"),
    )


def _kinds(value: Any, where: str, extra: tuple[str, ...] = ()) -> tuple[str, ...]:
    """A list of partner kinds (and ``extra`` words), each once."""
    kinds = _sequence(value, where)
    if len(set(kinds)) != len(kinds) or not set(kinds) <= {*PARTNER_KIND.terms, *extra}:
        raise _DataError(f"regiekaart.yaml: {where} must list partner kinds, each once")
    return tuple(kinds)


def _holder_kinds(raw: Any, roles: Mapping[str, Wording | None], where: str) -> dict[str, Any]:
    """Who the card names for casusregie (per framework it has in the phase) and procesregie
    (``None`` where its procesregie role is empty)."""
    data = _mapping(raw, where)
    if set(data) != {"casusregie", "procesregie"}:
        raise _DataError(f"regiekaart.yaml: {where} must have exactly casusregie and procesregie")
    casus = _mapping(data["casusregie"], f"{where}.casusregie")
    present = [kind for kind in FRAMEWORK.terms if roles[f"casusregie_{kind}"] is not None]
    if list(casus) != present:
        raise _DataError(f"regiekaart.yaml: {where}.casusregie must have {', '.join(present)}")
    kinds: dict[str, tuple[str, ...]] = {}
    for framework in present:
        at = f"{where}.casusregie.{framework}"
        if framework != "compulsory":
            kinds[framework] = _kinds(casus[framework], at)
            continue
        groups = _mapping(casus[framework], at)
        if list(groups) != list(AGE_GROUPS):
            raise _DataError(f"regiekaart.yaml: {at} must have {', '.join(AGE_GROUPS)}")
        for group in AGE_GROUPS:
            kinds[f"{framework}_{group}"] = _kinds(groups[group], f"{at}.{group}")
    proces = data["procesregie"]
    if (proces is None) != (roles["procesregie"] is None):
        raise _DataError(f"regiekaart.yaml: {where}.procesregie is null exactly where its role is")
    return {
        "casusregie_kinds": MappingProxyType(kinds),
        "procesregie_kinds": None
        if proces is None
        else _kinds(proces, f"{where}.procesregie", (ICR,)),
    }


def _casusregie(
    raw: Any, roles: Mapping[str, Wording | None], where: str
) -> Mapping[str, tuple[str, ...]]:
    """Who may hold casusregie per framework: exactly the frameworks whose casusregie role the
    card fills in this phase, each with one or more of client and professional."""
    data = _mapping(raw, where)
    present = [kind for kind in FRAMEWORK.terms if roles[f"casusregie_{kind}"] is not None]
    if list(data) != present:
        raise _DataError(
            f"regiekaart.yaml: {where} must have {', '.join(present)} in that order "
            "(the frameworks whose casusregie role is filled in)"
        )
    allowed: dict[str, tuple[str, ...]] = {}
    for kind in present:
        who = _sequence(data[kind], f"{where}.{kind}")
        if not who or len(set(who)) != len(who) or not set(who) <= set(REGIE.terms):
            raise _DataError(
                f"regiekaart.yaml: {where}.{kind} must list {' and/or '.join(REGIE.terms)} once"
            )
        allowed[kind] = tuple(who)
    return MappingProxyType(allowed)


def _entry(raw: Any, where: str) -> ChecklistEntry:
    data = _mapping(raw, where)
    code = _text(data, "code", where)
    if not _CODE.match(code):
        raise _DataError(f"regiekaart.yaml: {where}.code {code!r} must be lowercase snake_case")
    return ChecklistEntry(
        code=code,
        wording=_wording(data.get("label"), f"{where}.label"),
        by=_wording(data.get("informed_by"), f"{where}.informed_by"),
        words_nl=_words(data.get("words_nl", []), f"{where}.words_nl"),
        yours=_flag(data, "yours", where),
    )


def _flag(data: Mapping[str, Any], key: str, where: str) -> bool:
    value = data.get(key)
    if not isinstance(value, bool):
        raise _DataError(f"regiekaart.yaml: {where}.{key} must be true or false")
    return value


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
        title=_wording(data.get("name"), f"{where}.name"),
        meaning=_wording(data.get("description"), f"{where}.description"),
        inform=inform,
    )


def _parse(source: str) -> _Regiekaart:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present
    return _build(yaml.load(source, Loader=loader))


def _build(document: Any) -> _Regiekaart:
    """The card from the YAML document's data (or its compiled twin's, the very same)."""
    data = _mapping(document, "the document")
    raw_phases = _sequence(data.get("phases"), "phases")
    phases = tuple(_phase(raw, f"phases[{i}]") for i, raw in enumerate(raw_phases))
    if tuple(p.number for p in phases) != PHASE_NUMBERS:
        raise _DataError("regiekaart.yaml: phases must be numbered 1, 2, 3, 4 in that order")
    raw_tracks = _sequence(data.get("tracks"), "tracks")
    tracks = tuple(_track(raw, f"tracks[{i}]") for i, raw in enumerate(raw_tracks))
    if tuple(t.code for t in tracks) != TRACK.terms:
        raise _DataError(f"regiekaart.yaml: tracks must be {', '.join(TRACK.terms)} in that order")
    return _Regiekaart(phases=phases, tracks=MappingProxyType({t.code: t for t in tracks}))


#: ``regiekaart.yaml`` read by a YAML parser and written as JSON, with the SHA-256 of the YAML it
#: was made from (``python .ci/regiekaart.py``; a test keeps it in step). Reading it
#: instead of the YAML spares every command that consults the card the YAML parser (a tenth of
#: ``check``'s own time); a twin that no longer matches the YAML is ignored, never trusted.
COMPILED = "regiekaart.json"


def compiled(source: bytes) -> str:
    """The compiled twin of the YAML ``source``: its data as JSON, under the source's hash."""
    import json

    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    document = yaml.load(source.decode("utf-8"), Loader=loader)
    twin = {"source_sha256": hashlib.sha256(source).hexdigest(), "document": document}
    return json.dumps(twin, ensure_ascii=False, indent=1) + "\n"


def _twin(source: bytes, text: str | None) -> Any | None:
    """The document of the compiled twin ``text`` if it was made from ``source``; else None."""
    import json

    if text is None:
        return None
    try:
        twin = json.loads(text)
    except ValueError:
        return None
    made_from = hashlib.sha256(source).hexdigest()
    if not isinstance(twin, dict) or twin.get("source_sha256") != made_from:
        return None
    return twin.get("document")


@functools.cache
def _regiekaart() -> _Regiekaart:
    folder = importlib.resources.files("icrctl.domain")
    source = (folder / "regiekaart.yaml").read_bytes()
    try:
        text: str | None = (folder / COMPILED).read_text(encoding="utf-8")
    except OSError:
        text = None
    document = _twin(source, text)
    if document is None:
        return _parse(source.decode("utf-8"))
    return _build(document)


# --- lookups -------------------------------------------------------------------------------------


def _check_number(n: int) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or n not in PHASE_NUMBERS:
        raise InvalidValue(_("phase must be 1, 2, 3 or 4"))
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
    return Vocabulary(N_("checklist item"), tuple(codes), words)


def checklist_entry(track: str, code: str) -> ChecklistEntry | None:
    """Item ``code`` of ``track`` as the card has it; ``None`` if the card has no such item."""
    for entry in checklist_for(track):
        if entry.code == code:
            return entry
    return None


def checklist_label(track: str, code: str, language: str | None = None) -> str:
    """How checklist item ``code`` of ``track`` reads on the card, in ``language`` or the
    language in use (its code, if the card has no such item)."""
    entry = checklist_entry(track, code)
    return code if entry is None else entry.wording.shown(language)


def checklist_informed_by(track: str, code: str, language: str | None = None) -> str | None:
    """Who informs (or decides) for item ``code`` of ``track``, as the card names them, in
    ``language`` or the language in use; ``None`` if the card has no such item."""
    entry = checklist_entry(track, code)
    return None if entry is None else entry.by.shown(language)


def checklist_yours(track: str, code: str) -> bool:
    """Whether item ``code`` of ``track`` is the ICR's own task (else others do it and the ICR
    checks); an item the card does not have is taken as the ICR's."""
    entry = checklist_entry(track, code)
    return True if entry is None else entry.yours


#: Who ticked off an item of the ICR's own when the case names no regisseur: the word the card
#: and the practice use for the case director, the same in every language (it is stored).
CASE_DIRECTOR = "regisseur"


def checklist_done_by(track: str, code: str, regisseur: str | None) -> str:
    """Who did item ``code`` of ``track``, when the one ticking it off does not say: the ICR for
    their own task (the case's ``regisseur``, else :data:`CASE_DIRECTOR`), else whoever the card
    names (its Dutch: a stored text reads the same in every language)."""
    entry = checklist_entry(track, code)
    if entry is None or entry.yours:
        return regisseur or CASE_DIRECTOR
    return entry.by.nl


def parse_checklist_item(text: str) -> str:
    """A checklist code from the code or one of its Dutch words (``lokale_driehoek``,
    ``burgemeester``), in any case; :class:`InvalidValue` otherwise."""
    return checklist_items().parse(text)


#: Display labels of the rows of :func:`responsibilities` (English message ids, translated there).
ROLE_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "casusregie": N_("casusregie (case direction)"),
        "behandelregie": N_("behandelregie (treatment direction)"),
        "procesregie": N_("procesregie (process direction)"),
        "operational": N_("operational responsibility (operationeel verantwoordelijk)"),
        "administrative": N_("administrative responsibility (bestuurlijk verantwoordelijk)"),
        "informal_network": N_("informal network (informeel netwerk)"),
    }
)


def responsibilities(
    n: int, framework: str, language: str | None = None
) -> list[tuple[str, str | None]]:
    """Who holds which role in phase ``n`` for a case in ``framework`` (voluntary|compulsory).

    Rows in order: casusregie, behandelregie, procesregie, operational, administrative, informal
    network. The holder is ``None`` where the regiekaart has no entry. Labels and holders read
    in ``language``, or in the language in use (``en`` for JSON and CSV).
    """
    p = phase(n)
    kind = FRAMEWORK.parse(framework)
    english = (language or i18n.language()) == "en"

    def label(key: str) -> str:
        return ROLE_LABELS[key] if english else _(ROLE_LABELS[key])

    def held(key: str) -> str | None:
        text = p.holders[key]
        return None if text is None else text.shown(language)

    return [
        (label("casusregie"), held(f"casusregie_{kind}")),
        (label("behandelregie"), held("behandelregie")),
        (label("procesregie"), held("procesregie")),
        (label("operational"), held("operational")),
        (label("administrative"), held("administrative")),
        (label("informal_network"), p.network.shown(language)),
    ]


# --- rules ---------------------------------------------------------------------------------------

#: Hint keys of the rules below: what to do about a refusal (``render.errors`` words them).
HAND_REGIE_TO_PROFESSIONAL = "hand-regie-to-professional"
HAND_REGIE_TO_CLIENT = "hand-regie-to-client"
CHANGE_FRAMEWORK = "change-framework"
CHOOSE_TRACK = "choose-track"
DROP_TRACK = "drop-track"
NO_PROCESREGIE = "no-procesregie"


def _no_framework(p: Phase, kind: str) -> str:
    return _("regiekaart: phase {phase} ({name}) has no {framework} framework").format(
        phase=p.number, name=p.name_nl, framework=FRAMEWORK.label(kind)
    )


def _client_refused(p: Phase, kind: str, held: bool) -> str:
    """The card's rule against the client holding casusregie: ``held`` says the client holds it
    in the case now, else that the client cannot."""
    if kind == "compulsory" and held:
        return _(
            "regiekaart: in a compulsory framework casusregie is always held by a professional "
            "(GI, probation, forensic care or a care provider); the client holds it in this case"
        )
    if kind == "compulsory":
        return _(
            "regiekaart: in a compulsory framework casusregie is always held by a professional "
            "(GI, probation, forensic care or a care provider); the client cannot hold it"
        )
    if held:
        return _(
            "regiekaart: in phase {phase} casusregie is always held by a professional; "
            "the client holds it in this case"
        ).format(phase=p.number)
    return _(
        "regiekaart: in phase {phase} casusregie is always held by a professional; "
        "the client cannot hold it"
    ).format(phase=p.number)


def _professional_refused(p: Phase, held: bool) -> str:
    """The card's rule against a professional holding casusregie (phase 1: the citizens hold
    regie themselves)."""
    if held:
        return _(
            "regiekaart: in phase {phase} ({name}) the client holds casusregie themselves; "
            "a professional holds it in this case"
        ).format(phase=p.number, name=p.name_nl)
    return _(
        "regiekaart: in phase {phase} ({name}) the client holds casusregie themselves; "
        "a professional cannot hold it"
    ).format(phase=p.number, name=p.name_nl)


def _casusregie_rule(n: int, kind: str, who: str, ref: str | None) -> RuleViolation | None:
    """The refusal the card gives casusregie by ``who`` in framework ``kind`` in phase ``n``, or
    ``None``. With ``ref``, case ``ref`` is on its way to phase ``n`` as it is: the message says
    who holds casusregie now and the hint what to change; without, it says who cannot."""
    p = _regiekaart().phases[n - 1]
    if kind not in p.casusregie:
        if ref is None:
            return RuleViolation(_no_framework(p, kind))
        facts = {"ref": ref, "framework": p.frameworks[0]}
        return RuleViolation(_no_framework(p, kind), CHANGE_FRAMEWORK, **facts)
    if p.may_hold(kind, who):
        return None
    held = ref is not None
    if who == "client":
        message, hint = _client_refused(p, kind, held), HAND_REGIE_TO_PROFESSIONAL
    else:
        message, hint = _professional_refused(p, held), HAND_REGIE_TO_CLIENT
    if ref is None:
        return RuleViolation(message)
    return RuleViolation(message, hint, ref=ref, phase=str(n))


def casusregie_breach(phase: int, framework: str, regie: str) -> str | None:
    """What the regiekaart says against casusregie by ``regie`` in ``framework`` in phase
    ``phase``, in the language in use; ``None`` when the card allows it. For a case already in
    the file (``check``, ``doctor``), which is flagged, not refused."""
    n, kind, who = _check_number(phase), FRAMEWORK.parse(framework), REGIE.parse(regie)
    refusal = _casusregie_rule(n, kind, who, None)
    return None if refusal is None else str(refusal)


def check_regie(phase: int, framework: str, regie: str) -> None:
    """Refuse casusregie that the regiekaart does not give ``regie`` in ``framework`` in phase
    ``phase`` (``casusregie`` in ``regiekaart.yaml``).

    The card has no compulsory framework in phase 1, where the citizens hold regie themselves (the
    client, never a professional); a compulsory framework always has a professional, and so do
    phases 3 and 4; in phase 2 of a voluntary framework either may hold it.
    """
    n, kind, who = _check_number(phase), FRAMEWORK.parse(framework), REGIE.parse(regie)
    refusal = _casusregie_rule(n, kind, who, None)
    if refusal is not None:
        raise refusal


def default_regie(phase: int, framework: str) -> str:
    """Who holds casusregie in a new case that does not say: a professional where the card allows
    one, else the holder it names (the client in phase 1)."""
    p, kind = _regiekaart().phases[_check_number(phase) - 1], FRAMEWORK.parse(framework)
    allowed = p.casusregie.get(kind, ("professional",))
    return "professional" if "professional" in allowed else allowed[0]


def holder_regie(holder: str) -> str:
    """The ``regie`` of a casusregie holder: the client, or a professional (the case director
    and a partner both count as one)."""
    return "client" if holder == CLIENT else "professional"


def named_casusregie_kinds(phase: int, framework: str, youth: bool = True) -> tuple[str, ...]:
    """The partner kinds the card names for casusregie in ``framework`` in phase ``phase``
    (``holder_kinds`` in ``regiekaart.yaml``). In a compulsory framework a case about ``youth``
    (a child among its members) accepts the youth list (the GI) and the adults' list alike; a
    case about adults only the adults' list (probation, forensic care, care providers)."""
    p, kind = _regiekaart().phases[_check_number(phase) - 1], FRAMEWORK.parse(framework)
    if kind != "compulsory":
        return p.casusregie_kinds.get(kind, ())
    adults = p.casusregie_kinds.get("compulsory_adults", ())
    return (*p.casusregie_kinds.get("compulsory_youth", ()), *adults) if youth else adults


def casusregie_note(
    phase: int, framework: str, holder: str, kind: str | None, youth: bool = True
) -> str | None:
    """What the card says when a partner of ``kind`` holds casusregie though the card does not
    name that kind (in consultation, in overleg), in the language in use; ``None`` when it does,
    or when the client or the case director holds it."""
    if holder != PARTNER or kind is None:
        return None
    if kind in named_casusregie_kinds(phase, framework, youth):
        return None
    p, frame = _regiekaart().phases[_check_number(phase) - 1], FRAMEWORK.parse(framework)
    card = p.holders.get(f"casusregie_{frame}")
    return _(
        "regiekaart: {card} — a partner of kind {kind} is not among them: casusregie in "
        "consultation (in overleg)"
    ).format(card=card.shown() if card else "–", kind=PARTNER_KIND.label(kind))


def check_casusregie(
    phase: int, framework: str, holder: str, kind: str | None = None, youth: bool = True
) -> str | None:
    """Refuse a casusregie ``holder`` (``client``, ``icr``, ``partner`` of ``kind``) that the card
    refuses in ``framework`` in phase ``phase`` (:func:`check_regie`: the case director and a
    partner are professionals); return the card's words when it accepts the holder only in
    consultation (:func:`casusregie_note`), else ``None``."""
    check_regie(phase, framework, holder_regie(holder))
    return casusregie_note(phase, framework, holder, kind, youth)


def _procesregie_none(p: Phase) -> str:
    return _("regiekaart: in phase {phase} ({name}) nobody holds procesregie").format(
        phase=p.number, name=p.name_nl
    )


def procesregie_note(phase: int, holder: str | None, kind: str | None = None) -> str | None:
    """What the card says against procesregie by ``holder`` (``icr``, or a ``partner`` of
    ``kind``) in phase ``phase``, in the language in use: that nobody holds it in this phase, or
    that the card does not name this holder (in consultation); ``None`` when it does, or when
    nobody holds it. For ``check``: a case already in the file is flagged, not refused."""
    if holder is None:
        return None
    p = _regiekaart().phases[_check_number(phase) - 1]
    if p.procesregie_kinds is None:
        return _procesregie_none(p)
    word = ICR if holder == ICR else kind
    if word in p.procesregie_kinds:
        return None
    card = p.holders["procesregie"]
    who = (
        _("the case director (ICR)")
        if holder == ICR
        else _("a partner of kind {kind}").format(kind=PARTNER_KIND.label(kind or "other"))
    )
    return _(
        "regiekaart: procesregie in phase {phase}: {card} — {holder} is not among them: in "
        "consultation (in overleg)"
    ).format(phase=p.number, card=card.shown() if card else "–", holder=who)


def check_procesregie(phase: int, holder: str | None, kind: str | None = None) -> str | None:
    """Refuse procesregie where the card has nobody hold it (phase 1); return the card's words
    when it accepts the holder only in consultation, else ``None``. ``holder`` is ``None``
    (nobody named), ``icr`` or ``partner`` (of ``kind``)."""
    p = _regiekaart().phases[_check_number(phase) - 1]
    if holder is not None and p.procesregie_kinds is None:
        raise RuleViolation(_procesregie_none(p), NO_PROCESREGIE)
    return procesregie_note(phase, holder, kind)


def has_procesregie(phase: int) -> bool:
    """Whether the card names anyone for procesregie in phase ``phase`` (not in phase 1)."""
    return _regiekaart().phases[_check_number(phase) - 1].procesregie_kinds is not None


def _no_track_outside_phase_4(n: int, track: str | None) -> None:
    if track is not None and n != 4:
        raise RuleViolation(
            _(
                "a track applies only to phase 4 (zorgcalamiteit or calamiteit sociaal domein); "
                "phase {phase} has none"
            ).format(phase=n),
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
        raise RuleViolation(_("phase 4 has two tracks"), CHOOSE_TRACK)
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
    a phase whose casusregie the case breaks as it will be (:func:`check_regie`: phase 1 in a
    compulsory framework or with a professional holding casusregie, phase 3 or 4 while the client
    holds it); phase 4 without a track; a track for any other phase (:func:`check_track`). ``ref``
    is the case the hint of a refusal names (with the phase asked for). ``regie`` is who holds
    casusregie once the change is made. ``track`` may be an alias.
    """
    _check_number(current)
    _check_number(new)
    kind = FRAMEWORK.parse(framework)
    who = REGIE.parse(regie)
    if new == current:
        raise RuleViolation(_("case is already in phase {phase}").format(phase=new))
    _no_track_outside_phase_4(new, track)  # a stray --track is reported before the regie
    refusal = _casusregie_rule(new, kind, who, ref)
    if refusal is not None:
        raise refusal
    check_track(new, track)
