"""Who holds which role in a case: casusregie (the client, the case director using icrctl, or a
partner linked to the case: the family guardian of the GI, youth probation, probation…),
procesregie (the case director, a linked partner, or nobody named) and the lead practitioner
(regiebehandelaar, a linked partner), held to the regiekaart; every change a case event."""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from icrctl.db.models import Case, CaseEvent, Member, Partner
from icrctl.domain import regiekaart
from icrctl.domain.dates import age_on
from icrctl.domain.regiekaart import CLIENT, ICR, PARTNER
from icrctl.domain.text import clean_text
from icrctl.domain.vocabulary import (
    CASUSREGIE_WORD,
    NOBODY,
    PROCESREGIE_WORD,
    REGIEBEHANDELAAR_WORD,
    Vocabulary,
)
from icrctl.errors import InvalidValue, NotFound, RuleViolation
from icrctl.i18n import N_, _
from icrctl.services.context import utc_now
from icrctl.services.lookup import find_link, find_partner

#: The kinds of the case events that keep who held a role (``old``/``new``: ``client``, ``icr``
#: or a partner's key; empty where nobody held it).
CASUSREGIE_EVENT = "casusregie_holder"
PROCESREGIE_EVENT = "procesregie"
REGIEBEHANDELAAR_EVENT = "regiebehandelaar"


@dataclass
class RoleInput:
    """The roles ``case create`` and ``case edit`` may set, as typed; ``None``: not given.
    ``regie`` (client|professional, parsed) is the older ``--regie``."""

    casusregie: str | None = None
    procesregie: str | None = None
    regiebehandelaar: str | None = None
    regie: str | None = None


@dataclass
class RoleHolder:
    """Who holds casusregie (``client``, ``icr``, ``partner``) or procesregie (``icr``,
    ``partner``, ``None``: nobody named), the partner's key where a partner holds it, and the
    code of the signal the regiekaart gives this holder, if any."""

    holder: str | None
    partner: str | None = None
    signal: str | None = None


@dataclass
class Roles:
    """The three roles of a case as a view shows them."""

    casusregie: RoleHolder
    procesregie: RoleHolder
    regiebehandelaar: str | None = None


def holders_of(session: Session, case: Case) -> Roles:
    """Who holds casusregie, procesregie and the lead practitioner's role in ``case``."""
    ids = {
        i
        for i in (
            case.casusregie_partner_id,
            case.procesregie_partner_id,
            case.regiebehandelaar_partner_id,
        )
        if i is not None
    }
    partners = (
        {p.id: p for p in session.scalars(select(Partner).where(Partner.id.in_(ids)))}
        if ids
        else {}
    )

    def key(pid: int | None) -> str | None:
        return partners[pid].key if pid is not None else None

    return Roles(
        RoleHolder(_current_casusregie(case), key(case.casusregie_partner_id)),
        RoleHolder(case.procesregie, key(case.procesregie_partner_id)),
        key(case.regiebehandelaar_partner_id),
    )


def is_youth_case(session: Session, case: Case, today: date) -> bool:
    """Whether a compulsory framework of ``case`` may be a youth measure (the GI): a member is a
    child (by role, or under 18 by birth date), or no member is recorded yet."""
    members = list(
        session.execute(select(Member.role, Member.born).where(Member.case_id == case.id))
    )
    if not members:
        return True
    return any(
        role == "child" or (born is not None and age_on(born, today) < 18) for role, born in members
    )


def _word(vocabulary: Vocabulary, text: str) -> str | None:
    """The canonical word ``text`` is, or ``None`` (then it is a partner's key)."""
    try:
        return vocabulary.parse(text)
    except InvalidValue:
        return None


#: Per option: a holder who is not a partner linked to the case, refused in a whole sentence.
_NOT_LINKED = {
    "--casusregie": N_(
        "--casusregie {name!r} is not the client, the case director (icr) or a partner linked to "
        "case {ref}: link them first with {command}"
    ),
    "--procesregie": N_(
        "--procesregie {name!r} is neither the case director (icr) nor a partner linked to case "
        "{ref}: link them first with {command}"
    ),
    "--regiebehandelaar": N_(
        "--regiebehandelaar {name!r} is not a partner linked to case {ref}: link them first with "
        "{command}"
    ),
}


