"""Partners (ketenpartners): a directory of professionals reused across cases, and their link to
a case with a role, consent to share information, and the coordination agreed."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from icrctl.db.models import CasePartner, EvaluationSeries, Partner, SeriesAttendee
from icrctl.db.order import by_code_point
from icrctl.domain.text import MAX_LENGTH, clean_text, optional_text
from icrctl.domain.vocabulary import PARTNER_KIND, weekdays
from icrctl.errors import Conflict, InvalidValue, NotFound
from icrctl.i18n import _
from icrctl.services import audit, roles
from icrctl.services.context import Context
from icrctl.services.edits import apply_changes
from icrctl.services.lookup import find_link, find_partner, get_case
from icrctl.services.members import clean_key


@dataclass
class PartnerInput:
    name: str | None = None
    organisation: str | None = None
    kind: str | None = None
    key: str | None = None
    email: str | None = None
    phone: str | None = None
    reachable: list[str] | None = None


@dataclass
class PartnerRow:
    key: str
    name: str
    organisation: str
    kind: str
    email: str | None
    phone: str | None
    reachable: list[str]
    role: str | None = None
    consent: bool | None = None
    coordination: str | None = None


def row(partner: Partner, link: CasePartner | None = None) -> PartnerRow:
    """A partner as listed, with their link to a case when given."""
    return PartnerRow(
        partner.key,
        partner.name,
        partner.organisation,
        partner.kind,
        partner.email,
        partner.phone,
        list(partner.reachable),
        link.role if link else None,
        link.consent if link else None,
        link.coordination if link else None,
    )


def slug(text: str) -> str:
    """A name as a key: lower-case ASCII words joined by hyphens, short enough for a key with a
    number added (``-12``) to stay within the length of a key."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return words[: MAX_LENGTH["key"] - 8].strip("-") or "partner"


def unique_partner_key(session: Session, name: str) -> str:
    """A key for a new partner from their name, numbered when the plain one is taken."""
    base = slug(name)
    taken = set(session.scalars(select(Partner.key).where(Partner.key.like(f"{base}%"))))
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


def add_partner(session: Session, ctx: Context, data: PartnerInput) -> PartnerRow:
    """Add a partner to the directory: a name, an organisation and a kind at least."""
    if data.name is None or data.organisation is None or data.kind is None:
        raise InvalidValue(_("a partner needs a name, an --organisation and a --kind"))
    name = clean_text(data.name, "name")
    organisation = clean_text(data.organisation, "organisation")
    kind = PARTNER_KIND.parse(data.kind)
    _refuse_a_twin(session, name, organisation)
    key = clean_key(data.key) if data.key else unique_partner_key(session, name)
    if session.scalar(select(func.count()).select_from(Partner).where(Partner.key == key)):
        raise Conflict(_("a partner {key} is already in the directory").format(key=key))
    partner = Partner(
        key=key,
        name=name,
        organisation=organisation,
        kind=kind,
        email=optional_text(data.email, "email"),
        phone=optional_text(data.phone, "phone"),
        reachable=weekdays(data.reachable or []),
    )
    session.add(partner)
    audit.record(session, ctx, "create", "partner", None, ["key", "name", "organisation", "kind"])
    return row(partner)


def edit_partner(
    session: Session, ctx: Context, who: str, data: PartnerInput
) -> tuple[PartnerRow, list[str]]:
    """Change what is given of a partner (never the key); returns the row and what changed."""
    partner = find_partner(session, who)
    new: dict[str, object] = {}
    if data.name is not None:
        new["name"] = clean_text(data.name, "name")
    if data.organisation is not None:
        new["organisation"] = clean_text(data.organisation, "organisation")
    if data.kind is not None:
        new["kind"] = PARTNER_KIND.parse(data.kind)
    if data.email is not None:
        new["email"] = optional_text(data.email, "email")
    if data.phone is not None:
        new["phone"] = optional_text(data.phone, "phone")
    if data.reachable is not None:
        new["reachable"] = weekdays(data.reachable)
    if data.key is not None:
        raise InvalidValue(_("a partner's key does not change (cases and scripts refer to it)"))
    changed = apply_changes(partner, new)
    if {"name", "organisation"} & set(changed):
        _refuse_a_twin(session, partner.name, partner.organisation, partner)
    if changed:
        audit.record(session, ctx, "update", "partner", None, changed)
    return row(partner), changed


def _refuse_a_twin(
    session: Session, name: str, organisation: str, partner: Partner | None = None
) -> None:
    """One person of one organisation is in the directory once (besides ``partner`` itself)."""
    query = select(Partner.key).where(Partner.name == name, Partner.organisation == organisation)
    if partner is not None:
        query = query.where(Partner.id != partner.id)
    twin = session.scalar(query)
    if twin:
        raise Conflict(
            _("{name} of {organisation} is already in the directory as {key}").format(
                name=name, organisation=organisation, key=twin
            )
        )


def list_partners(session: Session, ref: str | None = None) -> list[PartnerRow]:
    """``partner list``: the directory, or the partners linked to one case with their link."""
    if ref is None:
        return [
            row(p) for p in session.scalars(select(Partner).order_by(by_code_point(Partner.key)))
        ]
    case = get_case(session, ref)
    links = session.execute(
        select(Partner, CasePartner)
        .join(CasePartner, CasePartner.partner_id == Partner.id)
        .where(CasePartner.case_id == case.id)
        .order_by(CasePartner.id)
    )
    return [row(p, link) for p, link in links]


def link_partner(
    session: Session,
    ctx: Context,
    ref: str,
    who: str,
    *,
    role: str | None = None,
    consent: bool | None = None,
    coordination: str | None = None,
) -> tuple[PartnerRow, bool]:
    """Link a partner to a case, or update the link; returns the row and whether it was new."""
    case = get_case(session, ref)
    partner = find_partner(session, who)
    link = find_link(session, case, partner)
    created = link is None
    if link is None:
        link = CasePartner(case_id=case.id, partner_id=partner.id, consent=False)
        session.add(link)
    changed: list[str] = []
    if role is not None and optional_text(role, "role") != link.role:
        link.role = optional_text(role, "role")
        changed.append("role")
    if consent is not None and consent != link.consent:
        link.consent = consent
        changed.append("consent")
    if (
        coordination is not None
        and optional_text(coordination, "coordination") != link.coordination
    ):
        link.coordination = optional_text(coordination, "coordination")
        changed.append("coordination")
    if created or changed:
        audit.record(
            session,
            ctx,
            "create" if created else "update",
            "case_partner",
            case.ref,
            changed or ["partner"],
        )
    session.flush()
    return row(partner, link), created


def unlink_partner(session: Session, ctx: Context, ref: str, who: str) -> tuple[PartnerRow, int]:
    """Unlink a partner; they leave the case's evaluation series too (returned: how many)."""
    case = get_case(session, ref)
    partner = find_partner(session, who)
    link = find_link(session, case, partner)
    if link is None:
        raise NotFound(
            _("partner {partner} is not linked to case {ref}").format(
                partner=partner.key, ref=case.ref
            )
        )
    roles.refuse_unlink(case, partner)
    gone = row(partner, link)
    series_ids = select(EvaluationSeries.id).where(EvaluationSeries.case_id == case.id)
    result = session.execute(
        delete(SeriesAttendee).where(
            SeriesAttendee.partner_id == partner.id, SeriesAttendee.series_id.in_(series_ids)
        )
    )
    session.delete(link)
    audit.record(session, ctx, "delete", "case_partner", case.ref, ["partner"])
    return gone, int(getattr(result, "rowcount", 0) or 0)
