"""``icrctl werkplan`` and ``icrctl report``: the documents a practitioner sends."""

from pathlib import Path
from typing import Annotated

import typer

from icrctl.cli.options import RefArg
from icrctl.cli.state import out, writing
from icrctl.i18n import _

OutFile = Annotated[Path, typer.Option("--out", "-o", help="FILE.md or FILE.html.")]
Force = Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")]


def werkplan(
    ref: RefArg,
    out_file: OutFile,
    for_: Annotated[
        str | None,
        typer.Option(
            "--for",
            help="The version to mail to this partner: "
            "plan only; refused without the client's consent.",
        ),
    ] = None,
    internal: Annotated[
        bool,
        typer.Option(
            "--internal",
            help="The practitioner's own full version, with the safety signals: not to send. "
            "Without it the werkplan holds nothing internal.",
        ),
    ] = False,
    force: Force = False,
) -> None:
    """Write the werkplan to send: members, partners and network, agreements, goals."""
    from icrctl.render.documents import render
    from icrctl.render.plans import werkplan_document
    from icrctl.services.documents import save_document
    from icrctl.services.documents import werkplan as gather

    with writing() as (session, ctx):
        plan = gather(session, ctx, ref, for_, internal=internal)
        data = render(werkplan_document(plan), out_file.suffix)
        save_document(
            session,
            ctx,
            plan.ref,
            "werkplan",
            out_file,
            data,
            force=force,
            addressee=plan.for_partner,
            internal=plan.internal,
        )
    if plan.internal:
        wrote = _(
            "wrote the internal werkplan of {ref} to {file} (with the safety signals: not to send)"
        )
    else:
        wrote = _("wrote the werkplan of {ref} to {file}")
    out().say(wrote.format(ref=plan.ref, file=out_file))


def report(ref: RefArg, out_file: OutFile, force: Force = False) -> None:
    """Write the closing report (eindrapport): the process, goals, evaluations, safety."""
    from icrctl.render.documents import render
    from icrctl.render.plans import report_document
    from icrctl.services.documents import closing_report, save_document

    with writing() as (session, ctx):
        r = closing_report(session, ctx, ref)
        data = render(report_document(r), out_file.suffix)
        save_document(session, ctx, r.ref, "closing_report", out_file, data, force=force)
    if r.closed:
        wrote = _("wrote the closing report of {ref} to {file}")
    else:
        wrote = _("wrote the closing report of {ref} to {file} (a draft: the case is not closed)")
    out().say(wrote.format(ref=r.ref, file=out_file))
