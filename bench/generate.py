"""A synthetic caseload in the icrctl import format (see docs/format.md), for the benchmarks.

    python bench/generate.py N [--out FILE] [--seed S] [--regisseur-share COUNT] [--within M]
                               [--long]

N realistic but invented cases: Dutch family names, 2-6 members with relations, 2-6 partners
from a shared directory of about max(20, N/10) professionals, one evaluation series with
attendees and a few meetings, a phase history, a stage history, goals and 5-30 contacts. The
output depends only on N, the seed and the options: the same arguments give the same bytes.

Every date lies on or before ``TODAY`` (2026-11-25, the day the benchmarks pin with
``ICRCTL_TODAY``), except planned things (goal due dates, a series' ``until``, a moved
meeting's new date). ``--regisseur-share COUNT`` gives COUNT cases (default 30) to the case
director "A. Jansen", so that a 5,000-case file holds a personal caseload of about 30; the other
cases are spread over a pool of about N/30 case directors. ``--within M`` writes N of the cases
of the M-case caseload instead (A. Jansen's first, then the first others, unchanged), so that a
small and a large file hold the very same cases (``bench/run.py`` compares them).

``--long`` makes long-running cases instead: opened one to two years before ``TODAY``, one weekly
or biweekly series since (a third of them switch cadence once, the first series ending where the
second starts), every past occurrence recorded (held with attendance and scores; some cancelled;
some moved a few days and held there) except, in a third of the open cases, the last one or two;
a few extra meetings; two to six phase changes and a contact every two to twelve days.

Enumerated values are written as their canonical English words, and every meeting on an
occurrence of the series says ``series: 0``: ``bench/import_floor.py`` relies on both.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from calendar import monthrange
from typing import Any

import yaml

TODAY = dt.date(2026, 11, 25)
FIRST_OPENED = dt.date(2023, 1, 2)
PERSONAL = "A. Jansen"

# ------------------------------------------------------------------ vocabularies (invented)


def _words(text: str, sep: str | None = None) -> tuple[str, ...]:
    return tuple(text.split(sep))


WOMEN = _words(
    "Sanne Anouk Fleur Lotte Emma Iris Eva Lisa Maaike Femke Esther Marloes Inge Karin Petra "
    "Ilse Nathalie Samira Fatima Yasmina Naima Priya Joyce Chantal Kim Linda Sandra Monique "
    "Miriam Janneke Roos Noor Lieke Mirjam Hanneke Wendy Shirley Romy Bo Tessa"
)
MEN = _words(
    "Daan Thijs Bram Sem Jeroen Mark Dennis Kevin Rick Sander Bas Erik Martijn Ruben Niels "
    "Mohamed Youssef Hamza Said Ayoub Rachid Jordy Ricardo Patrick Wouter Joost Stefan Michiel "
    "Vincent Roy Tim Koen Lars Hugo Gijs Jasper Jorrit Wesley Marco Dirk"
)
CHILDREN = _words(
    "Noah Liam Lucas Finn Levi Milan Luuk Sem Jesse Mees Adam Ryan Zayn Julia Mila Tess Sara "
    "Nora Yara Evi Lina Saar Zoë Liv Nina Fenna Amira Ilyas Anna Hailey Jayden Dex Olivia Isa"
)
ELDERS = _words("Gerda Riet Joke Ans Truus Henk Kees Piet Wim Cor Annie Bep Jan Toos")
SURNAMES = _words(
    "De Vries|Jansen|De Jong|Bakker|Visser|Smit|Meijer|De Boer|Mulder|De Groot|Bos|Vos|Peters|"
    "Hendriks|Van Leeuwen|Dekker|Brouwer|De Wit|Dijkstra|Smits|De Graaf|Van der Meer|"
    "Van der Linden|Kok|Jacobs|De Haan|Vermeulen|Van den Berg|Van Dijk|Schouten|Van Beek|"
    "Willems|Van Vliet|Hoekstra|Maas|Verhoeven|Koster|Van Dam|Prins|Blom|Huisman|Peeters|"
    "El Amrani|Bouzid|Yilmaz|Kaya|Öztürk|Ramdin|Sewnarain|Martina|Van 't Hek|Ter Horst|"
    "Kuipers|Veenstra|Kramer|Van den Broek|Post|Timmermans|Groen|Wolters|Hermans|Van Rijn",
    "|",
)
PLACES = _words(
    "Rotterdam Rijnmond|Zeeland|Haaglanden|Utrecht|Amsterdam-Amstelland|Gelderland-Zuid|"
    "Twente|Brabant-Noord|Drenthe|Zaanstreek-Waterland|Hollands Midden|Kennemerland",
    "|",
)
TOWNS = _words(
    "Goes|Middelburg|Vlissingen|Terneuzen|Zierikzee|Schiedam|Vlaardingen|Delft|Gouda|Zeist|"
    "Amersfoort|Enschede|Hengelo|Assen|Emmen|Oss|Zaandam|Leiden|Haarlem|Nijmegen",
    "|",
)
NOUNS = _words("Regenboog|Klimop|Wilgen|Vlinder|Horizon|Kompas|Zonnebloem|Linde|Bron|Wieken", "|")

PARTNER_KINDS: tuple[tuple[str, str, int], ...] = (
    # kind, organisation pattern ({p}: region, {t}: town, {n}: noun, {s}: surname), weight
    ("veilig_thuis", "Veilig Thuis {p}", 3),
    ("police", "Politie basisteam {t}", 3),
    ("youth_health", "JGZ {t}", 2),
    ("school", "Basisschool De {n}", 3),
    ("gp", "Huisartsenpraktijk {s}", 2),
    ("mental_health", "GGZ {p}", 2),
    ("addiction_care", "Verslavingszorg {p}", 1),
    ("youth_protection", "Jeugdbescherming {p}", 2),
    ("probation", "Reclassering {t}", 1),
    ("therapist", "Praktijk voor Relatietherapie {s}", 1),
    ("shelter", "Vrouwenopvang {p}", 1),
    ("debt_help", "Schuldhulpverlening {t}", 1),
    ("housing", "Woonstichting De {n}", 1),
    ("social_work", "Wijkteam {t}", 2),
    ("municipality", "Gemeente {t}", 1),
    ("other", "Buurtbemiddeling {t}", 1),
)
PARTNER_ROLES = {
    "veilig_thuis": ("melding en veiligheidsplan", "onderzoek na melding", "monitoring veiligheid"),
    "police": ("wijkagent", "huisverbod en toezicht", "zedenrecherche"),
    "youth_health": ("jeugdverpleegkundige", "consultatiebureau"),
    "school": ("intern begeleider", "mentor van de oudste", "zorgcoördinator"),
    "gp": ("huisarts van moeder", "huisarts van het gezin"),
    "mental_health": ("behandeling moeder", "behandeling vader", "crisisdienst"),
    "addiction_care": ("ambulante behandeling vader", "middelencontrole"),
    "youth_protection": ("gezinsvoogd", "ondertoezichtstelling"),
    "probation": ("toezicht na veroordeling", "reclasseringswerker"),
    "therapist": ("systeemtherapie", "traumabehandeling kinderen"),
    "shelter": ("opvang moeder en kinderen", "ambulante begeleiding"),
    "debt_help": ("budgetbeheer", "schuldsanering"),
    "housing": ("urgentieverklaring", "huurachterstand"),
    "social_work": ("gezinscoach", "maatschappelijk werker"),
    "municipality": ("leerplicht", "Wmo-consulent"),
    "other": ("buurtbemiddeling", "vrijwillige maatje"),
}
COORDINATION = (
    "1x per 2 weken telefonisch",
    "maandelijks overleg",
    "na elk huisbezoek een bericht",
    "bij signalen direct bellen",
    "wekelijks kort contact",
)
VIOLENCE = (
    "physical",
    "psychological",
    "sexual",
    "financial",
    "neglect",
    "stalking",
    "elder_abuse",
)
DOMAINS = (
    "parenting",
    "mental_health",
    "physical_health",
    "finances",
    "housing",
    "addiction",
    "intellectual_disability",
    "justice",
    "work_daytime",
    "social_network",
    "relationship",
)
REFERRERS = ("Veilig Thuis", "wijkteam", "politie", "huisarts", "school", "zelfmelding", "GI")
CADENCES = (("1w", 1), ("2w", 5), ("3w", 2), ("4w", 4), ("1m", 4), ("2m", 1))
TIMES = ("09:00", "09:30", "10:00", "10:00", "11:00", "13:30", "14:00", "15:30")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
UP_REASONS = (
    "politiemelding na escalatie",
    "zorgen over de veiligheid van de kinderen",
    "afspraken uit het veiligheidsplan niet nagekomen",
    "samenwerking tussen partners stagneert",
    "nieuwe melding bij Veilig Thuis",
    "huiselijk geweld in bijzijn van de kinderen",
)
DOWN_REASONS = (
    "veiligheidsplan werkt, geen nieuwe meldingen",
    "ouders nemen hulp aan",
    "stabiele situatie na drie evaluaties",
    "hulpverlening loopt, regie terug bij wijkteam",
)
FIRST_REASONS = (
    "aanmelding door Veilig Thuis",
    "aanmelding door het wijkteam",
    "doorverwezen door de huisarts",
    "zorgmelding van school",
    "aanmelding na politiemelding",
)
CALAMITY_REASONS = (
    "ernstig incident met publieke onrust",
    "calamiteit bij zorgaanbieder",
    "dreiging tegen hulpverleners",
)
STAGE_REASONS = (None, None, "plan van aanpak vastgesteld", "analyse afgerond", "doelen behaald")
GOALS = (
    ("Veiligheidsplan opgesteld", "plan maken met beide ouders"),
    ("Kinderen gaan dagelijks naar school", "afspraken met school over verzuim"),
    ("Moeder heeft een eigen woning", "urgentie aanvragen en woning zoeken"),
    ("Schulden in beeld en stabiel", "aanmelding schuldhulpverlening"),
    ("Vader start met behandeling", "intake bij verslavingszorg"),
    ("Geen geweld in het gezin", "afspraken vastleggen en evalueren"),
    ("Omgangsregeling vastgelegd", "bemiddeling tussen de ouders"),
    ("Netwerk van het gezin versterkt", "netwerkberaad organiseren"),
    ("Oudste kind heeft eigen hulpverlener", "aanmelden bij jeugdhulp"),
    ("Moeder heeft dagbesteding", "traject met re-integratie"),
    ("Inkomen op orde", "uitkering en toeslagen aanvragen"),
    ("Ouders communiceren zonder escalatie", "oudercursus en begeleiding"),
)
CONTACT_NOTES = {
    "visit": (
        "huisbezoek, gesprek met moeder",
        "huisbezoek samen met de wijkagent",
        "onaangekondigd huisbezoek",
        "huisbezoek, kinderen gesproken",
        "huisbezoek bij vader",
    ),
    "phone": (
        "telefonisch contact met moeder",
        "gebeld met school over verzuim",
        "vader gebeld over afspraken",
        "terugbelverzoek van de huisarts",
        "telefonisch overleg met Veilig Thuis",
    ),
    "message": (
        "bericht van moeder, het gaat goed",
        "app-bericht over de afspraak",
        "bericht van vader, wil afspraak verzetten",
        "sms met herinnering",
    ),
    "meeting": (
        "overleg met de betrokken partners",
        "multidisciplinair overleg",
        "afstemming met de gezinsvoogd",
        "casusoverleg in het zorg- en veiligheidshuis",
    ),
    "email": (
        "verslag gemaild aan de partners",
        "e-mail van school met zorgen",
        "toestemmingsformulier gemaild",
        "e-mail van de reclassering",
    ),
}
SIGNAL_NOTES = (
    "kinderen vertellen over ruzie thuis",
    "blauwe plek bij moeder gezien",
    "buren melden geschreeuw",
    "vader stuurt dreigende berichten",
    "school meldt dat de jongste bang is om naar huis te gaan",
)
MEETING_NOTES = (
    "goed gesprek, afspraken gemaakt",
    "vader weigert deel te nemen",
    "sfeer gespannen, vervolgafspraak gepland",
    "voortgang op alle doelen besproken",
    "moeder geeft aan dat het beter gaat",
)
CANCEL_REASONS = ("ziek", "moeder niet bereikbaar", "partner verhinderd", "schoolvakantie")
MOVE_REASONS = (None, "op verzoek van moeder", "ruimte niet beschikbaar")
SUMMARIES = (
    "doelen behaald, ouders voeren zelf regie",
    "veiligheid gestabiliseerd, overdracht aan wijkteam",
    "gezin verhuisd naar een andere gemeente, warme overdracht gedaan",
)
SAFETY = (
    "geen meldingen sinds de laatste evaluatie; veiligheidsplan werkt",
    "risico laag, netwerk houdt zicht op de kinderen",
    "geen signalen meer van school en huisarts",
)
CHECKLIST = {
    "care": (
        "aov",
        "communications",
        "portfolio_holder",
        "mayor",
        "process_coordinator",
        "calamity_meeting_decision",
    ),
    "social": ("aov", "local_triangle", "communications_adviser"),
}


# ------------------------------------------------------------------ helpers


def _day(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    return lo + dt.timedelta(days=rng.randint(0, max(0, (hi - lo).days)))


def _days(rng: random.Random, lo: dt.date, hi: dt.date, k: int) -> list[dt.date]:
    """``k`` distinct sorted days in ``[lo, hi]`` (fewer when the range is short)."""
    span = (hi - lo).days + 1
    picks = rng.sample(range(span), min(k, max(span, 0)))
    return [lo + dt.timedelta(days=d) for d in sorted(picks)]


def _lower_prefix(surname: str) -> str:
    """``De Vries`` after a first name is written ``de Vries`` ("Sanne de Vries")."""
    words = surname.split(" ")
    out = []
    for i, word in enumerate(words):
        last = i == len(words) - 1
        out.append(word if last else word.lower())
    return " ".join(out)


def _slug(text: str) -> str:
    out = []
    for ch in text.lower():
        if ch.isalnum() and ch.isascii():
            out.append(ch)
        elif out and out[-1] != "-":
            out.append("-")
    return "".join(out).strip("-")


def _phone_mobile(rng: random.Random) -> str:
    return f"+31 6 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}"


def _add_months(day: dt.date, months: int) -> dt.date:
    m = day.month - 1 + months
    year, month = day.year + m // 12, m % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, monthrange(year, month)[1]))


def _birth(rng: random.Random, age_lo: int, age_hi: int) -> dt.date:
    hi = TODAY.replace(year=TODAY.year - age_lo)
    lo = TODAY.replace(year=TODAY.year - age_hi - 1) + dt.timedelta(days=1)
    return _day(rng, lo, hi)


# ------------------------------------------------------------------ the directory


def directory(rng: random.Random, size: int) -> list[dict[str, Any]]:
    kinds = [k for k in PARTNER_KINDS for _ in range(k[2])]
    partners: list[dict[str, Any]] = []
    keys: set[str] = set()
    seen: set[tuple[str, str]] = set()
    while len(partners) < size:
        kind, pattern, _ = rng.choice(kinds)
        org = pattern.format(
            p=rng.choice(PLACES), t=rng.choice(TOWNS), n=rng.choice(NOUNS), s=rng.choice(SURNAMES)
        )
        surname = rng.choice(SURNAMES)
        first = rng.choice((*WOMEN, *MEN))
        name = f"{first[0]}. {_lower_prefix(surname)}"
        if (name, org) in seen:
            continue
        seen.add((name, org))
        base = f"{_slug(kind.split('_')[0])}-{_slug(surname)}"
        key, n = base, 2
        while key in keys:
            key, n = f"{base}-{n}", n + 1
        keys.add(key)
        local = _slug(f"{first[0]}.{surname}").replace("-", ".")
        p: dict[str, Any] = {
            "key": key,
            "name": name,
            "organisation": org,
            "kind": kind,
            "email": f"{local}@{_slug(org.split(' ')[0])}.example.org",
        }
        if rng.random() < 0.8:
            p["phone"] = (
                f"+31 {rng.randint(10, 79)} {rng.randint(100, 999)} {rng.randint(1000, 9999)}"
            )
        if rng.random() < 0.6:
            p["reachable"] = sorted(rng.sample(WEEKDAYS[:5], rng.randint(1, 4)), key=WEEKDAYS.index)
        partners.append(p)
    return partners


# ------------------------------------------------------------------ one case


def _members(rng: random.Random) -> tuple[str, list[dict[str, Any]]]:
    """A family: victim and perpetrator, children, sometimes a grandparent or network."""
    surname = rng.choice(SURNAMES)
    n = rng.randint(2, 6)
    members: list[dict[str, Any]] = []

    def add(name: str, role: str, born: dt.date | None, **extra: Any) -> str:
        key = f"m{len(members) + 1}"
        m: dict[str, Any] = {"key": key, "name": name}
        if born is not None:
            m["born"] = born
        m["role"] = role
        m.update(extra)
        members.append(m)
        return key

    mother_name = f"{rng.choice(WOMEN)} {_lower_prefix(surname)}"
    other_surname = surname if rng.random() < 0.6 else rng.choice(SURNAMES)
    father_name = f"{rng.choice(MEN)} {_lower_prefix(other_surname)}"
    reversed_roles = rng.random() < 0.12
    both = rng.random() < 0.1
    mother_role = "both" if both else ("perpetrator" if reversed_roles else "victim")
    father_role = "both" if both else ("victim" if reversed_roles else "perpetrator")
    extra: dict[str, Any] = {}
    if rng.random() < 0.7:
        extra["phone"] = _phone_mobile(rng)
    if rng.random() < 0.4:
        extra["email"] = f"{_slug(mother_name).replace('-', '.')}@example.org"
    mother_born = _birth(rng, 22, 50)
    mother = add(mother_name, mother_role, mother_born, **extra)
    separated = rng.random() < 0.45
    extra = {}
    if separated:
        extra["household"] = False
    if rng.random() < 0.5:
        extra["phone"] = _phone_mobile(rng)
    father = add(father_name, father_role, _birth(rng, 23, 55), **extra)
    members[0]["relations"] = [{"to": father, "kind": "ex_partner" if separated else "partner"}]
    children: list[str] = []
    grand = n >= 4 and rng.random() < 0.35
    network = n >= 5 and rng.random() < 0.3
    for _ in range(n - 2 - int(grand) - int(network)):
        born = _day(rng, max(_add_months(mother_born, 12 * 18), _birth(rng, 17, 17)), TODAY)
        child = add(f"{rng.choice(CHILDREN)} {_lower_prefix(surname)}", "child", born)
        children.append(child)
    for parent in (members[0], members[1]):
        if children:
            parent.setdefault("relations", [])
            parent["relations"] += [{"to": c, "kind": "parent_of"} for c in children]
    for c in children[1:]:
        members[int(children[0][1:]) - 1].setdefault("relations", []).append(
            {"to": c, "kind": "sibling"}
        )
    if grand:
        add(
            f"{rng.choice(ELDERS)} {_lower_prefix(surname)}",
            "grandparent",
            _birth(rng, 58, 85),
            household=False,
        )
        members[-1]["relations"] = [{"to": mother, "kind": "parent_of"}]
    if network:
        add(
            f"{rng.choice((*WOMEN, *MEN))} {_lower_prefix(rng.choice(SURNAMES))}",
            "network",
            None,
            household=False,
        )
    return surname, members


def _walk_phases(rng: random.Random, n: int, closed: bool) -> list[int]:
    """``n`` phases, each differing from the one before; 4 only last (with its checklist)."""
    phases = [rng.choices((1, 2, 3), (1, 4, 5))[0]]
    for i in range(1, n):
        last = i == n - 1
        prev = phases[-1]
        options = [p for p in (1, 2, 3, 4) if p != prev and abs(p - prev) <= 2]
        if not last or closed:
            options = [p for p in options if p != 4]
        weights = [0.3 if p == 4 else 2 if p > prev else 1 for p in options]
        phases.append(rng.choices(options, weights)[0])
    return phases


def _occurrences(every: str, start: dt.date, until: dt.date) -> list[dt.date]:
    out: list[dt.date] = []
    if every.endswith("w"):
        step = dt.timedelta(weeks=int(every[:-1]))
        day = start
        while day <= until:
            out.append(day)
            day += step
    else:
        k = 0
        while (day := _add_months(start, k * int(every[:-1]))) <= until:
            out.append(day)
            k += 1
    return out


def _phase_history(
    rng: random.Random, opened: dt.date, end: dt.date, n_phases: int, closed: bool
) -> list[dict[str, Any]]:
    """``n_phases`` steps on the regiekaart from ``opened`` to ``end``, each with its reason."""
    phases = _walk_phases(rng, n_phases, closed)
    phase_days = [opened, *_days(rng, opened + dt.timedelta(days=1), end, n_phases - 1)]
    phases = phases[: len(phase_days)]
    history: list[dict[str, Any]] = []
    for j, (day, phase) in enumerate(zip(phase_days, phases, strict=True)):
        if j == 0:
            reason = rng.choice(FIRST_REASONS)
        elif phase == 4:
            reason = rng.choice(CALAMITY_REASONS)
        else:
            reason = rng.choice(UP_REASONS if phase > phases[j - 1] else DOWN_REASONS)
        h: dict[str, Any] = {"date": day, "phase": phase, "reason": reason}
        if phase == 4:
            h["track"] = rng.choice(("care", "social"))
        history.append(h)
    return history


def _stage_history(
    rng: random.Random, opened: dt.date, closed: dt.date | None
) -> list[dict[str, Any]]:
    """The steps through the stages, ending in ``closed`` for a closed case."""
    order = ("inventory", "analysis", "execution", "aftercare")
    if closed is not None:
        middle = [s for s in order[1:] if rng.random() < 0.8]
        days = _days(rng, opened + dt.timedelta(days=1), closed - dt.timedelta(days=1), len(middle))
        path = ["inventory", *middle[: len(days)], "closed"]
        stage_days = [opened, *days, closed]
    else:
        upto = rng.randint(0, min(3, (TODAY - opened).days // 45))
        middle = [s for s in order[1:upto] if rng.random() < 0.85]
        if upto:
            middle.append(order[upto])
        days = _days(rng, opened + dt.timedelta(days=1), TODAY, len(middle))
        path = ["inventory", *middle[: len(days)]]
        stage_days = [opened, *days]
    stages: list[dict[str, Any]] = []
    for day, stage in zip(stage_days, path, strict=True):
        s: dict[str, Any] = {"date": day, "stage": stage}
        reason = rng.choice(STAGE_REASONS)
        if reason is not None and stage != "inventory":
            s["reason"] = reason
        stages.append(s)
    return stages


def _framework(rng: random.Random, phase: int) -> tuple[str, str | None]:
    """The framework (the regiekaart has no compulsory one in phase 1), and ``client`` regie for
    some voluntary cases in phases 1-2."""
    framework = "compulsory" if phase >= 2 and rng.random() < 0.2 else "voluntary"
    regie = "client" if framework == "voluntary" and phase <= 2 and rng.random() < 0.2 else None
    return framework, regie


def _head(
    rng: random.Random,
    i: int,
    surname: str,
    dates: tuple[dt.date, dt.date | None],
    phase: int,
    stage: str,
    frame: tuple[str, str | None],
    regisseur: str,
) -> dict[str, Any]:
    """The case's own fields, from ``ref`` to ``plan_signed``."""
    opened, closed = dates
    framework, regie = frame
    c: dict[str, Any] = {
        "ref": f"ICR-{opened.year}-{i + 1:04d}",
        "title": f"Familie {surname}",
        "opened": opened,
    }
    if closed is not None:
        c["closed"] = closed
    c["stage"] = stage
    c["phase"] = phase
    c["framework"] = framework
    if regie is not None:
        c["regie"] = regie
    c["regisseur"] = regisseur
    if rng.random() < 0.8:
        c["referrer"] = rng.choice(REFERRERS)
    c["violence"] = rng.sample(VIOLENCE[:6], rng.choices((1, 2, 3), (4, 4, 1))[0])
    c["domains"] = rng.sample(DOMAINS, rng.randint(1, 4))
    if stage in ("execution", "aftercare", "closed") and rng.random() < 0.75:
        end = closed or TODAY
        c["plan_signed"] = min(_day(rng, opened + dt.timedelta(days=7), end), end)
    return c