def _linked(session: Session, case: Case, text: str, option: str) -> Partner:
    """The partner linked to ``case`` named ``text`` (key or exact name, as everywhere); refused
    with the command that links them."""
    name = clean_text(text, option)
    try:
        partner = find_partner(session, name)
    except NotFound:
        raise NotFound(
            _(
                "{option} {name!r}: no partner has this key or name ('icrctl partner list' shows "
                "them; 'icrctl partner add …' adds one, then 'icrctl partner link {ref} …')"
            ).format(option=option, name=name, ref=case.ref)
        ) from None
    if find_link(session, case, partner) is not None:
        return partner
    command = f"'icrctl partner link {case.ref} {shlex.quote(partner.key)}'"
    raise NotFound(_(_NOT_LINKED[option]).format(name=name, ref=case.ref, command=command))


def _casusregie_wanted(
    session: Session, case: Case, given: RoleInput
) -> tuple[str, Partner | None] | None:
    """The casusregie holder ``--casusregie`` and ``--regie`` ask for together, or ``None`` when
    neither is given; contradicting ones refused. ``--regie professional`` keeps a partner who
    holds it, else gives it to the case director."""
    wanted: tuple[str, Partner | None] | None = None
    if given.casusregie is not None:
        word = _word(CASUSREGIE_WORD, given.casusregie)
        if word is not None:
            wanted = (word, None)
        else:
            if _word(PROCESREGIE_WORD, given.casusregie) == NOBODY:
                raise InvalidValue(
                    _(
                        "--casusregie: somebody always holds casusregie; give client, icr or a "
                        "partner's key"
                    )
                )
            partner = _linked(session, case, given.casusregie, "--casusregie")
            wanted = (PARTNER, partner)
    if given.regie is None:
        return wanted
    if wanted is not None:
        if regiekaart.holder_regie(wanted[0]) != given.regie:
            raise InvalidValue(
                _("--regie {regie} contradicts --casusregie {holder}: give one of them").format(
                    regie=given.regie, holder=given.casusregie
                )
            )
        return wanted
    if given.regie == CLIENT:
        return (CLIENT, None)
    if case.regie == "professional":
        return None  # as it is: the partner who holds it, or the case director
    return (ICR, None)


def _partner_key(session: Session, pid: int | None) -> str | None:
    if pid is None:
        return None
    return session.scalar(select(Partner.key).where(Partner.id == pid))


def _event(
    session: Session,
    case: Case,
    day: date,
    kind: str,
    old: str | None,
    new: str | None,
    reason: str | None = None,
) -> None:
    session.add(
        CaseEvent(
            case_id=case.id,
            date=day,
            kind=kind,
            old=old,
            new=new,
            reason=reason,
            recorded_at=utc_now(),
        )
    )


def casusregie_word(session: Session, case: Case) -> str:
    """Who holds casusregie as the history keeps it: ``client``, ``icr`` or the partner's key."""
    if case.regie == CLIENT:
        return CLIENT
    return _partner_key(session, case.casusregie_partner_id) or ICR


def procesregie_word(session: Session, case: Case) -> str | None:
    """Who holds procesregie as the history keeps it: ``icr``, the partner's key or ``None``."""
    if case.procesregie == PARTNER:
        return _partner_key(session, case.procesregie_partner_id)
    return case.procesregie


def hand_casusregie(
    session: Session,
    case: Case,
    holder: str,
    partner: Partner | None,
    day: date,
    reason: str | None = None,
) -> list[str]:
    """Give casusregie to ``holder`` (a ``partner``), kept as events: ``regie`` when it passes
    between the client and a professional (as always: a professional without a partner named is
    the case director), ``casusregie_holder`` when a partner takes it or hands it on. The names
    of the fields that changed."""
    old_word, old_regie = casusregie_word(session, case), case.regie
    new_regie = regiekaart.holder_regie(holder)
    new_word = partner.key if partner is not None else holder
    changed: list[str] = []
    if new_regie != old_regie:
        _event(session, case, day, "regie", old_regie, new_regie, reason)
        case.regie = new_regie
        changed.append("regie")
    if new_word != old_word and PARTNER in (holder, _holder_of(old_word)):
        _event(session, case, day, CASUSREGIE_EVENT, old_word, new_word, reason)
        changed.append("casusregie")
    case.casusregie_partner_id = partner.id if partner is not None else None
    return changed


def _holder_of(word: str) -> str:
    """``client``, ``icr`` or ``partner`` for a holder as the history keeps it."""
    return word if word in (CLIENT, ICR) else PARTNER


def set_procesregie(
    session: Session,
    case: Case,
    holder: str | None,
    partner: Partner | None,
    day: date,
    reason: str | None = None,
) -> list[str]:
    """Give procesregie to ``holder`` (``icr``, a ``partner``, or ``None``: nobody named), kept
    as a ``procesregie`` event."""
    old = procesregie_word(session, case)
    new = partner.key if partner is not None else holder
    if new == old:
        return []
    _event(session, case, day, PROCESREGIE_EVENT, old, new, reason)
    case.procesregie = holder
    case.procesregie_partner_id = partner.id if partner is not None else None
    return ["procesregie"]


