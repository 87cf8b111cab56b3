"""Reading and checking an import file: every field converted explicitly, every error of the file
collected with its line and path (``FILE:LINE: cases[3].members[1].born: message``)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import IO, Any, TypeVar

from icrctl.domain import regiekaart
from icrctl.domain.analysis import FACTOR_KIND, TERM
from icrctl.domain.dates import oldest_opening, parse_iso_date, parse_time, too_long_ago
from icrctl.domain.indicators import KEYS, parse_score
from icrctl.domain.recurrence import WORKDAYS, parse_cadence
from icrctl.domain.text import clean_text
from icrctl.domain.vocabulary import (
    ATTENDANCE,
    CONTACT_KIND,
    DOMAIN,
    EVENT_KIND,
    FRAMEWORK,
    GOAL_STATUS,
    MEETING_STATUS,
    PARTNER_KIND,
    PROCESREGIE_HOLDER,
    REGIE,
    RELATION,
    ROLE,
    STAGE,
    VIOLENCE,
    WEEKDAY,
    Vocabulary,
)
from icrctl.errors import SHOWN_ERRORS, IcrError, ImportErrors
from icrctl.i18n import _, ngettext
from icrctl.io.records import (
    BARE_NUMBER,
    AgreementRec,
    AnalysisRec,
    CaseFileRec,
    CaseRec,
    ChecklistRec,
    ContactRec,
    DiscussionRec,
    EventRec,
    FactorRec,
    FollowUpRec,
    GoalRec,
    HistoryRec,
    IndicatorRec,
    InterventionRec,
    LinkRec,
    MeetingRec,
    MemberRec,
    PartnerRec,
    RelationRec,
    RoleFitRec,
    SeriesRec,
    StageRec,
    Where,
)
from icrctl.io.yamlread import Map, Node, Scalar, Seq, read_yaml

T = TypeVar("T")
_DATETIME = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ](\d{1,2}:\d{2})$", re.ASCII)
EVENT_KINDS = EVENT_KIND.terms


def _at(path: str, key: str) -> str:
    """``cases[3].born``; a field of the top level is just its name (``version``)."""
    return key if path == "(top)" else f"{path}.{key}"


class Missing:
    """A required field that is absent (already reported)."""


MISSING = Missing()


class Reader:
    """Converts nodes to values, collecting errors instead of stopping at the first."""

    def __init__(self, name: str, today: dt.date) -> None:
        self.name = name
        self.today = today
        self.errors: list[str] = []
        self.more = 0  # errors counted beyond the SHOWN_ERRORS kept: memory stays bounded

    @property
    def keeps(self) -> bool:
        """Whether records are still kept: not once there are more errors than are shown. The
        file is refused then, and the rest is read only to count its errors, in bounded
        memory."""
        return not self.more

    def error(self, line: int, path: str, message: str) -> None:
        if len(self.errors) < SHOWN_ERRORS:
            self.errors.append(f"{self.name}:{line}: {path}: {message}")
        else:
            self.more += 1

    # ------------------------------------------------------------ structure

    def mapping(
        self, node: Node, path: str, fields: tuple[str, ...]
    ) -> dict[str, tuple[int, Node]] | None:
        if not isinstance(node, Map):
            self.error(node.line, path, _("expected a mapping (key: value)"))
            return None
        for key, (line, _node) in node.items.items():
            if key not in fields:
                message = _("unknown field (allowed: {fields})").format(fields=", ".join(fields))
                self.error(line, _at(path, key), message)
        return node.items

    def items(self, fields: dict[str, tuple[int, Node]], key: str, path: str) -> list[Node]:
        if key not in fields:
            return []
        line, node = fields[key]
        if isinstance(node, Scalar) and node.is_null:
            return []
        if not isinstance(node, Seq):
            self.error(line, _at(path, key), _("expected a list"))
            return []
        return node.items

    # ------------------------------------------------------------ scalars

    def value(
        self,
        fields: dict[str, tuple[int, Node]] | None,
        key: str,
        path: str,
        convert: Callable[[str], T],
        *,
        required: bool = False,
        quoted_numbers: bool = False,
    ) -> T | Missing | None:
        where = _at(path, key)
        if fields is None:
            return MISSING if required else None
        if key not in fields:
            if required:
                line = 0
                self.error(line or self._line_of(fields), where, _("required"))
                return MISSING
            return None
        line, node = fields[key]
        if not isinstance(node, Scalar):
            self.error(line, where, _("expected a single value, not a list or mapping"))
            return MISSING if required else None
        if node.is_null:
            if required:
                self.error(line, where, _("required"))
                return MISSING
            return None
        if quoted_numbers and node.plain and BARE_NUMBER.match(node.text):
            self.error(
                line,
                where,
                _(
                    "write {value} in quotes: a bare number loses its leading zero and spaces"
                ).format(value=node.text),
            )
            return MISSING if required else None
        try:
            return convert(node.text)
        except IcrError as exc:
            self.error(line, where, str(exc))
        except ValueError as exc:
            self.error(line, where, str(exc))
        return MISSING if required else None

    @staticmethod
    def _line_of(fields: dict[str, tuple[int, Node]]) -> int:
        return min((line for line, _node in fields.values()), default=0)

    def strings(
        self,
        fields: dict[str, tuple[int, Node]] | None,
        key: str,
        path: str,
        convert: Callable[[str], str],
    ) -> list[str]:
        if fields is None or key not in fields:
            return []
        out: list[str] = []
        line, node = fields[key]
        if isinstance(node, Scalar) and node.is_null:
            return []
        if not isinstance(node, Seq):
            self.error(line, _at(path, key), _("expected a list, e.g. [a, b]"))
            return []
        for i, item in enumerate(node.items):
            if not isinstance(item, Scalar):
                self.error(item.line, f"{_at(path, key)}[{i}]", _("expected a single value"))
                continue
            try:
                value = convert(item.text)
            except IcrError as exc:
                self.error(item.line, f"{_at(path, key)}[{i}]", str(exc))
                continue
            if value in out:
                twice = _("{value} is listed twice").format(value=value)
                self.error(item.line, f"{_at(path, key)}[{i}]", twice)
                continue
            out.append(value)
        return out


# ------------------------------------------------------------------ converters


def _text(field: str, multiline: bool = False) -> Callable[[str], str]:
    return lambda raw: clean_text(raw, field, multiline=multiline)


def _vocab(v: Vocabulary) -> Callable[[str], str]:
    return v.parse


def _bool(raw: str) -> bool:
    if raw in ("true", "True", "TRUE"):
        return True
    if raw in ("false", "False", "FALSE"):
        return False
    raise ValueError(_("expected true or false, not {value!r}").format(value=raw))


def _int_range(lo: int, hi: int) -> Callable[[str], int]:
    def convert(raw: str) -> int:
        if not re.fullmatch(r"[0-9]+", raw.strip()):
            raise ValueError(
                _("expected a whole number {low} to {high}, not {value!r}").format(
                    low=lo, high=hi, value=raw
                )
            )
        value = int(raw)
        if not lo <= value <= hi:
            raise ValueError(
                _("expected {low} to {high}, not {value}").format(low=lo, high=hi, value=value)
            )
        return value

    return convert


def _time(raw: str) -> str:
    t = parse_time(raw)
    return f"{t.hour:02d}:{t.minute:02d}"


def _datetime(raw: str) -> dt.datetime:
    m = _DATETIME.match(raw.strip())
    if not m:
        raise ValueError(_("expected YYYY-MM-DDTHH:MM, not {value!r}").format(value=raw))
    day = parse_iso_date(m[1])
    t = parse_time(m[2])
    return dt.datetime.combine(day, t)


def _key(raw: str) -> str:
    text = clean_text(raw, "key")
    if any(ch.isspace() for ch in text) or "," in text:
        raise ValueError(_("a key has no spaces or commas: {key!r}").format(key=text))
    return text


def _event_kind(raw: str) -> str:
    return EVENT_KIND.parse(raw)


# ------------------------------------------------------------------ the document

#: The highest automatic member number a file may give (``m999999999``).
MEMBER_NUMBERS = 999_999_999
PARTNER_FIELDS = ("key", "name", "organisation", "kind", "email", "phone", "reachable")
CASE_FIELDS = (
    "ref",
    "title",
    "opened",
    "closed",
    "stage",
    "phase",
    "framework",
    "regie",
    "casusregie_partner",
    "procesregie",
    "procesregie_partner",
    "regiebehandelaar",
    "regisseur",
    "referrer",
    "violence",
    "domains",
    "plan_signed",
    "last_member_number",
    "members",
    "partners",
    "evaluations",
    "history",
    "goals",
    "meetings",
    "stages",
    "checklist",
    "contacts",
    "aftercare",
    "events",
    "indicators",
    "analysis",
    "closing",
    "retention_until",
)
MEMBER_FIELDS = (
    "key", "name", "born", "role", "household", "phone", "email", "deceased", "relations",
)  # fmt: skip
LINK_FIELDS = (
    "partner",
    "name",
    "organisation",
    "kind",
    "key",
    "email",
    "phone",
    "reachable",
    "role",
    "consent",
    "coordination",
)
SERIES_FIELDS = ("every", "weekday", "time", "start", "until", "workdays", "stopped", "with")
#: The most goals a case in a file may name by number (an intervention's ``goal``).
MAX_GOALS = 999_999
#: The highest change count of a meeting a file may give (its iCalendar ``SEQUENCE``).
SEQUENCES = 999_999
MEETING_FIELDS = (
    "date",
    "status",
    "series",
    "extra",
    "to",
    "time",
    "attended",
    "absent",
    "refused",
    "risk",
    "self_reliance",
    "note",
    "reason",
    "sequence",
    "discussed",
    "agreements",
)
#: The highest goal place a file may name (the goals of one case, counted from 1).
GOAL_PLACES = 99_999


def read_import(stream: IO[str], name: str, today: dt.date) -> CaseFileRec:
    """Read and check a whole file; raise :class:`ImportErrors` with every problem found."""
    root = read_yaml(stream, name)
    r = Reader(name, today)
    top = r.mapping(root, "(top)", ("version", "partners", "cases"))
    result = CaseFileRec()
    if top is not None:
        if "version" not in top:
            r.error(root.line, "version", _("required: version: 1"))
        else:
            r.value(top, "version", "(top)", _version)
        for i, node in _drain(r.items(top, "partners", "(top)")):
            rec = _partner(r, node, f"partners[{i}]")
            if rec is not None and r.keeps:
                result.partners.append(rec)
        for i, node in _drain(r.items(top, "cases", "(top)")):
            case = _case(r, node, f"cases[{i}]")
            if case is not None and r.keeps:
                result.cases.append(case)
        _check_file(r, result)
    if r.errors:
        raise ImportErrors(r.errors, r.more)
    return result


def _drain(nodes: list[Node]) -> Iterator[tuple[int, Node]]:
    """Each node of a list with its index, let go of once read: a file's nodes and its records
    are not held in full at the same time."""
    nodes.reverse()
    i = 0
    while nodes:
        yield i, nodes.pop()
        i += 1


def _version(raw: str) -> int:
    if raw.strip() != "1":
        raise ValueError(_("this icrctl reads version 1, not {value!r}").format(value=raw))
    return 1


def _partner(r: Reader, node: Node, path: str, extra: tuple[str, ...] = ()) -> PartnerRec | None:
    f = r.mapping(node, path, PARTNER_FIELDS + extra)
    if f is None:
        return None
    name = r.value(f, "name", path, _text("name"), required=True)
    org = r.value(f, "organisation", path, _text("organisation"), required=True)
    kind = r.value(f, "kind", path, _vocab(PARTNER_KIND), required=True)
    rec = PartnerRec(
        name=name if isinstance(name, str) else "",
        organisation=org if isinstance(org, str) else "",
        kind=kind if isinstance(kind, str) else "other",
        key=_opt(r.value(f, "key", path, _key)),
        email=_opt(r.value(f, "email", path, _text("email"))),
        phone=_opt(r.value(f, "phone", path, _text("phone"), quoted_numbers=True)),
        reachable=r.strings(f, "reachable", path, WEEKDAY.parse),
        at=Where(node.line, path),
    )
    return rec


def _opt(value: T | Missing | None) -> T | None:
    return None if isinstance(value, Missing) else value


def _req(value: T | Missing | None, default: T) -> T:
    return default if value is None or isinstance(value, Missing) else value


def _case(r: Reader, node: Node, path: str) -> CaseRec | None:
    f = r.mapping(node, path, CASE_FIELDS)
    if f is None:
        return None
    case = _case_fields(r, f, path, Where(node.line, path))
    case.members = _each(r, f, "members", path, lambda n, p: _member(r, n, p, r.today))
    case.partners = _each(r, f, "partners", path, lambda n, p: _link(r, n, p))
    case.evaluations = _each(r, f, "evaluations", path, lambda n, p: _series(r, n, p))
    _histories(r, f, path, case)
    case.goals = _each(r, f, "goals", path, lambda n, p: _goal(r, n, p))
    case.meetings = _each(r, f, "meetings", path, lambda n, p: _meeting(r, n, p))
    case.contacts = _each(r, f, "contacts", path, lambda n, p: _contact(r, n, p))
    case.indicators = _indicators(r, f, path, case.opened)
    case.aftercare = _each(r, f, "aftercare", path, lambda n, p: _follow_up(r, n, p))
    if "closing" in f:
        _closing(r, f["closing"][1], f"{path}.closing", case)
    if "analysis" in f:
        case.analysis = _analysis(r, f["analysis"][1], f"{path}.analysis")
    _check_case(r, case, f, path)
    return case


def _case_fields(r: Reader, f: dict[str, tuple[int, Node]], path: str, at: Where) -> CaseRec:
    """A case's own fields (its lists come after)."""
    opened = r.value(f, "opened", path, parse_iso_date, required=True)
    phase = _req(r.value(f, "phase", path, _int_range(1, 4), required=True), 0)
    framework = _req(r.value(f, "framework", path, _vocab(FRAMEWORK)), "voluntary")
    regie = _opt(r.value(f, "regie", path, _vocab(REGIE)))
    return CaseRec(
        ref=_req(r.value(f, "ref", path, _key, required=True), ""),
        title=_req(r.value(f, "title", path, _text("title"), required=True), ""),
        opened=_req(opened, dt.date.min),
        phase=phase,
        closed=_opt(r.value(f, "closed", path, parse_iso_date)),
        stage=_req(r.value(f, "stage", path, _vocab(STAGE)), "inventory"),
        framework=framework,
        regie=regie or (regiekaart.default_regie(phase, framework) if phase else "professional"),
        regisseur=_opt(r.value(f, "regisseur", path, _text("regisseur"))),
        referrer=_opt(r.value(f, "referrer", path, _text("referrer"))),
        violence=r.strings(f, "violence", path, VIOLENCE.parse),
        domains=r.strings(f, "domains", path, DOMAIN.parse),
        plan_signed=_opt(r.value(f, "plan_signed", path, parse_iso_date)),
        retention_until=_opt(r.value(f, "retention_until", path, parse_iso_date)),
        last_member_number=_opt(
            r.value(f, "last_member_number", path, _int_range(0, MEMBER_NUMBERS))
        ),
        casusregie_partner=_opt(r.value(f, "casusregie_partner", path, _key)),
        procesregie=_opt(r.value(f, "procesregie", path, _vocab(PROCESREGIE_HOLDER))),
        procesregie_partner=_opt(r.value(f, "procesregie_partner", path, _key)),
        regiebehandelaar=_opt(r.value(f, "regiebehandelaar", path, _key)),
        at=at,
    )


