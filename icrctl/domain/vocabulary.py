"""The vocabulary of the field, with the Dutch aliases of docs/format.md.

Every enumerated value is stored as its canonical English word; input may use the canonical word
or a Dutch alias, in any case.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from icrctl.errors import InvalidValue


@dataclass(frozen=True)
class Vocabulary:
    """One enumerated field: its canonical words in order and the aliases that map to them."""

    name: str
    terms: tuple[str, ...]
    aliases: dict[str, str]

    def parse(self, text: str) -> str:
        key = unicodedata.normalize("NFC", text).strip().lower()
        if key in self.terms:
            return key
        if key in self.aliases:
            return self.aliases[key]
        raise InvalidValue(
            f"unknown {self.name} {text!r}; expected one of: {', '.join(self.terms)}"
        )

    def parse_list(self, text: str | list[str]) -> list[str]:
        """Parse ``a,b`` (or a list); keep the given order, drop repeats, allow empty."""
        items = text.split(",") if isinstance(text, str) else text
        out: list[str] = []
        for item in items:
            if not item.strip():
                continue
            value = self.parse(item)
            if value not in out:
                out.append(value)
        return out

    def order(self, value: str) -> int:
        return self.terms.index(value)

    def dutch(self, value: str) -> str:
        """The Dutch word for a canonical term (its first alias), for documents in Dutch."""
        return next((alias for alias, term in self.aliases.items() if term == value), value)


def _vocab(name: str, spec: dict[str, tuple[str, ...]]) -> Vocabulary:
    aliases = {alias: term for term, names in spec.items() for alias in names}
    return Vocabulary(name, tuple(spec), aliases)


STAGE = _vocab(
    "stage",
    {
        "inventory": ("inventarisatie",),
        "analysis": ("analyse",),
        "execution": ("uitvoering",),
        "aftercare": ("nazorg",),
        "closed": ("afgesloten",),
    },
)
FRAMEWORK = _vocab("framework", {"voluntary": ("vrijwillig",), "compulsory": ("gedwongen",)})
REGIE = _vocab("regie", {"professional": (), "client": ("cliënt",)})
ROLE = _vocab(
    "role",
    {
        "victim": ("slachtoffer",),
        "perpetrator": ("pleger",),
        "both": ("beide",),
        "child": ("kind",),
        "ex_partner": ("ex-partner",),
        "grandparent": ("grootouder",),
        "family": ("familie",),
        "network": ("netwerk",),
    },
)
RELATION = _vocab(
    "relation kind",
    {
        "partner": (),
        "ex_partner": ("ex-partner",),
        "parent_of": ("ouder_van",),
        "sibling": ("broer_zus",),
    },
)
VIOLENCE = _vocab(
    "violence",
    {
        "physical": ("fysiek",),
        "psychological": ("psychisch",),
        "sexual": ("seksueel",),
        "financial": ("financieel",),
        "neglect": ("verwaarlozing",),
        "stalking": (),
        "elder_abuse": ("ouderenmishandeling",),
    },
)
DOMAIN = _vocab(
    "domain",
    {
        "parenting": ("opvoeden",),
        "mental_health": ("psychische_gezondheid",),
        "physical_health": ("lichamelijke_gezondheid",),
        "finances": ("financien", "financiën"),
        "housing": ("huisvesting",),
        "addiction": ("verslaving",),
        "intellectual_disability": ("lvb",),
        "justice": ("justitie",),
        "work_daytime": ("dagbesteding",),
        "social_network": ("sociaal_netwerk",),
        "relationship": ("relatie",),
    },
)
PARTNER_KIND = _vocab(
    "partner kind",
    {
        "veilig_thuis": (),
        "police": ("politie",),
        "youth_health": ("jgz",),
        "school": (),
        "gp": ("huisarts",),
        "mental_health": ("ggz",),
        "addiction_care": ("verslavingszorg",),
        "youth_protection": ("gi",),
        "probation": ("reclassering",),
        "therapist": ("therapeut",),
        "shelter": ("opvang",),
        "debt_help": ("schuldhulp",),
        "housing": ("woningcorporatie",),
        "social_work": ("maatschappelijk_werk",),
        "municipality": ("gemeente",),
        "other": ("overig",),
    },
)
CONTACT_KIND = _vocab(
    "contact kind",
    {
        "visit": ("huisbezoek",),
        "phone": ("telefoon",),
        "message": ("bericht",),
        "meeting": ("overleg",),
        "email": ("e-mail", "mail"),
    },
)
WEEKDAY = _vocab(
    "weekday",
    {
        "mon": ("ma", "monday", "maandag"),
        "tue": ("di", "tuesday", "dinsdag"),
        "wed": ("wo", "wednesday", "woensdag"),
        "thu": ("do", "thursday", "donderdag"),
        "fri": ("vr", "friday", "vrijdag"),
        "sat": ("za", "saturday", "zaterdag"),
        "sun": ("zo", "sunday", "zondag"),
    },
)
GOAL_STATUS = _vocab(
    "goal status", {"open": (), "achieved": ("behaald",), "dropped": ("vervallen",)}
)
ATTENDANCE = _vocab(
    "attendance", {"attended": ("aanwezig",), "absent": ("afwezig",), "refused": ("geweigerd",)}
)
MEETING_STATUS = _vocab(
    "meeting status",
    {"held": ("gehouden",), "cancelled": ("geannuleerd",), "moved": ("verplaatst",)},
)

#: Stages in their working order (the werkwijze casusregie, see docs/domain.md).
STAGES = STAGE.terms
CLOSED = "closed"