def _set_regiebehandelaar(
    session: Session, case: Case, partner: Partner | None, day: date
) -> list[str]:
    old = _partner_key(session, case.regiebehandelaar_partner_id)
    new = partner.key if partner is not None else None
    if new == old:
        return []
    _event(session, case, day, REGIEBEHANDELAAR_EVENT, old, new)
    case.regiebehandelaar_partner_id = partner.id if partner is not None else None
    return ["regiebehandelaar"]


def _procesregie_wanted(
    session: Session, case: Case, text: str
) -> tuple[str | None, Partner | None]:
    word = _word(PROCESREGIE_WORD, text)
    if word == NOBODY:
        return None, None
    if word is not None:
        return word, None
    if _word(CASUSREGIE_WORD, text) == CLIENT:
        raise InvalidValue(
            _(
                "--procesregie: the client cannot hold procesregie; give icr, a partner's key or "
                "none"
            )
        )
    return PARTNER, _linked(session, case, text, "--procesregie")


def _regiebehandelaar_wanted(session: Session, case: Case, text: str) -> Partner | None:
    if _word(REGIEBEHANDELAAR_WORD, text) == NOBODY:
        return None
    who = _word(CASUSREGIE_WORD, text)
    if who is not None:
        raise InvalidValue(
            _(
                "--regiebehandelaar: the case director (ICR) cannot be the lead practitioner "
                "(regiebehandelaar); give a partner's key or none"
            )
            if who == ICR
            else _(
                "--regiebehandelaar: the client cannot be the lead practitioner "
                "(regiebehandelaar); give a partner's key or none"
            )
        )
    return _linked(session, case, text, "--regiebehandelaar")


def edit_roles(
    session: Session,
    case: Case,
    given: RoleInput,
    framework: str,
    day: date,
    notes: list[str] | None = None,
) -> list[str]:
    """Set the roles ``given`` asks for in ``case`` (whose framework becomes ``framework``),
    held to the regiekaart: a holder it refuses is refused, one it names only in consultation
    is accepted with its words added to ``notes``. The names of the fields that changed."""
    notes = [] if notes is None else notes
    changed = _edit_casusregie(session, case, given, framework, day, notes)
    if given.procesregie is not None:
        holder, partner = _procesregie_wanted(session, case, given.procesregie)
        kind = partner.kind if partner is not None else None
        note = regiekaart.check_procesregie(case.phase, holder, kind)
        notes.extend([note] if note else [])
        changed += set_procesregie(session, case, holder, partner, day)
    if given.regiebehandelaar is not None:
        lead = _regiebehandelaar_wanted(session, case, given.regiebehandelaar)
        changed += _set_regiebehandelaar(session, case, lead, day)
    return changed


def _edit_casusregie(
    session: Session, case: Case, given: RoleInput, framework: str, day: date, notes: list[str]
) -> list[str]:
    """Hand casusregie to the holder ``given`` asks for, or hold the one it has to a new
    ``framework``; the card's words on a new holder it names only in consultation to ``notes``."""
    wanted = _casusregie_wanted(session, case, given)
    if wanted is None and framework == case.framework:
        return []
    holder, partner = wanted or (_current_casusregie(case), None)
    if wanted is None and case.casusregie_partner_id is not None:
        partner = session.get(Partner, case.casusregie_partner_id)
    kind = partner.kind if partner is not None else None
    youth = is_youth_case(session, case, day)
    note = regiekaart.check_casusregie(case.phase, framework, holder, kind, youth)
    if wanted is None:
        return []
    notes.extend([note] if note else [])
    return hand_casusregie(session, case, holder, partner, day)


def _current_casusregie(case: Case) -> str:
    if case.regie == CLIENT:
        return CLIENT
    return PARTNER if case.casusregie_partner_id is not None else ICR


def refuse_unlink(case: Case, partner: Partner) -> None:
    """A partner who holds a role in ``case`` stays linked until the role is handed over."""
    held = [
        option
        for option, pid in (
            ("--casusregie", case.casusregie_partner_id),
            ("--procesregie", case.procesregie_partner_id),
            ("--regiebehandelaar", case.regiebehandelaar_partner_id),
        )
        if pid == partner.id
    ]
    if held:
        raise RuleViolation(
            _(
                "partner {partner} holds a role in case {ref} ({roles}): hand it over first, "
                "e.g. 'icrctl case edit {ref} {option} …'"
            ).format(partner=partner.key, ref=case.ref, roles=", ".join(held), option=held[0])
        )