def _each(
    r: Reader,
    f: dict[str, tuple[int, Node]],
    key: str,
    path: str,
    read: Callable[[Node, str], T | None],
) -> list[T]:
    """The entries of the list ``key`` of a case, each read by ``read(node, path)``; an entry
    that is not a mapping is left out (its error is reported)."""
    out: list[T] = []
    for i, node in enumerate(r.items(f, key, path)):
        rec = read(node, f"{path}.{key}[{i}]")
        if rec is not None and r.keeps:
            out.append(rec)
    return out


def _member(r: Reader, node: Node, path: str, today: dt.date) -> MemberRec | None:
    f = r.mapping(node, path, MEMBER_FIELDS)
    if f is None:
        return None
    born = _opt(r.value(f, "born", path, parse_iso_date))
    if born is not None and born > today:
        future = _("{date} is in the future").format(date=born.isoformat())
        r.error(f["born"][0], f"{path}.born", future)
    rec = MemberRec(
        name=_req(r.value(f, "name", path, _text("name"), required=True), ""),
        role=_req(r.value(f, "role", path, _vocab(ROLE), required=True), "family"),
        key=_opt(r.value(f, "key", path, _key)),
        born=born,
        household=_req(r.value(f, "household", path, _bool), True),
        phone=_opt(r.value(f, "phone", path, _text("phone"), quoted_numbers=True)),
        email=_opt(r.value(f, "email", path, _text("email"))),
        at=Where(node.line, path),
        deceased=_req(r.value(f, "deceased", path, _bool), False),
    )
    for i, rel in enumerate(r.items(f, "relations", path)):
        rp = f"{path}.relations[{i}]"
        rf = r.mapping(rel, rp, ("to", "kind"))
        if rf is None:
            continue
        to = r.value(rf, "to", rp, _key, required=True)
        kind = r.value(rf, "kind", rp, _vocab(RELATION), required=True)
        if isinstance(to, str) and isinstance(kind, str):
            rec.relations.append(RelationRec(to, kind, Where(rel.line, rp)))
    return rec


