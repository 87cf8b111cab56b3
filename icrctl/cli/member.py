"""``icrctl member``: the people of the family system."""

from typing import Annotated

import typer

from icrctl.cli.complete import member_keys
from icrctl.cli.options import Format, FormatOption, RefArg
from icrctl.cli.state import day, out, reading, writing
from icrctl.domain.text import field_words
from icrctl.domain.vocabulary import ROLE
from icrctl.i18n import _, ngettext

app = typer.Typer(
    help="Members of a case: victims and perpetrators, children, ex-partners, "
    "grandparents, family, network.",
    no_args_is_help=True,
)

MemberArg = Annotated[
    str, typer.Argument(help="The member's key (m1) or exact name.", autocompletion=member_keys)
]
Role = Annotated[
    str | None,
    typer.Option(
        "--role",
        help="victim, perpetrator, both, child, ex_partner, grandparent, family or network "
        "(or Dutch: slachtoffer, pleger, kind, oma, …).",
    ),
]
Born = Annotated[
    str | None, typer.Option("--born", help="Date of birth: 2014-03-01 or 01-03-2014.")
]
Phone = Annotated[str | None, typer.Option("--phone")]
Deceased = Annotated[
    bool | None,
    typer.Option(
        "--deceased/--alive",
        help="Has died (the genogram crosses the person out); --alive undoes it.",
        show_default=False,
    ),
]
Email = Annotated[str | None, typer.Option("--email")]


@app.command("add")
def add(
    ref: RefArg,
    name: Annotated[str, typer.Argument(help="Full name.")],
    role: Role = None,
    key: Annotated[
        str | None,
        typer.Option("--key", help="Default: the next m1, m2, … (never one given before)."),
    ] = None,
    born: Born = None,
    outside: Annotated[
        bool, typer.Option("--outside-household", help="Lives outside the household.")
    ] = False,
    phone: Phone = None,
    email: Email = None,
    deceased: Deceased = None,
) -> None:
    """Add a member to a case."""
    from icrctl.services.members import MemberInput, add_member

    data = MemberInput(
        name=name,
        role=role,
        key=key,
        born=day(born),
        household=not outside,
        phone=phone,
        email=email,
        deceased=deceased,
    )
    with writing() as (session, ctx):
        m = add_member(session, ctx, ref, data)
    out().say_with(
        _("added {key} {name} ({role}) to {ref}"),
        "key",
        key=m.key,
        name=m.name,
        role=ROLE.label(m.role),
        ref=ref,
    )


@app.command("list")
def list_(ref: RefArg, fmt: FormatOption = Format.table) -> None:
    """The members of a case."""
    from icrctl.render.tables import members_table
    from icrctl.services.access import log_access
    from icrctl.services.members import list_members

    with reading(logged=True) as (session, ctx):
        rows = list_members(session, ref)
        log_access(session, ctx, "member", [ref])
    out().emit(rows, fmt.value, members_table)


@app.command("edit")
def edit(
    ref: RefArg,
    member: MemberArg,
    name: Annotated[str | None, typer.Option("--name")] = None,
    role: Role = None,
    born: Born = None,
    household: Annotated[
        bool | None,
        typer.Option(
            "--household/--outside-household",
            help="Lives in the household or not.",
            show_default=False,
        ),
    ] = None,
    phone: Phone = None,
    email: Email = None,
    deceased: Deceased = None,
) -> None:
    """Change a member's details (an empty --phone or --email clears it)."""
    from icrctl.services.members import MemberInput, edit_member

    data = MemberInput(
        name=name,
        role=role,
        born=day(born),
        household=household,
        phone=phone,
        email=email,
        deceased=deceased,
    )
    with writing() as (session, ctx):
        m, changed = edit_member(session, ctx, ref, member, data)
    if changed:
        out().say(_("updated {name}: {fields}").format(name=m.key, fields=field_words(changed)))
    else:
        out().say(_("{name}: nothing changed").format(name=m.key))


@app.command("relate")
def relate(
    ref: RefArg,
    member: MemberArg,
    kind: Annotated[
        str,
        typer.Argument(
            help="partner, ex_partner, parent_of, sibling, married, divorced or violent_towards "
            "(or Dutch: ouder_van, moeder_van, getrouwd, gescheiden, geweld_tegen, …)."
        ),
    ],
    other: MemberArg,
) -> None:
    """Record how two members are related (what a genogram draws)."""
    from icrctl.services.members import relate as relate_members

    with writing() as (session, ctx):
        said = relate_members(session, ctx, ref, member, kind, other)
    out().say(f"{ref}: {said}")


@app.command("remove")
def remove(ref: RefArg, member: MemberArg) -> None:
    """Remove a member entered by mistake (one with meeting or contact history stays)."""
    from icrctl.services.members import remove_member

    with writing() as (session, ctx):
        m = remove_member(session, ctx, ref, member)
    out().say(_("removed {key} {name} from {ref}").format(key=m.key, name=m.name, ref=ref))


@app.command("forget")
def forget(
    ref: RefArg,
    member: MemberArg,
    reason: Annotated[
        str,
        typer.Option(
            "--reason",
            "-r",
            help="Why (GDPR art. 17); kept in the audit log, so it must not name the person.",
        ),
    ],
    yes: Annotated[
        bool, typer.Option("--yes", help="Do not ask before deleting a restore point.")
    ] = False,
) -> None:
    """Erase a person: the member, their relations, attendance and contact links, and their
    name, phone and e-mail wherever stored text mentions them. No trace stays in the file."""
    from icrctl.cli.erasing import report_copies, restore_points_question
    from icrctl.cli.state import confirm, state
    from icrctl.services.erasure import forget_member, forget_tables

    case_file = state().case_file()
    points = case_file.restore_points()
    if points:
        confirm(restore_points_question(points), yes)
    with writing() as (session, ctx):
        gone = forget_member(session, ctx, ref, member, reason)
    erased, done = case_file.compact(forget_tables(), points)
    out().say(
        ngettext(
            "erased {key} from {ref}; {count} text redacted",
            "erased {key} from {ref}; {count} texts redacted",
            gone.texts_redacted,
        ).format(key=gone.key, ref=gone.ref, count=gone.texts_redacted)
    )
    if erased.backups:
        out().say(
            ngettext(
                "removed {count} automatic backup that still held the person",
                "removed {count} automatic backups that still held the person",
                erased.backups,
            ).format(count=erased.backups)
        )
    report_copies(erased, done)
    out().warn(
        _("copies made with 'icrctl backup' or 'icrctl export' still hold them: erase those too")
    )
    if not case_file.is_sqlite:
        from icrctl.db.server import SERVER_KEEPS

        out().warn(_(SERVER_KEEPS))
