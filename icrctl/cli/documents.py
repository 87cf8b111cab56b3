"""``icrctl werkplan``, ``icrctl report`` and ``icrctl eval report``: the documents a
practitioner sends."""

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from icrctl.cli.options import RefArg
from icrctl.cli.state import out, writing
from icrctl.i18n import _

if TYPE_CHECKING:
    from icrctl.services.agreements import Where

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


class Kind(StrEnum):
    md = "md"
    html = "html"


def write_meeting_report(
    ref: str,
    where: "Where",
    out_path: Path | None,
    kind: Kind | None,
    for_: str | None,
    internal: bool,
    force: bool,
) -> None:
    """``eval report``: every consenting partner's version, or one report."""
    if for_ == "all":
        _for_all(ref, where, _folder(out_path), (kind or Kind.html).value, force)
    else:
        _one_report(ref, where, out_path, kind, for_, internal, force)


def _folder(path: Path | None) -> Path:
    from icrctl.errors import InvalidValue

    if path is None or not path.is_dir():
        raise InvalidValue(
            _("--for all writes one file per partner: give --out an existing folder")
        )
    return path


def _for_all(ref: str, where: "Where", folder: Path, kind: str, force: bool) -> None:
    """One partner's version per consenting partner, named by the partner's key."""
    from icrctl.render.documents import render
    from icrctl.render.meeting_report import meeting_report_document
    from icrctl.services.meeting_report import report_name, reports_for_all, save_reports

    with writing() as (session, ctx):
        reports, skipped = reports_for_all(session, ctx, ref, where)
        files = [
            (r, folder / report_name(r, f".{kind}"), render(meeting_report_document(r), f".{kind}"))
            for r in reports
        ]
        save_reports(session, ctx, files, force=force)
    for r, path, _data in files:
        out().say(
            _("wrote the report for {partner} to {file}").format(partner=r.for_partner, file=path)
        )
    if skipped:
        out().warn(
            _("no report for {names}: the client has not consented to share information").format(
                names=", ".join(skipped)
            )
        )


def _one_report(
    ref: str,
    where: "Where",
    path: Path | None,
    kind: Kind | None,
    for_: str | None,
    internal: bool,
    force: bool,
) -> None:
    """One report: to send, for one partner, or the internal copy; to a file or printed."""
    from icrctl.render.documents import render
    from icrctl.render.meeting_report import meeting_report_document
    from icrctl.services.meeting_report import audit_shown, meeting_report, save_reports

    suffix = f".{kind.value}" if kind else (path.suffix if path else ".md")
    with writing() as (session, ctx):
        r = meeting_report(session, ctx, ref, where, for_, internal=internal)
        data = render(meeting_report_document(r), suffix)
        if path is None:
            audit_shown(session, ctx, r)
        else:
            save_reports(session, ctx, [(r, path, data)], force=force)
    if path is None:
        sys.stdout.write(data.decode())
    elif r.internal:
        out().say(
            _(
                "wrote the internal report of {ref} to {file} "
                "(with the note and the safety signals: not to send)"
            ).format(ref=r.ref, file=path)
        )
    else:
        out().say(_("wrote the report of {ref} to {file}").format(ref=r.ref, file=path))
