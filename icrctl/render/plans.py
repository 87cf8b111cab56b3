"""The werkplan (template: docs/domain.md) and the closing report, as documents in Dutch."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from icrctl.domain.trend import trend
from icrctl.domain.vocabulary import DOMAIN, VIOLENCE
from icrctl.render.documents import Document, Facts, Heading, Para, Table

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


def werkplan_document(plan: Werkplan) -> Document:
    blocks: list[Heading | Para | Table | Facts] = [
        Facts(
            [
                ("Naam", plan.title),
                ("Casus", plan.ref),
                ("Datum", d(plan.date)),
                ("Casusregisseur", s(plan.regisseur)),
                ("Fase regiekaart", f"{plan.phase}: {plan.phase_name}"),
                ("Werkfase", STAGES_NL.get(plan.stage, plan.stage)),
            ]
        ),
    ]
    if plan.for_partner:
        blocks.append(
            Para(
                "Versie voor een ketenpartner: alleen het plan, zonder "
                "contactverslagen of signalen.",
                "note",
            )
        )
    blocks += [
        Heading("Gezinsleden"),
        Table(
            ["Naam", "Rol", "Geboren", "In huishouden"],
            [
                [m.name, ROLES_NL.get(m.role, m.role), d(m.born), "ja" if m.household else "nee"]
                for m in plan.members
            ],
            "Nog geen gezinsleden vastgelegd.",
        ),
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
    agreements = [[p.name, p.coordination or "–"] for p in plan.people if p.coordination]
    blocks += [
        Heading("Afspraken over afstemming"),
        Table(["Met", "Afspraak"], agreements, "Nog geen afspraken over afstemming."),
    ]
    blocks += [Para(rhythm_nl(r)) for r in plan.rhythm] or [
        Para("Nog geen vaste evaluatiemomenten gepland.", "note")
    ]
    blocks += [
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
    if plan.signals:
        blocks += [
            Heading("Veiligheidssignalen (intern, niet voor verspreiding)"),
            Table(
                ["Datum", "Soort", "Notitie"],
                [[d(c.date), CONTACTS_NL.get(c.kind, c.kind), c.note] for c in plan.signals],
            ),
        ]
    return Document(f"Werkplan {plan.title}", list(blocks))


def report_document(r: ClosingReport) -> Document:
    title = f"Eindrapport {r.title}" + ("" if r.closed else " (concept: casus nog niet afgesloten)")
    blocks: list[Heading | Para | Table | Facts] = [
        Facts(
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
        ),
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
        Heading("Doelen en resultaat"),
        Table(
            ["Doel", "Wie doet", "Resultaat", "Sinds"],
            [
                [g.goal, s(g.who), STATUS_NL.get(g.status, g.status), d(g.status_date)]
                for g in r.goals
            ],
            "Geen doelen vastgelegd.",
        ),
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
        Heading("Afsluiting: waarom de casus kan sluiten"),
        Para(
            r.summary or "Nog niet ingevuld: wordt vastgelegd bij het afsluiten.",
            "" if r.summary else "warning",
        ),
        Heading("Veiligheid"),
        Para(
            r.safety or "Nog niet ingevuld: wordt vastgelegd bij het afsluiten.",
            "" if r.safety else "warning",
        ),
    ]
    return Document(title, list(blocks))