def _link(r: Reader, node: Node, path: str) -> LinkRec | None:
    f = r.mapping(node, path, LINK_FIELDS)
    if f is None:
        return None
    link = LinkRec(
        partner=_opt(r.value(f, "partner", path, _key)),
        role=_opt(r.value(f, "role", path, _text("role", multiline=True))),
        consent=_req(r.value(f, "consent", path, _bool), False),
        coordination=_opt(r.value(f, "coordination", path, _text("coordination", True))),
        at=Where(node.line, path),
    )
    inline = [
        k for k in ("name", "organisation", "kind", "key", "email", "phone", "reachable") if k in f
    ]
    if link.partner is not None and inline:
        r.error(
            node.line,
            path,
            _("give either partner: KEY or the partner inline, not both ({fields})").format(
                fields=", ".join(inline)
            ),
        )
    elif link.partner is None and "partner" not in f:
        sub = Map({k: v for k, v in f.items() if k in PARTNER_FIELDS}, node.line)
        link.inline = _partner(r, sub, path)
    return link


def _series(r: Reader, node: Node, path: str) -> SeriesRec | None:
    f = r.mapping(node, path, SERIES_FIELDS)
    if f is None:
        return None
    every = r.value(f, "every", path, parse_cadence, required=True)
    start = r.value(f, "start", path, parse_iso_date, required=True)
    rec = SeriesRec(
        every=_req(every, "1w"),
        start=_req(start, dt.date.min),
        time=_req(r.value(f, "time", path, _time), "10:00"),
        weekday=_opt(r.value(f, "weekday", path, _vocab(WEEKDAY))),
        until=_opt(r.value(f, "until", path, parse_iso_date)),
        stopped=_opt(r.value(f, "stopped", path, parse_iso_date)),
        with_=r.strings(f, "with", path, _key),
        workdays=_opt(r.value(f, "workdays", path, _vocab(WORKDAYS))),
        at=Where(node.line, path),
    )
    if rec.until is not None and isinstance(start, dt.date) and rec.until < start:
        before = _("until {until} is before start {start}").format(until=rec.until, start=start)
        r.error(f["until"][0], f"{path}.until", before)
    return rec


