"""The werkplan (template: docs/domain.md) and the closing report, as documents in Dutch."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from icrctl.domain.trend import trend
from icrctl.domain.vocabulary import DOMAIN, VIOLENCE
from icrctl.render.documents import Block, Document, Facts, Heading, Para, Table

if TYPE_CHECKING:
    from icrctl.services.documents import ClosingReport, Werkplan
    from icrctl.services.evaluations import SeriesRow

DAYS_NL = {
    "mon": "ma",
    "tue": "di",
    "wed": "wo",
    "thu": "do",
    "fri": "vr",
    "sat": "za",
    "sun": "zo",
}
DAY_NAMES_NL = {
    "mon": "maandag",
    "tue": "dinsdag",
    "wed": "woensdag",
    "thu": "donderdag",
    "fri": "vrijdag",
    "sat": "zaterdag",
    "sun": "zondag",
}
ROLES_NL = {
    "victim": "slachtoffer",
    "perpetrator": "pleger",
    "both": "slachtoffer en pleger",
    "child": "kind",
    "ex_partner": "ex-partner",
    "grandparent": "grootouder",
    "family": "familie",
    "network": "netwerk",
}
STATUS_NL = {"open": "open", "achieved": "behaald", "dropped": "vervallen"}
STAGES_NL = {
    "inventory": "inventarisatie",
    "analysis": "analyse en plan",
    "execution": "uitvoering en evaluatie",
    "aftercare": "nazorg",
    "closed": "afgesloten",
}
CONTACTS_NL = {
    "visit": "huisbezoek",
    "phone": "telefoon",
    "message": "bericht",
    "meeting": "overleg",
    "email": "e-mail",
}
TREND_NL = {"up": "stijgend", "down": "dalend", "same": "gelijk", None: "–"}


def d(value: dt.date | None) -> str:
    return value.strftime("%d-%m-%Y") if value else "–"


def s(value: object) -> str:
    return "–" if value is None or value == "" else str(value)


def rhythm_nl(series: SeriesRow) -> str:
    n, unit = int(series.every[:-1]), series.every[-1]
    if unit == "w":
        every = "elke week" if n == 1 else f"elke {n} weken"
        day = f" op {DAY_NAMES_NL[series.weekday]}" if series.weekday else ""
    else:
        every = "elke maand" if n == 1 else f"elke {n} maanden"
        day = ""
    until = f" tot en met {d(series.until)}" if series.until else ""
    return f"Evaluatie {every}{day} om {series.time}, vanaf {d(series.start)}{until}"


REASONS_NL = {"case opened": "casus geopend", "changed by import": "gewijzigd bij import"}


def _course(scores: list[int | None]) -> str:
    """How a score went over the whole process: from the first to the last assessment."""
    given = [x for x in scores if x is not None]
    if not given:
        return "niet beoordeeld"
    if len(given) == 1:
        return f"eenmaal beoordeeld ({given[0]})"
    overall = TREND_NL[trend([given[0], given[-1]])]
    return f"{overall}, van {given[0]} naar {given[-1]} over {len(given)} evaluaties"


# ------------------------------------------------------------------ the werkplan


def werkplan_document(plan: Werkplan) -> Document:
    """The werkplan in the order of its template: the case, the family, the people involved,
    the coordination, the goals; the practitioner's own copy ends with the safety signals."""
    blocks = [
        *_werkplan_case(plan),
        *_gezinsleden(plan),
        *_betrokkenen(plan),
        *_afstemming(plan),
        *_doelen(plan),
        *_veiligheidssignalen(plan),
    ]
    return Document(f"Werkplan {plan.title}", blocks)


def _werkplan_case(plan: Werkplan) -> list[Block]:
    """Name and date, the case's facts, and whether this is a partner's version."""
    blocks: list[Block] = [
        Facts(
            [
                ("Naam", plan.title),
                ("Casus", plan.ref),
                ("Datum", d(plan.date)),
                ("Casusregisseur", s(plan.regisseur)),
                ("Fase regiekaart", f"{plan.phase}: {plan.phase_name}"),
                ("Werkfase", STAGES_NL.get(plan.stage, plan.stage)),
            ]
        )
    ]
    if plan.for_partner:
        blocks.append(
            Para(
                "Versie voor een ketenpartner: alleen het plan, zonder "
                "contactverslagen of signalen.",
                "note",
            )
        )
    return blocks


def _gezinsleden(plan: Werkplan) -> list[Block]:
    return [
        Heading("Gezinsleden"),
        Table(
            ["Naam", "Rol", "Geboren", "In huishouden"],
            [
                [m.name, ROLES_NL.get(m.role, m.role), d(m.born), "ja" if m.household else "nee"]
                for m in plan.members
            ],
            "Nog geen gezinsleden vastgelegd.",
        ),
    ]


def _betrokkenen(plan: Werkplan) -> list[Block]:
    """The professionals and network, and how many were left out of a partner's version."""
    blocks: list[Block] = [
        Heading("Betrokken professionals en anderen (netwerk) die belangrijk zijn voor het gezin"),
        Table(
            [
                "Naam betrokkene",
                "Relatie tot het gezin en/of instantie",
                "Mailadres",
                "Telefoonnummer",
                "Op welke dagen goed bereikbaar",
            ],
            [
                [
                    p.name + (" (geen toestemming informatiedeling)" if p.consent is False else ""),
                    ROLES_NL.get(p.relation, p.relation),
                    s(p.email),
                    s(p.phone),
                    ", ".join(DAYS_NL.get(x, x) for x in p.reachable) or "–",
                ]
                for p in plan.people
            ],
            "Nog geen betrokkenen vastgelegd.",
        ),
    ]
    if plan.left_out:
        blocks.append(
            Para(
                f"{plan.left_out} betrokken professional(s) zonder toestemming voor "
                "informatiedeling staan niet in deze versie.",
                "note",
            )
        )
    return blocks


