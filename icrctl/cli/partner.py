"""``icrctl partner``: the directory of partner professionals, and their links to cases."""

from typing import Annotated

import typer

from icrctl.cli.complete import partner_keys
from icrctl.cli.options import Format, FormatOption, RefArg
from icrctl.cli.state import out, reading, writing
from icrctl.domain.text import field_words
from icrctl.i18n import _, ngettext

app = typer.Typer(
    help="Partner professionals: a directory reused across cases, linked to cases "
    "with a role, consent and coordination.",
    no_args_is_help=True,
)

PartnerArg = Annotated[
    str, typer.Argument(help="The partner's key or exact name.", autocompletion=partner_keys)
]
Organisation = Annotated[str | None, typer.Option("--organisation", help="e.g. Veilig Thuis.")]
Kind = Annotated[
    str | None,
    typer.Option(
        "--kind",
        help="neighbourhood_team, veilig_thuis, police, youth_health, school, gp, "
        "mental_health, youth_protection, probation, therapist, … (or Dutch: wijkteam, …).",
    ),
]
Reachable = Annotated[
    str | None,
    typer.Option("--reachable", help="Days well reachable: mon,wed or ma t/m do (a range)."),
]


def _days(text: str | None) -> list[str] | None:
    return None if text is None else [d for d in text.split(",") if d.strip()]


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="The professional's name.")],
    organisation: Organisation = None,
    kind: Kind = None,
    key: Annotated[str | None, typer.Option("--key", help="Default: made from the name.")] = None,
    email: Annotated[str | None, typer.Option("--email")] = None,
    phone: Annotated[str | None, typer.Option("--phone")] = None,
    reachable: Reachable = None,
) -> None:
    """Add a professional to the directory."""
    from icrctl.services.partners import PartnerInput, add_partner

    data = PartnerInput(
        name=name,
        organisation=organisation,
        kind=kind,
        key=key,
        email=email,
        phone=phone,
        reachable=_days(reachable),
    )
    with writing() as (session, ctx):
        p = add_partner(session, ctx, data)
    out().say_with(
        _("added partner {key}: {name}, {organisation}"),
        "key",
        key=p.key,
        name=p.name,
        organisation=p.organisation,
    )


@app.command("edit")
def edit(
    partner: PartnerArg,
    name: Annotated[str | None, typer.Option("--name")] = None,
    organisation: Organisation = None,
    kind: Kind = None,
    email: Annotated[str | None, typer.Option("--email")] = None,
    phone: Annotated[str | None, typer.Option("--phone")] = None,
    reachable: Reachable = None,
) -> None:
    """Change a partner's directory entry (for every case they work on)."""
    from icrctl.services.partners import PartnerInput, edit_partner

    data = PartnerInput(
        name=name,
        organisation=organisation,
        kind=kind,
        email=email,
        phone=phone,
        reachable=_days(reachable),
    )
    with writing() as (session, ctx):
        p, changed = edit_partner(session, ctx, partner, data)
    if changed:
        out().say(_("updated {name}: {fields}").format(name=p.key, fields=field_words(changed)))
    else:
        out().say(_("{name}: nothing changed").format(name=p.key))


@app.command("list")
def list_(
    case: Annotated[
        str | None,
        typer.Option("--case", help="Only those linked to this case, with their role and consent."),
    ] = None,
    fmt: FormatOption = Format.table,
) -> None:
    """The directory, or the partners of one case."""
    from icrctl.render.tables import partners_table
    from icrctl.services.partners import list_partners

    with reading() as (session, _ctx):
        rows = list_partners(session, case)
    out().emit(rows, fmt.value, partners_table)


@app.command("link")
def link(
    ref: RefArg,
    partner: PartnerArg,
    role: Annotated[str | None, typer.Option("--role", help="Their role in this case.")] = None,
    consent: Annotated[
        bool | None,
        typer.Option(
            "--consent/--no-consent",
            help="Did the client consent to share information with "
            "them? Default for a new link: no.",
            show_default=False,
        ),
    ] = None,
    coordination: Annotated[
        str | None,
        typer.Option(
            "--coordination", help="Agreed coordination, e.g. '1x per 2 weken telefonisch'."
        ),
    ] = None,
) -> None:
    """Link a partner to a case (again: update the link)."""
    from icrctl.services.partners import link_partner

    with writing() as (session, ctx):
        p, created = link_partner(
            session, ctx, ref, partner, role=role, consent=consent, coordination=coordination
        )
    said = (
        _("linked {key} to {ref} (consent: {consent})")
        if created
        else _("updated link of {key} to {ref} (consent: {consent})")
    )
    out().say(said.format(key=p.key, ref=ref, consent=_("yes") if p.consent else _("no")))


@app.command("unlink")
def unlink(ref: RefArg, partner: PartnerArg) -> None:
    """Unlink a partner from a case (they also leave its evaluation series)."""
    from icrctl.services.partners import unlink_partner

    with writing() as (session, ctx):
        p, series = unlink_partner(session, ctx, ref, partner)
    if series:
        said = ngettext(
            "unlinked {key} from {ref}; removed from {count} evaluation series",
            "unlinked {key} from {ref}; removed from {count} evaluation series",
            series,
        )
    else:
        said = _("unlinked {key} from {ref}")
    out().say(said.format(key=p.key, ref=ref, count=series))