def _histories(r: Reader, f: dict[str, tuple[int, Node]], path: str, case: CaseRec) -> None:
    case.history = _each(r, f, "history", path, lambda n, p: _history(r, n, p))
    case.stages = _each(r, f, "stages", path, lambda n, p: _stage(r, n, p))
    case.checklist = _each(r, f, "checklist", path, lambda n, p: _checklist_item(r, n, p))
    case.events = _each(r, f, "events", path, lambda n, p: _event(r, n, p))


def _history(r: Reader, node: Node, path: str) -> HistoryRec | None:
    f = r.mapping(node, path, ("date", "phase", "reason", "track"))
    if f is None:
        return None
    day = r.value(f, "date", path, parse_iso_date, required=True)
    phase = r.value(f, "phase", path, _int_range(1, 4), required=True)
    reason = r.value(f, "reason", path, _text("reason", True), required=True)
    track = _opt(r.value(f, "track", path, regiekaart.parse_track))
    if isinstance(day, dt.date) and isinstance(phase, int) and isinstance(reason, str):
        return HistoryRec(day, phase, reason, track, Where(node.line, path))
    return None


def _stage(r: Reader, node: Node, path: str) -> StageRec | None:
    f = r.mapping(node, path, ("date", "stage", "reason"))
    if f is None:
        return None
    day = r.value(f, "date", path, parse_iso_date, required=True)
    stage = r.value(f, "stage", path, _vocab(STAGE), required=True)
    reason = _opt(r.value(f, "reason", path, _text("reason", True)))
    if isinstance(day, dt.date) and isinstance(stage, str):
        return StageRec(day, stage, reason, Where(node.line, path))
    return None


def _checklist_item(r: Reader, node: Node, path: str) -> ChecklistRec | None:
    f = r.mapping(node, path, ("item", "track", "escalated", "done", "done_by"))
    if f is None:
        return None
    item = r.value(f, "item", path, regiekaart.parse_checklist_item, required=True)
    if not isinstance(item, str):
        return None
    done = _opt(r.value(f, "done", path, _datetime))
    done_by = _opt(r.value(f, "done_by", path, _text("done_by")))
    if done_by is not None and "done" not in f:
        line = f["done_by"][0]
        r.error(line, _at(path, "done_by"), _("done_by goes with done: who did it, and when"))
    return ChecklistRec(
        item,
        _opt(r.value(f, "track", path, regiekaart.parse_track)),
        _opt(r.value(f, "escalated", path, parse_iso_date)),
        done,
        Where(node.line, path),
        done_by,
    )


