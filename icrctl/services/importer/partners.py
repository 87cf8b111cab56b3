"""Planning the partner directory and the partners linked to a case."""

from __future__ import annotations

from icrctl.i18n import _
from icrctl.io.records import CaseFileRec, LinkRec, PartnerRec
from icrctl.services.importer.plan import CaseScope, Person, Plan, Ref
from icrctl.services.partners import slug


class Directory:
    """The partners the file names (in its directory or inline in a case), matched to the case
    file's directory: by key when the file gives one, else by name and organisation."""

    def __init__(self, plan: Plan, doc: CaseFileRec) -> None:
        self.plan = plan
        self.by_key: dict[str, Ref] = {}
        self.by_name: dict[tuple[str, str], tuple[str, Ref]] = {}
        # Keys the file gives are taken before any key is made up for a partner without one.
        self.taken = set(plan.x.partners_by_key)
        self.taken |= {p.key for p in doc.partners if p.key}
        self.taken |= {
            link.inline.key
            for c in doc.cases
            for link in c.partners
            if link.inline and link.inline.key
        }

    def partner(self, rec: PartnerRec) -> tuple[str, Ref]:
        """The partner's key and row, inserted or updated the first time the file names it."""
        x = self.plan.x
        row = None
        if rec.key is not None:
            # A partner with a key is matched by its key only: two keys are two partners, even
            # with the same name and organisation (else the second key would vanish).
            row = x.partners_by_key.get(rec.key)
            if rec.key in self.by_key:
                return rec.key, self.by_key[rec.key]
        else:
            row = x.partners_by_name.get((rec.name, rec.organisation))
            if (rec.name, rec.organisation) in self.by_name:
                return self.by_name[(rec.name, rec.organisation)]
        key = rec.key or (row["key"] if row else self._new_key(rec.name))
        values = {
            "key": key,
            "name": rec.name,
            "organisation": rec.organisation,
            "kind": rec.kind,
            "email": rec.email,
            "phone": rec.phone,
            "reachable": list(rec.reachable),
        }
        if row is not None and rec.key is None:
            values = {k: v for k, v in values.items() if k != "key"}
        if row is not None and self.plan.keep_directory:
            ref: Ref = int(row["id"])
            if any(row.get(k) != v for k, v in values.items()):
                self.plan.result.partners_kept.append(key)
        else:
            ref = self.plan.merge("partners", row, values)
        self.by_key[key] = ref
        self.by_name[(rec.name, rec.organisation)] = (key, ref)
        return key, ref

    def linked(self, link: LinkRec) -> tuple[str, Ref] | None:
        """The partner a case links to (inline, or by key); None, with an error, if unknown."""
        if link.inline is not None:
            return self.partner(link.inline)
        key = link.partner
        if key is not None and key in self.by_key:
            return key, self.by_key[key]
        if key is not None and key in self.plan.x.partners_by_key:
            self.by_key[key] = int(self.plan.x.partners_by_key[key]["id"])
            return key, self.by_key[key]
        self.plan.error(
            link.at,
            "partner",
            _("no partner {key!r} in the file's partners or in the case file's directory").format(
                key=link.partner
            ),
        )
        return None

    def _new_key(self, name: str) -> str:
        base = slug(name)
        key, n = base, 2
        while key in self.taken:
            key, n = f"{base}-{n}", n + 1
        self.taken.add(key)
        return key


def plan_links(plan: Plan, directory: Directory, scope: CaseScope) -> dict[str, Person]:
    """The case's partners: links inserted or updated; every linked partner by key."""
    c = scope.rec
    by_partner = {r["partner_id"]: r for r in scope.rows["links"]}
    out: dict[str, Person] = {}
    for link in c.partners:
        found = directory.linked(link)
        if found is None:
            continue
        key, partner = found
        row = by_partner.get(partner) if isinstance(partner, int) else None
        values = {"role": link.role, "consent": link.consent, "coordination": link.coordination}
        plan.merge("links", row, values, c.ref, case_id=scope.case, partner_id=partner)
        out[key] = ("partner", partner)
    for r in scope.rows["links"]:
        known = plan.x.partner_key_of.get(r["partner_id"])
        if known is not None:
            out.setdefault(known, ("partner", r["partner_id"]))
    return out


def unlinked_partners(directory: Directory, scope: CaseScope) -> dict[str, Person]:
    """Partners of the file's directory that a meeting or contact of the case names but the
    case no longer links: ``partner unlink`` keeps who took part, and so does the file."""
    c = scope.rec
    named = {key for ct in c.contacts for key in ct.with_}
    named |= {key for m in c.meetings for key in (*m.attended, *m.absent, *m.refused)}
    return {
        key: ("partner", directory.by_key[key])
        for key in sorted(named - scope.people.keys())
        if key in directory.by_key
    }