def _links(
    rng: random.Random, pool: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[str]]:
    """2-6 partners of the directory linked to the case (role, consent, agreements), and their
    organisations."""
    links = rng.sample(pool, rng.randint(2, 6))
    out = []
    for p in links:
        link: dict[str, Any] = {"partner": p["key"], "role": rng.choice(PARTNER_ROLES[p["kind"]])}
        if rng.random() < 0.75:
            link["consent"] = True
        if rng.random() < 0.5:
            link["coordination"] = rng.choice(COORDINATION)
        out.append(link)
    return out, [p["organisation"] for p in links]


def _held(rng: random.Random, mt: dict[str, Any], invited: list[str]) -> None:
    """A held meeting's attendance (attended, absent, refused), scores and sometimes a note."""
    present = list(invited)
    rng.shuffle(present)
    cut1 = rng.randint(max(1, len(present) - 2), len(present))
    cut2 = rng.randint(cut1, len(present))
    mt["attended"] = [k for k in invited if k in present[:cut1]]
    if present[cut1:cut2]:
        mt["absent"] = [k for k in invited if k in present[cut1:cut2]]
    if present[cut2:]:
        mt["refused"] = [k for k in invited if k in present[cut2:]]
    mt["risk"] = rng.choices((1, 2, 3, 4, 5), (2, 4, 4, 3, 1))[0]
    mt["self_reliance"] = rng.choices((1, 2, 3, 4, 5), (1, 3, 4, 3, 1))[0]
    if rng.random() < 0.7:
        mt["note"] = rng.choice(MEETING_NOTES)


