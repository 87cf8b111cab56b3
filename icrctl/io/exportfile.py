"""Writing the case file format: canonical YAML (fixed key order, lists in database order, no
empty fields), so that export → import → export gives identical bytes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import yaml

from icrctl.io.records import (
    BARE_NUMBER,
    AgreementRec,
    AnalysisRec,
    CaseFileRec,
    CaseRec,
    ChecklistRec,
    ContactRec,
    EventRec,
    FollowUpRec,
    GoalRec,
    HistoryRec,
    IndicatorRec,
    LinkRec,
    MeetingRec,
    MemberRec,
    PartnerRec,
    SeriesRec,
    StageRec,
)

try:
    from yaml import CSafeDumper as _BaseDumper
except ImportError:  # pragma: no cover
    from yaml import SafeDumper as _BaseDumper  # type: ignore[assignment]


class Flow(list[Any]):
    """A short list written on one line: ``[m1, m2]``."""


class _Dumper(_BaseDumper):
    """Never anchors and aliases (equal dates are written out each time)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _flow(dumper: Any, data: Flow) -> Any:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


def _datetime(dumper: Any, data: dt.datetime) -> Any:
    return dumper.represent_scalar("tag:yaml.org,2002:str", data.strftime("%Y-%m-%dT%H:%M"))


def _str(dumper: Any, data: str) -> Any:
    # The importer refuses a bare number where a phone number belongs (it would lose its leading
    # zero elsewhere); PyYAML writes ``0612345678`` bare (not a YAML 1.1 int), so quote it here.
    if BARE_NUMBER.match(data):
        return dumper.represent_scalar("tag:yaml.org,2002:str", data, style="'")
    return dumper.represent_str(data)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(Flow, _flow)
_Dumper.add_representer(dt.datetime, _datetime)


