"""The vocabulary of the field, with the Dutch aliases of docs/format.md.

Every enumerated value is stored as its canonical English word; input may use the canonical word
or a Dutch alias, in any case, with spaces or hyphens for underscores (``lokale driehoek``,
``moeder-van``) and with or without accents (``financien``, ``financiën``). An unknown word is
refused with the accepted words in both languages.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from icrctl.errors import InvalidValue
from icrctl.i18n import N_, _, language

_SEPARATORS = re.compile(r"[\s\-]+")


def _plain(text: str) -> str:
    """The form words are compared in: NFC, trimmed, lower case, runs of spaces and hyphens as
    one underscore, accents dropped (``Lokale  Driehoek`` and ``lokale-driehoek`` are one word)."""
    key = _SEPARATORS.sub("_", unicodedata.normalize("NFC", text).strip().lower())
    decomposed = unicodedata.normalize("NFD", key)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass(frozen=True)
class Vocabulary:
    """One enumerated field: its canonical words in order and the aliases that map to them.

    ``name`` is the English word a refusal names the field by (``unknown role 'x'``), marked with
    ``N_`` where it is made and translated when the refusal is.
    """

    name: str
    terms: tuple[str, ...]
    aliases: dict[str, str]

    @functools.cached_property
    def _words(self) -> dict[str, str]:
        """Every accepted word, in its plain form, to its canonical term."""
        words = {_plain(alias): term for alias, term in self.aliases.items()}
        words.update({_plain(term): term for term in self.terms})
        return words

    def parse(self, text: str) -> str:
        """The canonical word for ``text`` (a canonical word or an alias), else
        :class:`InvalidValue` listing the accepted words in English and Dutch."""
        term = self._words.get(_plain(text))
        if term is None:
            raise InvalidValue(
                _("unknown {name} {text}; expected one of: {choices}").format(
                    name=_(self.name), text=repr(text), choices=self.choices()
                )
            )
        return term

    def choices(self) -> str:
        """The accepted words, each canonical word with its Dutch word: ``child (kind), …``
        (``kind (child), …`` in Dutch)."""
        return ", ".join(self.both(term) for term in self.terms)

    def both(self, term: str) -> str:
        """A canonical word with its Dutch word, ``child (kind)``, alone when it has none; in
        Dutch the Dutch word leads, ``kind (child)``: both are accepted, and the user reads
        Dutch."""
        dutch = self.dutch(term)
        if dutch == term:
            return term
        return f"{dutch} ({term})" if language() == "nl" else f"{term} ({dutch})"

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

    def label(self, value: str) -> str:
        """The word to show for a canonical term: its Dutch word when icrctl speaks Dutch (as
        words: ``ouder van``, not ``ouder_van``), the term itself in English (JSON and CSV show
        the term in both)."""
        return self.dutch(value).replace("_", " ") if language() == "nl" else value

    def dutch(self, value: str) -> str:
        """The Dutch word for a canonical term (its first alias), for documents in Dutch."""
        return next((alias for alias, term in self.aliases.items() if term == value), value)


def _vocab(name: str, spec: dict[str, tuple[str, ...]]) -> Vocabulary:
    aliases = {alias: term for term, names in spec.items() for alias in names}
    return Vocabulary(name, tuple(spec), aliases)


STAGE = _vocab(
    N_("stage"),
    {
        "inventory": ("inventarisatie", "in_kaart_brengen"),
        "analysis": ("analyse", "analyse_en_plan"),
        "execution": ("uitvoering", "uitvoering_en_evaluatie"),
        "aftercare": ("nazorg",),
        "closed": ("afgesloten", "gesloten"),
    },
)
FRAMEWORK = _vocab(
    N_("framework"),
    {
        "voluntary": ("vrijwillig", "vrijwillig_kader"),
        "compulsory": ("gedwongen", "gedwongen_kader", "verplicht"),
    },
)
REGIE = _vocab(N_("regie"), {"professional": ("professioneel",), "client": ("cliënt",)})
ROLE = _vocab(
    N_("role"),
    {
        "victim": ("slachtoffer",),
        "perpetrator": ("pleger", "dader"),
        "both": ("beide", "slachtoffer_en_pleger"),
        "child": ("kind", "zoon", "dochter"),
        "ex_partner": ("ex-partner", "ex"),
        "grandparent": ("grootouder", "oma", "opa", "grootmoeder", "grootvader"),
        "family": ("familie", "familielid"),
        "network": ("netwerk", "netwerklid"),
    },
)
RELATION = _vocab(
    N_("relation kind"),
    {
        "partner": ("partner_van",),
        "ex_partner": ("ex-partner", "ex", "ex_van"),
        "parent_of": ("ouder_van", "moeder_van", "vader_van"),
        "sibling": ("broer_zus", "broer_van", "zus_van", "broer", "zus"),
        # for the genogram: a marriage and a divorce (partner is together, ex_partner separated),
        # and violence, from the one who uses it to the one it is used against
        "married": ("getrouwd", "gehuwd", "getrouwd_met", "echtgenoot_van", "echtgenote_van"),
        "divorced": ("gescheiden", "gescheiden_van"),
        "violent_towards": ("geweld_tegen", "pleger_van", "gewelddadig_tegen"),
    },
)
VIOLENCE = _vocab(
    N_("violence"),
    {
        "physical": ("fysiek", "lichamelijk"),
        "psychological": ("psychisch", "geestelijk"),
        "sexual": ("seksueel",),
        "financial": ("financieel",),
        "neglect": ("verwaarlozing",),
        "stalking": ("belaging",),
        "elder_abuse": ("ouderenmishandeling",),
    },
)
DOMAIN = _vocab(
    N_("domain"),
    {
        "parenting": ("opvoeden", "opvoeding"),
        "mental_health": ("psychische_gezondheid",),
        "physical_health": ("lichamelijke_gezondheid",),
        "finances": ("financiën", "financien", "schulden"),
        "housing": ("huisvesting", "wonen"),
        "addiction": ("verslaving",),
        "intellectual_disability": ("lvb", "licht_verstandelijke_beperking"),
        "justice": ("justitie",),
        "work_daytime": ("dagbesteding", "werk"),
        "social_network": ("sociaal_netwerk",),
        "relationship": ("relatie", "relaties"),
    },
)
PARTNER_KIND = _vocab(
    N_("partner kind"),
    {
        "neighbourhood_team": ("wijkteam", "sociaal_wijkteam"),
        "access_team": ("toegang", "toegangsteam", "integrale_toegang"),
        "youth_family_centre": ("cjg", "centrum_voor_jeugd_en_gezin"),
        "veilig_thuis": (),
        "police": ("politie", "wijkagent"),
        "youth_health": ("jgz", "jeugdgezondheidszorg", "consultatiebureau"),
        "school": (),
        "gp": ("huisarts",),
        "mental_health": ("ggz",),
        "public_mental_health": ("oggz", "oggz_team", "openbare_geestelijke_gezondheidszorg"),
        "addiction_care": ("verslavingszorg",),
        "care_provider": ("zorgaanbieder",),
        "forensic_care": ("forensische_zorg",),
        "youth_protection": (
            "gi",
            "jeugdbescherming",
            "gecertificeerde_instelling",
            "jeugdreclassering",
        ),
        "probation": ("reclassering",),
        "therapist": ("therapeut",),
        "shelter": ("opvang", "vrouwenopvang"),
        "debt_help": ("schuldhulp", "schuldhulpverlening"),
        "housing": ("woningcorporatie",),
        "social_work": ("maatschappelijk_werk",),
        "municipality": ("gemeente",),
        "public_order_officer": ("aov", "ambtenaar_openbare_orde_en_veiligheid"),
        "other": ("overig", "anders"),
    },
)
CONTACT_KIND = _vocab(
    N_("contact kind"),
    {
        "visit": ("huisbezoek", "bezoek"),
        "phone": ("telefoon", "telefonisch"),
        "message": ("bericht", "sms", "app"),
        "meeting": ("overleg", "vergadering"),
        "email": ("e-mail", "mail"),
        # A report (melding) about the family from outside, e.g. to Veilig Thuis or the police:
        # the one contact a closed case takes (see domain.aftercare).
        "report": ("melding",),
    },
)
WEEKDAY = _vocab(
    N_("weekday"),
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
    N_("goal status"), {"open": (), "achieved": ("behaald", "bereikt"), "dropped": ("vervallen",)}
)
ATTENDANCE = _vocab(
    N_("attendance"), {"attended": ("aanwezig",), "absent": ("afwezig",), "refused": ("geweigerd",)}
)
MEETING_STATUS = _vocab(
    N_("meeting status"),
    {
        "held": ("gehouden",),
        "cancelled": ("afgelast", "geannuleerd", "afgezegd"),
        "moved": ("verplaatst",),
    },
)
EVENT_KIND = _vocab(
    N_("event kind"),
    {
        "framework": ("kader",),
        "regie": ("casusregie",),
        "closed": ("afgesloten", "gesloten"),
        "reopened": ("heropend",),
        "casusregie_holder": ("houder_casusregie", "casusregisseur"),
        "procesregie": (),
        "regiebehandelaar": (),
    },
)

#: ``--procesregie none``, ``--regiebehandelaar none``: nobody named.
NOBODY = "none"
#: The words ``--casusregie`` takes besides a partner's key: the client, the case director.
CASUSREGIE_WORD = _vocab(
    N_("casusregie holder"),
    {
        "client": ("cliënt", "client_zelf"),
        "icr": ("regisseur", "casusregisseur", "intensief_casusregisseur"),
    },
)
#: The words ``--procesregie`` takes besides a partner's key.
PROCESREGIE_WORD = _vocab(
    N_("procesregie holder"),
    {"icr": ("regisseur", "procesregisseur"), NOBODY: ("geen", "niemand")},
)
#: Who holds procesregie, as the case file and the import file keep it.
PROCESREGIE_HOLDER = _vocab(
    N_("procesregie"), {"icr": ("regisseur", "procesregisseur"), "partner": ("ketenpartner",)}
)
#: The words ``--regiebehandelaar`` takes besides a partner's key.
REGIEBEHANDELAAR_WORD = _vocab(N_("lead practitioner"), {NOBODY: ("geen", "niemand")})

# A range of weekdays: ``ma t/m do``, ``mon-thu``, ``maandag tot en met donderdag``.
_DAY_RANGE = re.compile(
    r"^\s*(\S+?)\s*(?:\s(?:t/m|tm|tot en met|to|through|thru)\s|-|–|\.\.)\s*(\S+)\s*$",
    re.IGNORECASE,
)


def weekdays(text: str | list[str]) -> list[str]:
    """Weekdays as given (``ma,wo`` or a list), where an entry may be a range (``ma t/m do``,
    ``mon-thu``: every day from the first to the last, over the weekend if it comes first);
    the given order, repeats dropped."""
    items = text.split(",") if isinstance(text, str) else text
    out: list[str] = []
    for item in items:
        if not item.strip():
            continue
        for day in _day_range(item):
            if day not in out:
                out.append(day)
    return out


def _day_range(item: str) -> list[str]:
    """One entry of :func:`weekdays`: a day, or every day of a range."""
    found = _DAY_RANGE.match(item)
    if found is None:
        return [WEEKDAY.parse(item)]
    first, last = WEEKDAY.order(WEEKDAY.parse(found[1])), WEEKDAY.order(WEEKDAY.parse(found[2]))
    days = WEEKDAY.terms
    return [days[(first + n) % 7] for n in range((last - first) % 7 + 1)]


#: Stages in their working order (the werkwijze casusregie, see docs/domain.md).
STAGES = STAGE.terms
CLOSED = "closed"