def _event(r: Reader, node: Node, path: str) -> EventRec | None:
    f = r.mapping(node, path, ("date", "kind", "old", "new", "reason"))
    if f is None:
        return None
    day = r.value(f, "date", path, parse_iso_date, required=True)
    kind = r.value(f, "kind", path, _event_kind, required=True)
    if not (isinstance(day, dt.date) and isinstance(kind, str)):
        return None
    return EventRec(
        day,
        kind,
        _opt(r.value(f, "old", path, _text("old", True))),
        _opt(r.value(f, "new", path, _text("new", True))),
        _opt(r.value(f, "reason", path, _text("reason", True))),
        Where(node.line, path),
    )


def _goal(r: Reader, node: Node, path: str) -> GoalRec | None:
    f = r.mapping(node, path, ("goal", "who", "what", "due", "status", "changed"))
    if f is None:
        return None
    text = r.value(f, "goal", path, _text("goal", True), required=True)
    return GoalRec(
        goal=_req(text, ""),
        who=_opt(r.value(f, "who", path, _text("who"))),
        what=_opt(r.value(f, "what", path, _text("what", True))),
        due=_opt(r.value(f, "due", path, parse_iso_date)),
        status=_req(r.value(f, "status", path, _vocab(GOAL_STATUS)), "open"),
        changed=_opt(r.value(f, "changed", path, parse_iso_date)),
        at=Where(node.line, path),
    )


def _meeting(r: Reader, node: Node, path: str) -> MeetingRec | None:
    f = r.mapping(node, path, MEETING_FIELDS)
    if f is None:
        return None
    rec = MeetingRec(
        date=_req(r.value(f, "date", path, parse_iso_date, required=True), dt.date.min),
        status=_req(r.value(f, "status", path, _vocab(MEETING_STATUS), required=True), "held"),
        series=_opt(r.value(f, "series", path, _int_range(0, 999))),
        extra=_req(r.value(f, "extra", path, _bool), False),
        to=_opt(r.value(f, "to", path, parse_iso_date)),
        time=_opt(r.value(f, "time", path, _time)),
        attended=r.strings(f, "attended", path, _key),
        absent=r.strings(f, "absent", path, _key),
        refused=r.strings(f, "refused", path, _key),
        risk=_opt(r.value(f, "risk", path, _int_range(1, 5))),
        self_reliance=_opt(r.value(f, "self_reliance", path, _int_range(1, 5))),
        note=_opt(r.value(f, "note", path, _text("note", True))),
        reason=_opt(r.value(f, "reason", path, _text("reason", True))),
        sequence=_opt(r.value(f, "sequence", path, _int_range(0, SEQUENCES))),
        discussed=_each(r, f, "discussed", path, lambda n, p: _discussion(r, n, p)),
        agreements=_each(r, f, "agreements", path, lambda n, p: _agreement(r, n, p)),
        at=Where(node.line, path),
    )
    if rec.status == "moved" and rec.to is None:
        r.error(node.line, f"{path}.to", _("a moved meeting needs to: the new date"))
    if rec.status != "held":
        for name in (
            "attended",
            "absent",
            "refused",
            "risk",
            "self_reliance",
            "note",
            "discussed",
            "agreements",
        ):
            if name in f:
                only = _("only a held meeting has {field}").format(field=name)
                r.error(f[name][0], f"{path}.{name}", only)
    seen: dict[str, str] = {}
    for presence in ATTENDANCE.terms:
        for key in getattr(rec, presence):
            if key in seen:
                also = _("{key} is also {presence}").format(key=key, presence=seen[key])
                r.error(node.line, f"{path}.{presence}", also)
            seen[key] = presence
    if rec.date > r.today and rec.status == "held":
        r.error(f["date"][0], f"{path}.date", _("a held meeting cannot lie in the future"))
    if rec.extra:
        _check_extra(r, f, rec, path)
    return rec


def _discussion(r: Reader, node: Node, path: str) -> DiscussionRec | None:
    f = r.mapping(node, path, ("goal", "note"))
    if f is None:
        return None
    return DiscussionRec(
        goal=_req(r.value(f, "goal", path, _int_range(1, GOAL_PLACES), required=True), 1),
        note=_req(r.value(f, "note", path, _text("note", True), required=True), ""),
        at=Where(node.line, path),
    )


def _agreement(r: Reader, node: Node, path: str) -> AgreementRec | None:
    f = r.mapping(node, path, ("what", "who", "due", "goal"))
    if f is None:
        return None
    return AgreementRec(
        what=_req(r.value(f, "what", path, _text("what", True), required=True), ""),
        who=_opt(r.value(f, "who", path, _text("who"))),
        due=_opt(r.value(f, "due", path, parse_iso_date)),
        goal=_opt(r.value(f, "goal", path, _int_range(1, GOAL_PLACES))),
        at=Where(node.line, path),
    )


def _check_extra(r: Reader, f: dict[str, tuple[int, Node]], rec: MeetingRec, path: str) -> None:
    """An extra meeting is held on its own date, outside every series."""
    line = f["extra"][0]
    if rec.status != "held":
        r.error(
            line,
            f"{path}.extra",
            _("an extra meeting is held: only a series' meeting is {status}").format(
                status=rec.status
            ),
        )
    if rec.series is not None:
        r.error(
            line,
            f"{path}.extra",
            _("an extra meeting belongs to no series: give series or extra, not both"),
        )


def _contact(r: Reader, node: Node, path: str) -> ContactRec | None:
    f = r.mapping(node, path, ("date", "kind", "with", "note", "signal"))
    if f is None:
        return None
    day = r.value(f, "date", path, parse_iso_date, required=True)
    if isinstance(day, dt.date) and day > r.today:
        future = _("{date} is in the future").format(date=day.isoformat())
        r.error(f["date"][0], f"{path}.date", future)
    return ContactRec(
        date=_req(day, dt.date.min),
        kind=_req(r.value(f, "kind", path, _vocab(CONTACT_KIND), required=True), "visit"),
        note=_req(r.value(f, "note", path, _text("note", True), required=True), ""),
        with_=r.strings(f, "with", path, _key),
        signal=_req(r.value(f, "signal", path, _bool), False),
        at=Where(node.line, path),
    )


