"""``icrctl genogram``: the family drawn, for the practitioner's own file."""

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from icrctl.cli.options import RefArg
from icrctl.cli.state import out, writing
from icrctl.i18n import _


class Picture(StrEnum):
    dot = "dot"
    svg = "svg"
    png = "png"


def genogram(
    ref: RefArg,
    out_file: Annotated[Path, typer.Option("--out", "-o", help="FILE.svg, FILE.png or FILE.dot.")],
    kind: Annotated[
        Picture | None,
        typer.Option(
            "--format",
            "-f",
            help="dot, svg or png (default: the file's suffix).",
            case_sensitive=False,
            show_default=False,
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Draw the genogram of a case: generations, couples, children, the household, violence.
    It holds names: an internal document, not to send. SVG and PNG need Graphviz; without it the
    DOT file is written beside the file asked for, and the exit status is 3."""
    from icrctl.errors import ProgramMissing
    from icrctl.render.genogram import format_of, missing_message, picture
    from icrctl.services.documents import save_document
    from icrctl.services.genogram import genogram_of

    form = format_of(out_file.suffix, kind.value if kind else None)
    with writing() as (session, ctx):
        drawing = genogram_of(session, ctx, ref)
        data, drawn = picture(drawing, form)
        target = out_file if drawn else out_file.with_suffix(".dot")
        save_document(
            session, ctx, drawing.ref, "genogram", target, data, force=force, internal=True
        )
    out().say(_("wrote the genogram of {ref} to {file}").format(ref=drawing.ref, file=target))
    if not drawn:
        raise ProgramMissing(missing_message(form))