def _afstemming(plan: Werkplan) -> list[Block]:
    """The agreements on coordination, then the rhythm of the evaluation meetings."""
    agreements = [[p.name, p.coordination or "–"] for p in plan.people if p.coordination]
    blocks: list[Block] = [
        Heading("Afspraken over afstemming"),
        Table(["Met", "Afspraak"], agreements, "Nog geen afspraken over afstemming."),
    ]
    return blocks + (
        [Para(rhythm_nl(r)) for r in plan.rhythm]
        or [Para("Nog geen vaste evaluatiemomenten gepland.", "note")]
    )


def _doelen(plan: Werkplan) -> list[Block]:
    """Per goal: Doel / Wie doet / Wat, with its deadline and status."""
    return [
        Heading("Doelen en afspraken"),
        Table(
            ["Doel", "Wie doet", "Wat", "Uiterlijk", "Status"],
            [
                [g.goal, s(g.who), s(g.what), d(g.due), STATUS_NL.get(g.status, g.status)]
                for g in plan.goals
            ],
            "Nog geen doelen vastgelegd.",
        ),
    ]


def _veiligheidssignalen(plan: Werkplan) -> list[Block]:
    """The safety signals: only in the practitioner's own copy (a partner's has none)."""
    if not plan.signals:
        return []
    return [
        Heading("Veiligheidssignalen (intern, niet voor verspreiding)"),
        Table(
            ["Datum", "Soort", "Notitie"],
            [[d(c.date), CONTACTS_NL.get(c.kind, c.kind), c.note] for c in plan.signals],
        ),
    ]


# ------------------------------------------------------------------ the closing report


def report_document(r: ClosingReport) -> Document:
    """The eindrapport: the case, its course, goals, evaluations and why it can close safely."""
    title = f"Eindrapport {r.title}" + ("" if r.closed else " (concept: casus nog niet afgesloten)")
    blocks = [
        _report_case(r),
        *_verloop(r),
        *_doelen_en_resultaat(r),
        *_evaluaties(r),
        *_afsluiting(r),
    ]
    return Document(title, blocks)


def _report_case(r: ClosingReport) -> Block:
    return Facts(
        [
            ("Casus", r.ref),
            ("Geopend", d(r.opened)),
            ("Afgesloten", d(r.closed)),
            ("Casusregisseur", s(r.regisseur)),
            ("Verwijzer", s(r.referrer)),
            ("Kader", "gedwongen" if r.framework == "compulsory" else "vrijwillig"),
            ("Vormen van geweld", ", ".join(VIOLENCE.dutch(v) for v in r.violence) or "–"),
            ("Leefgebieden", ", ".join(DOMAIN.dutch(v) for v in r.domains) or "–"),
            ("Datum rapport", d(r.date)),
        ]
    )


def _verloop(r: ClosingReport) -> list[Block]:
    """The course through the regiekaart phases and through the stages."""
    return [
        Heading("Verloop: fasen van de regiekaart"),
        Table(
            ["Datum", "Fase", "Reden"],
            [
                [d(p.date), f"{p.phase}: {p.name}", REASONS_NL.get(p.reason, p.reason)]
                for p in r.phases
            ],
        ),
        Heading("Verloop: werkfasen"),
        Table(
            ["Datum", "Werkfase"], [[d(x.date), STAGES_NL.get(x.stage, x.stage)] for x in r.stages]
        ),
    ]


def _doelen_en_resultaat(r: ClosingReport) -> list[Block]:
    return [
        Heading("Doelen en resultaat"),
        Table(
            ["Doel", "Wie doet", "Resultaat", "Sinds"],
            [
                [g.goal, s(g.who), STATUS_NL.get(g.status, g.status), d(g.status_date)]
                for g in r.goals
            ],
            "Geen doelen vastgelegd.",
        ),
    ]


def _evaluaties(r: ClosingReport) -> list[Block]:
    """The meetings held, how risk and self-reliance went, and the count of contacts."""
    return [
        Heading("Evaluaties"),
        Table(
            ["Datum", "Risico (1-5)", "Zelfredzaamheid (1-5)", "Aanwezig", "Geweigerd"],
            [
                [
                    d(m.date) + (" (extra)" if m.extra else ""),
                    s(m.risk),
                    s(m.self_reliance),
                    str(m.attended),
                    ", ".join(m.refused) or "–",
                ]
                for m in r.meetings
            ],
            "Geen evaluaties gehouden.",
        ),
        Para(
            f"Veiligheidsrisico: {_course([x.risk for x in r.assessments.scores])}; "
            f"zelfredzaamheid: {_course([x.self_reliance for x in r.assessments.scores])}."
        ),
        Para(f"Contacten vastgelegd: {r.contacts}, waarvan veiligheidssignalen: {r.signals}."),
    ]


def _afsluiting(r: ClosingReport) -> list[Block]:
    """The two texts given when closing: why the case can close, and safety."""
    return [
        Heading("Afsluiting: waarom de casus kan sluiten"),
        _given_at_closing(r.summary),
        Heading("Veiligheid"),
        _given_at_closing(r.safety),
    ]


def _given_at_closing(text: str | None) -> Para:
    """A text the practitioner gives when closing, or a warning that it is still missing."""
    if text:
        return Para(text)
    return Para("Nog niet ingevuld: wordt vastgelegd bij het afsluiten.", "warning")