def _indicators(
    r: Reader, f: dict[str, tuple[int, Node]], path: str, opened: dt.date
) -> list[IndicatorRec]:
    """``indicators: {KEY: {score, note, date}}``, in the study's order whatever the file's."""
    node = f["indicators"][1] if "indicators" in f else None
    if node is None or (isinstance(node, Scalar) and node.is_null):
        return []
    keys = r.mapping(node, f"{path}.indicators", KEYS) or {}
    out: list[IndicatorRec] = []
    for key in KEYS:
        if key in keys:
            rec = _indicator(r, keys[key][1], f"{path}.indicators.{key}", key, opened)
            if rec is not None:
                out.append(rec)
    return out


def _indicator(r: Reader, node: Node, path: str, key: str, opened: dt.date) -> IndicatorRec | None:
    f = r.mapping(node, path, ("score", "note", "date"))
    if f is None:
        return None
    day = _req(r.value(f, "date", path, parse_iso_date), r.today)
    if day > r.today:
        future = _("{date} is in the future").format(date=day.isoformat())
        r.error(f["date"][0], f"{path}.date", future)
    elif day < opened:
        before = _("{date} is before the case opened ({opened})").format(
            date=day.isoformat(), opened=opened.isoformat()
        )
        r.error(f["date"][0], f"{path}.date", before)
    return IndicatorRec(
        key,
        _req(r.value(f, "score", path, parse_score, required=True), "0"),
        day,
        _opt(r.value(f, "note", path, _text("note", True))),
        Where(node.line, path),
    )


#: The most contacts a follow-up may count past: a place in a case's contact list.
CONTACT_PLACES = 10_000_000


def _follow_up(r: Reader, node: Node, path: str) -> FollowUpRec | None:
    f = r.mapping(node, path, ("due", "done", "contact"))
    if f is None:
        return None
    done = _opt(r.value(f, "done", path, parse_iso_date))
    if done is not None and done > r.today:
        future = _("{date} is in the future").format(date=done.isoformat())
        r.error(f["done"][0], f"{path}.done", future)
    contact = _opt(r.value(f, "contact", path, _int_range(0, CONTACT_PLACES)))
    if contact is not None and done is None:
        r.error(f["contact"][0], f"{path}.contact", _("only a held follow-up has a contact"))
    return FollowUpRec(
        due=_req(r.value(f, "due", path, parse_iso_date, required=True), dt.date.min),
        done=done,
        contact=contact,
        at=Where(node.line, path),
    )


def _check_follow_ups(r: Reader, c: CaseRec) -> None:
    """Each due date once; a contact named by its place in the case's contacts."""
    seen: set[dt.date] = set()
    for fu in c.aftercare:
        if fu.due in seen:
            twice = _("two follow-ups due on {date}").format(date=fu.due.isoformat())
            r.error(fu.at.line, f"{fu.at.path}.due", twice)
        seen.add(fu.due)
        if fu.contact is not None and fu.contact >= len(c.contacts):
            r.error(
                fu.at.line,
                f"{fu.at.path}.contact",
                _("the case has no contact {place} (its contacts count from 0)").format(
                    place=fu.contact
                ),
            )


def _closing(r: Reader, node: Node, path: str, case: CaseRec) -> None:
    f = r.mapping(node, path, ("summary", "safety"))
    if f is None:
        return
    case.summary = _opt(r.value(f, "summary", path, _text("summary", True)))
    case.safety = _opt(r.value(f, "safety", path, _text("safety", True)))


ANALYSIS_FIELDS = ("problem", "about", "desired", "factors", "interventions", "roles")


def _analysis(r: Reader, node: Node, path: str) -> AnalysisRec | None:
    """The Casus Plus analysis: its texts and its numbered parts."""
    f = r.mapping(node, path, ANALYSIS_FIELDS)
    if f is None:
        return None
    return AnalysisRec(
        problem=_opt(r.value(f, "problem", path, _text("problem", True))),
        about=_opt(r.value(f, "about", path, _text("about", True))),
        desired=_opt(r.value(f, "desired", path, _text("desired", True))),
        factors=_each(r, f, "factors", path, lambda n, p: _factor(r, n, p)),
        interventions=_each(r, f, "interventions", path, lambda n, p: _intervention(r, n, p)),
        roles=_each(r, f, "roles", path, lambda n, p: _role_fit(r, n, p)),
        at=Where(node.line, path),
    )


def _factor(r: Reader, node: Node, path: str) -> FactorRec | None:
    f = r.mapping(node, path, ("member", "kind", "text"))
    if f is None:
        return None
    member = r.value(f, "member", path, _key, required=True)
    kind = r.value(f, "kind", path, _vocab(FACTOR_KIND), required=True)
    text = r.value(f, "text", path, _text("text", True), required=True)
    if isinstance(member, str) and isinstance(kind, str) and isinstance(text, str):
        return FactorRec(member, kind, text, Where(node.line, path))
    return None


def _intervention(r: Reader, node: Node, path: str) -> InterventionRec | None:
    f = r.mapping(node, path, ("term", "text", "goal"))
    if f is None:
        return None
    term = r.value(f, "term", path, _vocab(TERM), required=True)
    text = r.value(f, "text", path, _text("text", True), required=True)
    goal = _opt(r.value(f, "goal", path, _int_range(1, MAX_GOALS)))
    if isinstance(term, str) and isinstance(text, str):
        return InterventionRec(term, text, goal, Where(node.line, path))
    return None