def _clean(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Leave out what is empty: None and empty lists (booleans and zeros stay)."""
    return {k: v for k, v in pairs if v is not None and v != [] and v != {}}


def _case(c: CaseRec) -> dict[str, Any]:
    """A case in the order of docs/format.md, one helper per section."""
    return _clean(
        [
            ("ref", c.ref),
            ("title", c.title),
            ("opened", c.opened),
            ("closed", c.closed),
            ("stage", c.stage),
            ("phase", c.phase),
            ("framework", c.framework),
            ("regie", c.regie),
            ("casusregie_partner", c.casusregie_partner),
            ("procesregie", c.procesregie),
            ("procesregie_partner", c.procesregie_partner),
            ("regiebehandelaar", c.regiebehandelaar),
            ("regisseur", c.regisseur),
            ("referrer", c.referrer),
            ("violence", Flow(c.violence)),
            ("domains", Flow(c.domains)),
            ("plan_signed", c.plan_signed),
            ("last_member_number", c.last_member_number),
            ("members", [_member(mm) for mm in c.members]),
            ("partners", [_link(p) for p in c.partners]),
            ("evaluations", [_series(s) for s in c.evaluations]),
            ("history", [_history(h) for h in c.history]),
            ("stages", [_stage(s) for s in c.stages]),
            ("events", [_event(e) for e in c.events]),
            ("checklist", [_checklist_item(i) for i in c.checklist]),
            ("goals", [_goal(g) for g in c.goals]),
            ("meetings", [_meeting(mt) for mt in c.meetings]),
            ("contacts", [_contact(ct) for ct in c.contacts]),
            ("aftercare", [_follow_up(f) for f in c.aftercare]),
            ("indicators", {i.key: _indicator(i) for i in c.indicators}),
            ("analysis", _analysis(c.analysis)),
            ("closing", _clean([("summary", c.summary), ("safety", c.safety)])),
            ("retention_until", c.retention_until),
        ]
    )


def _partner(p: PartnerRec) -> dict[str, Any]:
    return _clean(
        [
            ("key", p.key),
            ("name", p.name),
            ("organisation", p.organisation),
            ("kind", p.kind),
            ("email", p.email),
            ("phone", p.phone),
            ("reachable", Flow(p.reachable)),
        ]
    )


def _member(mm: MemberRec) -> dict[str, Any]:
    return _clean(
        [
            ("key", mm.key),
            ("name", mm.name),
            ("born", mm.born),
            ("role", mm.role),
            ("household", mm.household),
            ("phone", mm.phone),
            ("email", mm.email),
            ("deceased", True if mm.deceased else None),
            ("relations", [{"to": r.to, "kind": r.kind} for r in mm.relations]),
        ]
    )


def _link(p: LinkRec) -> dict[str, Any]:
    return _clean(
        [
            ("partner", p.partner),
            ("role", p.role),
            ("consent", p.consent),
            ("coordination", p.coordination),
        ]
    )


def _series(s: SeriesRec) -> dict[str, Any]:
    return _clean(
        [
            ("every", s.every),
            ("weekday", s.weekday),
            ("time", s.time),
            ("start", s.start),
            ("until", s.until),
            ("workdays", s.workdays),
            ("stopped", s.stopped),
            ("with", Flow(s.with_)),
        ]
    )


def _history(h: HistoryRec) -> dict[str, Any]:
    return _clean([("date", h.date), ("phase", h.phase), ("reason", h.reason), ("track", h.track)])


def _stage(s: StageRec) -> dict[str, Any]:
    return _clean([("date", s.date), ("stage", s.stage), ("reason", s.reason)])


def _event(e: EventRec) -> dict[str, Any]:
    return _clean(
        [
            ("date", e.date),
            ("kind", e.kind),
            ("old", e.old),
            ("new", e.new),
            ("reason", e.reason),
        ]
    )


def _checklist_item(i: ChecklistRec) -> dict[str, Any]:
    return _clean(
        [
            ("item", i.item),
            ("track", i.track),
            ("escalated", i.escalated),
            ("done", i.done),
            ("done_by", i.done_by),
        ]
    )


def _goal(g: GoalRec) -> dict[str, Any]:
    return _clean(
        [
            ("goal", g.goal),
            ("who", g.who),
            ("what", g.what),
            ("due", g.due),
            ("status", g.status),
            ("changed", g.changed),
        ]
    )


def _meeting(mt: MeetingRec) -> dict[str, Any]:
    return _clean(
        [
            ("date", mt.date),
            ("status", mt.status),
            ("series", mt.series),
            ("extra", True if mt.extra else None),
            ("to", mt.to),
            ("time", mt.time),
            ("attended", Flow(mt.attended)),
            ("absent", Flow(mt.absent)),
            ("refused", Flow(mt.refused)),
            ("risk", mt.risk),
            ("self_reliance", mt.self_reliance),
            ("note", mt.note),
            ("reason", mt.reason),
            ("sequence", mt.sequence),
            ("discussed", [_clean([("goal", x.goal), ("note", x.note)]) for x in mt.discussed]),
            ("agreements", [_agreement(a) for a in mt.agreements]),
        ]
    )


def _agreement(a: AgreementRec) -> dict[str, Any]:
    return _clean([("what", a.what), ("who", a.who), ("due", a.due), ("goal", a.goal)])


def _contact(ct: ContactRec) -> dict[str, Any]:
    return _clean(
        [
            ("date", ct.date),
            ("kind", ct.kind),
            ("with", Flow(ct.with_)),
            ("note", ct.note),
            ("signal", ct.signal),
        ]
    )


def _indicator(i: IndicatorRec) -> dict[str, Any]:
    return _clean([("score", i.score), ("note", i.note), ("date", i.date)])


def _follow_up(f: FollowUpRec) -> dict[str, Any]:
    return _clean([("due", f.due), ("done", f.done), ("contact", f.contact)])


def _analysis(a: AnalysisRec | None) -> dict[str, Any] | None:
    """The Casus Plus analysis: its texts, then its factors, interventions and roles."""
    if a is None:
        return None
    return _clean(
        [
            ("problem", a.problem),
            ("about", a.about),
            ("desired", a.desired),
            (
                "factors",
                [{"member": f.member, "kind": f.kind, "text": f.text} for f in a.factors],
            ),
            (
                "interventions",
                [
                    _clean([("term", i.term), ("text", i.text), ("goal", i.goal)])
                    for i in a.interventions
                ],
            ),
            (
                "roles",
                [
                    _clean(
                        [("role", r.role), ("partner", r.partner), ("who", r.who), ("why", r.why)]
                    )
                    for r in a.roles
                ],
            ),
        ]
    )


def export_text(doc: CaseFileRec) -> str:
    """The records as canonical YAML: the same records give the same bytes."""
    data = _clean(
        [
            ("version", 1),
            ("partners", [_partner(p) for p in doc.partners]),
            ("cases", [_case(c) for c in doc.cases]),
        ]
    )
    data.setdefault("cases", [])
    return str(
        yaml.dump(
            data,
            Dumper=_Dumper,
            sort_keys=False,
            allow_unicode=True,
            default_flow_style=False,
            width=10_000,
            indent=2,
        )
    )