def _goals(
    rng: random.Random,
    organisations: list[str],
    opened: dt.date,
    end: dt.date,
    closed: bool,
    count: int,
    due_by: dt.date | None = None,
) -> list[dict[str, Any]]:
    """``count`` goals of the work plan, of varied status (a closed case has none open), due
    within 240 days of the opening, or with ``due_by`` any day from a month after it to then."""
    goals = []
    for text, what in rng.sample(GOALS, count):
        g: dict[str, Any] = {"goal": text}
        who = rng.choice([*organisations, "moeder", "vader", "casusregisseur"])
        g["who"] = who
        g["what"] = what
        if rng.random() < 0.8:
            if due_by is None:
                g["due"] = opened + dt.timedelta(days=rng.randint(30, 240))
            else:
                g["due"] = _day(rng, opened + dt.timedelta(days=30), due_by)
        status = rng.choices(("open", "achieved", "dropped"), (6, 3, 1))[0]
        if closed and status == "open":
            status = "achieved"
        g["status"] = status
        if status != "open":
            g["changed"] = _day(rng, opened, end)
        goals.append(g)
    return goals


def _checklist(rng: random.Random, history: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The phase-4 checklist of the last escalation, some of it done."""
    track = history[-1]["track"]
    escalated = history[-1]["date"]
    items = []
    for j, code in enumerate(CHECKLIST[track]):
        item: dict[str, Any] = {"item": code}
        when = dt.time(rng.randint(8, 16), rng.randint(0, 59))
        done = dt.datetime.combine(escalated + dt.timedelta(days=j // 2), when)
        if rng.random() < 0.6 and done.date() <= TODAY:
            item["done"] = done.strftime("%Y-%m-%dT%H:%M")
        items.append(item)
    return items


def _contact(
    rng: random.Random,
    day: dt.date,
    people: list[str],
    signal_share: float,
    seen: set[tuple[dt.date, str, str]],
) -> dict[str, Any] | None:
    """One entry of the contact log on ``day``; None when ``seen`` has its date, kind and note."""
    signal = rng.random() < signal_share
    kind = rng.choices(tuple(CONTACT_NOTES), (5, 5, 3, 3, 2))[0]
    note = rng.choice(SIGNAL_NOTES if signal else CONTACT_NOTES[kind])
    if (day, kind, note) in seen:
        return None
    seen.add((day, kind, note))
    ct: dict[str, Any] = {"date": day, "kind": kind}
    with_ = rng.sample(people, rng.choices((0, 1, 2, 3), (1, 5, 3, 1))[0])
    if with_:
        ct["with"] = [k for k in people if k in with_]
    ct["note"] = note
    if signal:
        ct["signal"] = True
    return ct


def _one_series(
    rng: random.Random, opened: dt.date, closed: dt.date | None, people: list[str]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One evaluation series, and what happened to a few of its occurrences (1-5, sometimes an
    extra meeting)."""
    every = rng.choices([k for k, _ in CADENCES], [w for _, w in CADENCES])[0]
    start = opened + dt.timedelta(days=rng.randint(7, 35))
    if every.endswith("m") and start.day > 28:
        start -= dt.timedelta(days=start.day - 28)
    series: dict[str, Any] = {"every": every}
    if every.endswith("w") and rng.random() < 0.5:
        series["weekday"] = WEEKDAYS[start.weekday()]
    series["time"] = rng.choice(TIMES)
    series["start"] = start
    until = None
    if closed is not None:
        until = max(closed, start)
    elif rng.random() < 0.3:
        until = start + dt.timedelta(days=365)
    if until is not None:
        series["until"] = until
    invited = rng.sample(people, min(len(people), rng.randint(2, 5)))
    series["with"] = [k for k in people if k in invited]
    last_day = min(TODAY, closed or TODAY, until or TODAY)
    occ = _occurrences(every, start, last_day)
    meetings: list[dict[str, Any]] = []
    for day in sorted(rng.sample(occ, min(len(occ), rng.randint(1, 5)))) if occ else []:
        status = rng.choices(("held", "cancelled", "moved"), (15, 3, 2))[0]
        mt: dict[str, Any] = {"date": day, "status": status, "series": 0}
        if status == "held":
            _held(rng, mt, series["with"])
        elif status == "cancelled":
            mt["reason"] = rng.choice(CANCEL_REASONS)
        else:
            mt["to"] = day + dt.timedelta(days=rng.randint(1, 4))
            mt["time"] = rng.choice(TIMES)
            reason = rng.choice(MOVE_REASONS)
            if reason is not None:
                mt["reason"] = reason
        meetings.append(mt)
    if occ and rng.random() < 0.3:
        # an extra meeting between two occurrences: never on one, never in the future
        base = rng.choice(occ)
        gap = 7 * int(every[:-1]) if every.endswith("w") else 27
        extra = base + dt.timedelta(days=rng.randint(1, gap - 1))
        if extra <= last_day and extra not in occ:
            meetings.append(
                {
                    "date": extra,
                    "status": "held",
                    "time": rng.choice(TIMES),
                    "attended": rng.sample(series["with"], 1),
                    "risk": rng.randint(1, 5),
                    "self_reliance": rng.randint(1, 5),
                    "note": "extra overleg na signaal",
                }
            )
            meetings.sort(key=lambda m: m["date"])
    return series, meetings


def case(rng: random.Random, i: int, pool: list[dict[str, Any]], regisseur: str) -> dict[str, Any]:
    opened = _day(rng, FIRST_OPENED, TODAY - dt.timedelta(days=21))
    closed = None
    if (TODAY - opened).days > 200 and rng.random() < 0.25:
        closed = _day(rng, opened + dt.timedelta(days=150), TODAY - dt.timedelta(days=1))
    end = closed or TODAY
    surname, members = _members(rng)
    member_keys = [m["key"] for m in members]

    n_phases = rng.choices((1, 2, 3, 4), (3, 4, 2, 1))[0]
    history = _phase_history(rng, opened, end, n_phases, closed is not None)
    frame = _framework(rng, history[-1]["phase"])
    stages = _stage_history(rng, opened, closed)
    stage = stages[-1]["stage"]
    c = _head(rng, i, surname, (opened, closed), history[-1]["phase"], stage, frame, regisseur)
    c["members"] = members
    c["partners"], organisations = _links(rng, pool)
    people = member_keys + [link["partner"] for link in c["partners"]]

    series, meetings = _one_series(rng, opened, closed, people)
    c["evaluations"] = [series]
    c["history"] = history

    c["goals"] = _goals(rng, organisations, opened, end, closed is not None, rng.randint(1, 4))
    if meetings:
        c["meetings"] = meetings
    c["stages"] = stages
    if c["phase"] == 4:
        c["checklist"] = _checklist(rng, history)

    # contacts: distinct (date, kind, note)
    contacts = []
    seen: set[tuple[dt.date, str, str]] = set()
    for _ in range(rng.randint(5, 30)):
        ct = _contact(rng, _day(rng, opened, end), people, 0.1, seen)
        if ct is not None:
            contacts.append(ct)
    contacts.sort(key=lambda x: x["date"])
    c["contacts"] = contacts
    if closed is not None:
        c["closing"] = {"summary": rng.choice(SUMMARIES), "safety": rng.choice(SAFETY)}
    return c


# ------------------------------------------------------------------ long-running cases

LONG_SPAN = (365, 730)
"""A long-running case was opened one to two years before ``TODAY``."""
LONG_CADENCES = (("1w", 2), ("2w", 3))
"""Long-running cases meet weekly or biweekly."""


def _weekday(day: dt.date) -> dt.date:
    """``day``, or the Monday after it when it falls in a weekend: evaluations meet on weekdays."""
    return day + dt.timedelta(days=(7 - day.weekday()) % 7 if day.weekday() >= 5 else 0)


def _long_plan(
    rng: random.Random, opened: dt.date, closed: dt.date | None
) -> list[tuple[str, dt.date, dt.date | None]]:
    """One or two series as (every, start, until): a second one takes over from a switch day
    with another cadence (after a phase change, say)."""
    cadences = [k for k, _ in LONG_CADENCES]
    weights = [w for _, w in LONG_CADENCES]
    end = closed or TODAY
    start = _weekday(opened + dt.timedelta(days=rng.randint(7, 21)))
    first = rng.choices(cadences, weights)[0]
    if (end - start).days > 240 and rng.random() < 0.35:
        switch = _weekday(_day(rng, start + dt.timedelta(days=120), end - dt.timedelta(days=60)))
        second = cadences[1 - cadences.index(first)]
        return [(first, start, switch - dt.timedelta(days=1)), (second, switch, closed)]
    return [(first, start, closed)]


def _long_series(
    rng: random.Random, every: str, start: dt.date, until: dt.date | None, people: list[str]
) -> dict[str, Any]:
    series: dict[str, Any] = {"every": every}
    if rng.random() < 0.5:
        series["weekday"] = WEEKDAYS[start.weekday()]
    series["time"] = rng.choice(TIMES)
    series["start"] = start
    if until is not None:
        series["until"] = until
    invited = rng.sample(people, min(len(people), rng.randint(2, 5)))
    series["with"] = [k for k in people if k in invited]
    return series


def _long_meeting(
    rng: random.Random, day: dt.date, index: int, series: dict[str, Any], last: dt.date
) -> dict[str, Any]:
    """What happened to a past occurrence: mostly held with attendance and scores, sometimes
    cancelled, sometimes moved a few days (and held there, once that day has passed)."""
    roll = rng.random()
    if roll < 0.08:
        return {
            "date": day,
            "status": "cancelled",
            "series": index,
            "reason": rng.choice(CANCEL_REASONS),
        }
    mt: dict[str, Any] = {"date": day, "status": "held", "series": index}
    if roll < 0.14:
        to = day + dt.timedelta(days=rng.randint(1, 3))
        if to <= last:
            mt["to"] = to
            mt["time"] = rng.choice(TIMES)
            if to >= TODAY:
                mt["status"] = "moved"
                return mt
    _held(rng, mt, series["with"])
    return mt


def _long_meetings(
    rng: random.Random, plan: list[tuple[str, dt.date, dt.date | None]], series: list[dict]
) -> list[dict[str, Any]]:
    """Every past occurrence recorded, except sometimes the last one or two of the running
    series (overdue); a few extra meetings between them."""
    meetings: list[dict[str, Any]] = []
    taken: set[dt.date] = set()
    for index, ((every, start, until), s) in enumerate(zip(plan, series, strict=True)):
        last = min(until or TODAY, TODAY)
        occ = [d for d in _occurrences(every, start, last) if d < TODAY]
        taken.update(_occurrences(every, start, last + dt.timedelta(days=7)))
        if index == len(plan) - 1 and until is None:
            occ = occ[: len(occ) - rng.choices((0, 1, 2), (6, 3, 1))[0]]
        for day in occ:
            mt = _long_meeting(rng, day, index, s, last)
            taken.add(mt.get("to", day))
            meetings.append(mt)
    for _ in range(rng.randint(0, 2)):
        extra = _day(rng, plan[0][1], min(plan[-1][2] or TODAY, TODAY) - dt.timedelta(days=1))
        if extra in taken:
            continue
        taken.add(extra)
        mt = {"date": extra, "status": "held", "time": rng.choice(TIMES)}
        mt["attended"] = rng.sample(series[-1]["with"], 1)
        mt["risk"] = rng.randint(1, 5)
        mt["self_reliance"] = rng.randint(1, 5)
        mt["note"] = "extra overleg na signaal"
        meetings.append(mt)
    return sorted(meetings, key=lambda m: m["date"])


def long_case(
    rng: random.Random, i: int, pool: list[dict[str, Any]], regisseur: str
) -> dict[str, Any]:
    """A case that has run up to two years: weekly or biweekly evaluations since it opened,
    nearly all recorded, a long phase history and a contact every few days."""
    opened = _day(
        rng, TODAY - dt.timedelta(days=LONG_SPAN[1]), TODAY - dt.timedelta(days=LONG_SPAN[0])
    )
    closed = None
    if rng.random() < 0.1:
        closed = _day(rng, opened + dt.timedelta(days=300), TODAY - dt.timedelta(days=1))
    end = closed or TODAY
    surname, members = _members(rng)
    n_phases = rng.choices((2, 3, 4, 5, 6), (2, 3, 3, 2, 1))[0]
    history = _phase_history(rng, opened, end, n_phases, closed is not None)
    frame = _framework(rng, history[-1]["phase"])
    stages = _stage_history(rng, opened, closed)
    stage = stages[-1]["stage"]
    c = _head(rng, i, surname, (opened, closed), history[-1]["phase"], stage, frame, regisseur)
    c["members"] = members
    c["partners"], organisations = _links(rng, pool)
    people = [m["key"] for m in members] + [link["partner"] for link in c["partners"]]
    plan = _long_plan(rng, opened, closed)
    c["evaluations"] = [_long_series(rng, *p, people) for p in plan]
    c["history"] = history
    c["goals"] = _goals(rng, organisations, opened, end, closed is not None, rng.randint(2, 5), end)
    for g in c["goals"]:  # set again as the case goes on: due from two months ago to six ahead
        if g["status"] == "open" and "due" in g:
            g["due"] = _day(rng, end - dt.timedelta(days=60), end + dt.timedelta(days=180))
    c["meetings"] = _long_meetings(rng, plan, c["evaluations"])
    c["stages"] = stages
    if c["phase"] == 4:
        c["checklist"] = _checklist(rng, history)
    contacts = []
    seen: set[tuple[dt.date, str, str]] = set()
    day = opened + dt.timedelta(days=rng.randint(0, 5))
    while day <= end:
        ct = _contact(rng, day, people, 0.05, seen)
        if ct is not None:
            contacts.append(ct)
        day += dt.timedelta(days=rng.randint(2, 12))
    c["contacts"] = contacts
    if closed is not None:
        c["closing"] = {"summary": rng.choice(SUMMARIES), "safety": rng.choice(SAFETY)}
    return c


# ------------------------------------------------------------------ the file


def caseload(
    n: int, seed: int = 1, regisseur_share: int = 30, long: bool = False
) -> dict[str, Any]:
    """The import document of ``n`` cases as plain Python data; ``long``: long-running ones."""
    rng = random.Random(f"icrctl-bench-{'long-' if long else ''}{seed}-{n}")
    make = long_case if long else case
    pool = directory(rng, max(20, n // 10))
    directors = []
    while len(directors) < max(3, n // 30):
        name = f"{rng.choice((*WOMEN, *MEN))[0]}. {rng.choice(SURNAMES)}"
        if name != PERSONAL and name not in directors:
            directors.append(name)
    personal = set(random.Random(f"personal-{seed}-{n}").sample(range(n), min(n, regisseur_share)))
    cases = []
    for i in range(n):
        director = PERSONAL if i in personal else rng.choice(directors)
        cases.append(make(rng, i, pool, director))
    return {"version": 1, "partners": pool, "cases": cases}


def within(doc: dict[str, Any], n: int) -> dict[str, Any]:
    """``n`` cases of a larger caseload, unchanged: A. Jansen's first, then the first others.

    For comparisons across file sizes: the small file's cases are the very same cases
    as in the large one (same refs, same members, meetings and contacts), so a command on one
    case or on A. Jansen's caseload has the same work to show in both. The directory keeps only
    the partners the chosen cases link to.
    """
    cases = doc["cases"]
    mine = [i for i, c in enumerate(cases) if c.get("regisseur") == PERSONAL]
    others = [i for i, c in enumerate(cases) if c.get("regisseur") != PERSONAL]
    keep = sorted((mine + others)[:n])
    chosen = [cases[i] for i in keep]
    used = {link["partner"] for c in chosen for link in c.get("partners") or ()}
    partners = [p for p in doc["partners"] if p["key"] in used]
    return {"version": doc["version"], "partners": partners, "cases": chosen}


class _Dumper(yaml.CSafeDumper if hasattr(yaml, "CSafeDumper") else yaml.SafeDumper):  # type: ignore[misc]
    """Never anchors and aliases (the import refuses them)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _short(items: list[Any]) -> bool:
    """Flat and short enough for one line: ``{date: 2026-03-02, phase: 2}``, ``[m1, m2]``."""
    return (
        all(not isinstance(v, dict | list) for v in items)
        and sum(len(str(v)) + 2 for v in items) < 80
    )


def _represent_dict(dumper: yaml.SafeDumper, data: dict[str, Any]) -> yaml.Node:
    flow = _short([*data, *data.values()])
    return dumper.represent_mapping("tag:yaml.org,2002:map", data, flow_style=flow)


def _represent_list(dumper: yaml.SafeDumper, data: list[Any]) -> yaml.Node:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=_short(data))


_Dumper.add_representer(dict, _represent_dict)
_Dumper.add_representer(list, _represent_list)


def dump(doc: dict[str, Any]) -> str:
    text = yaml.dump(doc, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=4096)
    return f"# generated by bench/generate.py: invented people, {len(doc['cases'])} cases\n{text}"


def document(
    n: int,
    seed: int = 1,
    regisseur_share: int = 30,
    within_: int | None = None,
    long: bool = False,
) -> dict[str, Any]:
    """``caseload(n)``, or with ``within_`` the ``n`` cases :func:`within` picks from that one."""
    if within_ is None:
        return caseload(n, seed, regisseur_share, long)
    if within_ < n:
        raise ValueError(f"--within {within_} must be at least N ({n})")
    return within(caseload(within_, seed, regisseur_share, long), n)


def parts(doc: dict[str, Any], size: int) -> list[dict[str, Any]]:
    """The caseload as documents of at most ``size`` cases each, in order, each with the whole
    directory: imported one after the other they give the same case file as the whole (which
    may be larger than an import file may be)."""
    cases = doc["cases"]
    return [
        {"version": doc["version"], "partners": doc["partners"], "cases": cases[i : i + size]}
        for i in range(0, max(len(cases), 1), size)
    ]


def write(
    n: int,
    out: str,
    seed: int = 1,
    regisseur_share: int = 30,
    within_: int | None = None,
    long: bool = False,
) -> str:
    """Write the caseload of ``n`` cases to ``out``; return the path."""
    text = dump(document(n, seed, regisseur_share, within_, long))
    with open(out, "w", encoding="utf-8") as f:
        f.write(text)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, help="number of cases")
    ap.add_argument("--out", help="file to write (default: standard output)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--regisseur-share",
        type=int,
        default=30,
        metavar="COUNT",
        help=f"cases that belong to {PERSONAL} (default 30)",
    )
    ap.add_argument(
        "--within",
        type=int,
        metavar="M",
        help=f"the N cases are taken from the M-case caseload: {PERSONAL}'s, then the first "
        "others (the same cases in a small and a large file)",
    )
    ap.add_argument(
        "--long",
        action="store_true",
        help="long-running cases: opened one to two years ago, weekly or biweekly evaluations "
        "since, nearly all recorded, and a contact every few days",
    )
    args = ap.parse_args(argv)
    if args.n < 1:
        ap.error("N must be at least 1")
    if args.within is not None and args.within < args.n:
        ap.error("--within M must be at least N")
    doc = document(args.n, args.seed, args.regisseur_share, args.within, args.long)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(dump(doc))
    else:
        sys.stdout.write(dump(doc))
    return 0


if __name__ == "__main__":
    sys.exit(main())