def _role_fit(r: Reader, node: Node, path: str) -> RoleFitRec | None:
    f = r.mapping(node, path, ("role", "partner", "who", "why"))
    if f is None:
        return None
    role = r.value(f, "role", path, _text("role", True), required=True)
    why = r.value(f, "why", path, _text("why", True), required=True)
    partner = _opt(r.value(f, "partner", path, _key))
    who = _opt(r.value(f, "who", path, _text("who")))
    if (partner is None) == (who is None):
        r.error(node.line, path, _("give partner: KEY or who: NAME, one of the two"))
        return None
    if isinstance(role, str) and isinstance(why, str):
        return RoleFitRec(role, why, partner, who, Where(node.line, path))
    return None


def _check_analysis(r: Reader, c: CaseRec) -> None:
    """An intervention's goal is one of the case's goals in the file, by its place (from 1)."""
    if c.analysis is None:
        return
    for i in c.analysis.interventions:
        if i.goal is not None and i.goal > len(c.goals):
            r.error(
                i.at.line,
                f"{i.at.path}.goal",
                ngettext(
                    "this case has {count} goal in the file (counted from 1)",
                    "this case has {count} goals in the file (counted from 1)",
                    len(c.goals),
                ).format(count=len(c.goals)),
            )


# ------------------------------------------------------------------ rules across fields


def _check_case(r: Reader, c: CaseRec, f: dict[str, tuple[int, Node]], path: str) -> None:
    def line(key: str) -> int:
        return f[key][0] if key in f else c.at.line

    _check_dates(r, c, path, line)
    if c.history:
        _check_history(r, c, path, line)
    if c.stages:
        _check_stages(r, c, path, line)
    _check_members(r, c)
    for s in c.evaluations:
        if s.start < c.opened:
            before = _("the series starts before the case opened")
            r.error(s.at.line, f"{s.at.path}.start", before)
    for g in c.goals:
        if g.status != "open" and g.changed is not None and g.changed > r.today:
            r.error(g.at.line, f"{g.at.path}.changed", _("in the future"))
    _check_analysis(r, c)
    _unique_within(r, c)
    _check_follow_ups(r, c)


def _check_dates(r: Reader, c: CaseRec, path: str, line: Callable[[str], int]) -> None:
    """Opened, closed and the stage agree; client regie only where the regiekaart allows it."""
    if c.closed is not None and c.stage != "closed":
        r.error(line("closed"), f"{path}.closed", _("a closed date needs stage: closed"))
    if c.stage == "closed" and c.closed is None:
        r.error(line("stage"), f"{path}.stage", _("stage closed needs a closed: date"))
    if c.opened > r.today:
        future = _("{date} is in the future").format(date=c.opened.isoformat())
        r.error(line("opened"), f"{path}.opened", future)
    elif dt.date.min < c.opened < oldest_opening(r.today):  # date.min: missing, reported
        r.error(line("opened"), f"{path}.opened", too_long_ago(c.opened, r.today))
    if c.closed is not None and c.closed < c.opened:
        r.error(line("closed"), f"{path}.closed", _("closed lies before opened"))
    if c.phase and c.stage != "closed":  # a closed case is kept as it was
        try:
            regiekaart.check_regie(c.phase, c.framework, c.regie)
        except IcrError as exc:
            r.error(line("regie"), f"{path}.regie", str(exc))
    _check_roles(r, c, path, line)


def _check_roles(r: Reader, c: CaseRec, path: str, line: Callable[[str], int]) -> None:
    """A partner holds casusregie only as a professional, procesregie by a partner names them,
    and an open case has no procesregie where the regiekaart has none (phase 1)."""
    if c.casusregie_partner is not None and c.regie != "professional":
        held = _("a partner holds casusregie only with regie: professional")
        r.error(line("casusregie_partner"), f"{path}.casusregie_partner", held)
    if (c.procesregie == "partner") != (c.procesregie_partner is not None):
        named = _("procesregie: partner goes with procesregie_partner: KEY, and only it")
        r.error(line("procesregie_partner"), f"{path}.procesregie_partner", named)
    if c.phase and c.stage != "closed" and c.procesregie is not None:
        try:
            regiekaart.check_procesregie(c.phase, c.procesregie)
        except IcrError as exc:
            r.error(line("procesregie"), f"{path}.procesregie", str(exc))


def _check_history(r: Reader, c: CaseRec, path: str, line: Callable[[str], int]) -> None:
    """Oldest first, ending in the case's phase, not before it opened; phase 4 with a track."""
    dates = [h.date for h in c.history]
    if dates != sorted(dates):
        r.error(line("history"), f"{path}.history", _("oldest first, please"))
    last = max(c.history, key=lambda h: h.date)
    if c.phase and c.history[-1].phase != c.phase:
        r.error(
            line("history"),
            f"{path}.history",
            _("the last phase ({last}) differs from phase: {phase}").format(
                last=last.phase, phase=c.phase
            ),
        )
    if c.history[0].date < c.opened:
        r.error(
            c.history[0].at.line,
            f"{c.history[0].at.path}.date",
            _("a phase change before the case opened"),
        )
    for h in c.history:
        if h.phase == 4 and h.track is None:
            r.error(h.at.line, f"{h.at.path}.track", _("phase 4 needs a track: care or social"))


def _check_stages(r: Reader, c: CaseRec, path: str, line: Callable[[str], int]) -> None:
    """Oldest first, ending in the case's stage."""
    dates = [s.date for s in c.stages]
    if dates != sorted(dates):
        r.error(line("stages"), f"{path}.stages", _("oldest first, please"))
    if c.stages[-1].stage != c.stage:
        r.error(
            line("stages"),
            f"{path}.stages",
            _("the last stage ({last}) differs from stage: {stage}").format(
                last=c.stages[-1].stage, stage=c.stage
            ),
        )


def _check_members(r: Reader, c: CaseRec) -> None:
    """Member keys once each; relations to another member of the case, by key."""
    keys: dict[str, str] = {}
    for m in c.members:
        if m.key is not None:
            if m.key in keys:
                twice = _("member key {key} is used twice").format(key=m.key)
                r.error(m.at.line, f"{m.at.path}.key", twice)
            keys[m.key] = m.name
    for m in c.members:
        for rel in m.relations:
            if rel.to not in keys:
                nobody = _("no member with key {key} here").format(key=rel.to)
                r.error(rel.at.line, f"{rel.at.path}.to", nobody)
            elif rel.to == m.key:
                itself = _("a member cannot relate to themselves")
                r.error(rel.at.line, f"{rel.at.path}.to", itself)


def _unique_within(r: Reader, c: CaseRec) -> None:
    """Two entries that import would match to the same record are an error, not a coin toss:
    the second import would merge both into one row (or the database refuses the pair). Phase
    and stage changes, events, series, goals and contacts may repeat: the n-th such entry
    matches the n-th record (see services.importer)."""

    def once(items: list[Any], key: Callable[[Any], object], twice: str) -> None:
        """``twice``: the message, with ``{line}`` for the first entry's line."""
        first: dict[object, int] = {}
        for item in items:
            k = key(item)
            if k in first:
                r.error(item.at.line, item.at.path, twice.format(line=first[k]))
            else:
                first[k] = item.at.line

    once(
        [m for m in c.members if m.key is None],
        lambda x: (x.name, x.born),
        _(
            "a member without key, with the same name and born, is listed twice (first on line "
            "{line})"
        ),
    )
    for m in c.members:
        once(
            m.relations,
            lambda x: (x.to, x.kind),
            _("the same relation is listed twice (first on line {line})"),
        )
    once(
        c.partners,
        lambda x: (
            x.partner
            or (x.inline.key or (x.inline.name, x.inline.organisation) if x.inline else None)
        ),
        _("the same partner is linked twice (first on line {line})"),
    )
    once(
        c.checklist,
        lambda x: (x.item, x.track, x.escalated),
        _("the same checklist item is listed twice (first on line {line})"),
    )
    once(
        c.meetings,
        lambda x: (x.series, x.extra, x.date),
        _("a meeting on the same date is listed twice (first on line {line})"),
    )


def _check_file(r: Reader, doc: CaseFileRec) -> None:
    seen: dict[str, int] = {}
    directory: set[str] = set()
    for p in doc.partners:
        if p.key is not None:
            if p.key in seen:
                r.error(
                    p.at.line,
                    f"{p.at.path}.key",
                    _("partner key {key} is used twice (first on line {line})").format(
                        key=p.key, line=seen[p.key]
                    ),
                )
            seen[p.key] = p.at.line
            directory.add(p.key)
    refs: dict[str, int] = {}
    for c in doc.cases:
        if c.ref in refs:
            r.error(
                c.at.line,
                f"{c.at.path}.ref",
                _("case {ref} appears twice (first on line {line})").format(
                    ref=c.ref, line=refs[c.ref]
                ),
            )
        refs[c.ref] = c.at.line
        _check_people(r, c, directory)


def _check_people(r: Reader, c: CaseRec, directory: set[str]) -> None:
    """A series invites members and linked partners of the case. A meeting or a contact may
    also name a partner of the file's directory that is no longer linked: ``partner unlink``
    keeps who took part."""
    members = {m.key for m in c.members if m.key}
    linked = {link.partner for link in c.partners if link.partner}
    linked |= {link.inline.key for link in c.partners if link.inline and link.inline.key}
    invited = members | linked
    took_part = invited | directory

    def check(keys: list[str], path: str, line: int, unknown: str, people: set[str]) -> None:
        """``unknown``: the message, with ``{key}`` for the key that is neither."""
        for key in keys:
            if key not in people:
                r.error(line, path, unknown.format(key=key))

    attendee = _("attendee {key} is neither a member nor a partner of this case")
    for s in c.evaluations:
        check(s.with_, f"{s.at.path}.with", s.at.line, attendee, invited)
    for m in c.meetings:
        for presence in ATTENDANCE.terms:
            path = f"{m.at.path}.{presence}"
            check(getattr(m, presence), path, m.at.line, attendee, took_part)
        if m.series is not None and m.series >= len(c.evaluations):
            count = len(c.evaluations)
            r.error(
                m.at.line,
                f"{m.at.path}.series",
                ngettext(
                    "this case has {count} evaluation series (counted from 0)",
                    "this case has {count} evaluation series (counted from 0)",
                    count,
                ).format(count=count),
            )
    _check_goal_places(r, c)
    contact = _("contact {key} is neither a member nor a partner of this case")
    for ct in c.contacts:
        check(ct.with_, f"{ct.at.path}.with", ct.at.line, contact, took_part)


def _check_goal_places(r: Reader, c: CaseRec) -> None:
    """A meeting's discussions and agreements name goals of the case by place (from 1); a goal
    is discussed once per meeting."""
    count = len(c.goals)
    beyond = ngettext(
        "this case has {count} goal (counted from 1)",
        "this case has {count} goals (counted from 1)",
        count,
    )
    for m in c.meetings:
        seen: set[int] = set()
        for x in m.discussed:
            if x.goal > count:
                r.error(x.at.line, f"{x.at.path}.goal", beyond.format(count=count))
            if x.goal in seen:
                twice = _("goal {goal} is discussed twice").format(goal=x.goal)
                r.error(x.at.line, f"{x.at.path}.goal", twice)
            seen.add(x.goal)
        for a in m.agreements:
            if a.goal is not None and a.goal > count:
                r.error(a.at.line, f"{a.at.path}.goal", beyond.format(count=count))
