"""The command line in the user's language.

Help texts are written in English in the command modules, as Typer wants them (``help=…`` and
docstrings); they are the catalogue's message ids. Before a command runs, :func:`start` chooses
the language and :func:`localize` puts the translated text into the click objects; click's and
Typer's own words (``Usage:``, ``Show this message and exit.``, their usage errors) are looked up
in the same catalogue (``icrctl.cli.click_words`` lists them).

A help text may hold ``{dates}``: the shared description of the date forms, translated once here.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import click

from icrctl import i18n
from icrctl.i18n import N_, N_plural, _

#: Shared pieces of help texts, by placeholder.
HELP_TERMS = {
    "dates": N_(
        "A date: 2026-11-24, 24-11-2026, today, tomorrow, yesterday, +3d, -2w, or a weekday."
    ),
}

#: The words of click and Typer that a user of icrctl meets: their help pages and usage errors.
#: They are looked up in our catalogue (:func:`_patch_click`); marked here so that it has them.
CLICK_WORDS = (
    N_("Usage:"), N_("Options"), N_("Arguments"), N_("Commands"), N_("Positional arguments"),
    N_("Show this message and exit."), N_("default: {default}"), N_("required"),
    N_("env var: {var}"), N_("(dynamic)"), N_("deprecated"), N_("Aborted!"),
    N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
    N_("Error: {message}"), N_("Try '{command} {option}' for help."),
    N_("Missing command."), N_("No such command {name!r}."), N_("No such option {name!r}."),
    N_("Missing argument"), N_("Missing option"), N_("Missing parameter"),
    N_("Missing {param_type}"), N_("Missing parameter: {param_name}"),
    N_("Invalid value: {message}"), N_("Invalid value for {param_hint}: {message}"),
    N_("Option {name!r} does not take a value."),
    N_("Argument {name!r} takes {nargs} values."),
    N_("{value!r} is not a valid {number_type}."), N_("{value} is not in the range {range}."),
    N_("{value!r} is not a valid boolean. Recognized values: {states}"),
    N_("file"), N_("directory"), N_("path"),
    N_("{name} {filename!r} does not exist."), N_("{name} {filename!r} is a file."),
    N_("{name} {filename!r} is a directory."), N_("{name} {filename!r} is not readable."),
    N_("{name} {filename!r} is not writable."), N_("Could not open file {filename!r}: {message}"),
    N_("Do you want to continue?"), N_("Error: invalid input"),
)  # fmt: skip
CLICK_PLURALS = (
    N_plural("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"),
    N_plural(
        "Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."
    ),
    N_plural("{value!r} is not {choice}.", "{value!r} is not one of {choices}."),
    N_plural("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"),
)

#: The placeholders of a usage line and of an option's value, by click's English.
METAVARS = {
    "text": N_("TEXT"), "integer": N_("INTEGER"), "path": N_("PATH"), "file": N_("FILE"),
    "float": N_("NUMBER"),
}  # fmt: skip
#: The placeholders of arguments in a usage line (``icrctl goal add REF DOEL`` in Dutch).
ARGUMENTS = {
    "DATE": N_("DATE"), "FILE": N_("FILE"), "GOAL": N_("GOAL"), "ITEMS": N_("ITEMS"),
    "KIND": N_("KIND"), "MEMBER": N_("MEMBER"), "NAME": N_("NAME"), "NEW_DATE": N_("NEW_DATE"),
    "NOTE": N_("NOTE"), "OTHER": N_("OTHER"), "PARTNER": N_("PARTNER"), "PHASE": N_("PHASE"),
    "STAGE": N_("STAGE"),
}  # fmt: skip
OPTIONS_METAVAR = N_("[OPTIONS]")
SUBCOMMAND_METAVAR = N_("COMMAND [ARGS]...")

_SOURCE = "_icrctl_english"
_patched = False


def requested(args: Sequence[str]) -> str | None:
    """The ``--lang`` among the root's options (those before the command's name), if any."""
    rest = iter(args)
    for arg in rest:
        if arg == "--lang":
            return next(rest, None)
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
        if arg == "--db":
            next(rest, None)
        elif arg == "--" or not arg.startswith("-"):
            return None
    return None


def start(root: click.Command, args: Sequence[str]) -> None:
    """Choose the language for this command line and speak it: in our own messages, in click's
    and Typer's, and in the help of ``root`` (its subcommands follow as they are loaded)."""
    try:
        language = i18n.choose(requested(args))
    except i18n.UnknownLanguage as exc:
        i18n.use(i18n.DEFAULT)
        text = _("{source} is {value!r}: icrctl speaks nl (Dutch) and en (English)")
        click.echo(_("error: {message}").format(message=text.format(**exc.facts)), err=True)
        sys.exit(2)
    i18n.use(language)
    _patch_click()
    localize(root)


def _patch_click() -> None:
    """Point click's and Typer's ``gettext`` at our catalogue (they look in the process-wide
    default domain otherwise, in a language of their own choosing)."""
    global _patched
    if _patched:
        return
    import gettext

    for name, module in list(sys.modules.items()):
        if not name.startswith(("click.", "typer.")) or module is None:
            continue
        if getattr(module, "_", None) is gettext.gettext:
            module._ = i18n._  # type: ignore[attr-defined]
        if getattr(module, "ngettext", None) is gettext.ngettext:
            module.ngettext = i18n.ngettext  # type: ignore[attr-defined]
    _patched = True


def translate_help(text: str | None) -> str | None:
    """A help text in the language in use, its ``{dates}`` filled in."""
    if not text:
        return text
    translated = _(text)
    if "{" not in translated:
        return translated
    return translated.format(**{key: _(value) for key, value in HELP_TERMS.items()})


def _set(obj: Any, attribute: str, translate: Any = translate_help) -> None:
    source: dict[str, Any] = obj.__dict__.setdefault(_SOURCE, {})
    if attribute not in source:
        source[attribute] = getattr(obj, attribute, None)
    setattr(obj, attribute, translate(source[attribute]))


def _argument_metavar(param: click.Argument) -> None:
    word = ARGUMENTS.get((param.name or "").upper())
    if word is None or param.nargs != 1:
        if word is not None:  # ITEMS...: click adds the dots only when it makes the name
            _set(param, "metavar", lambda original: original or _(word) + "...")
        return
    _set(param, "metavar", lambda original: original or _(word))


def _option_metavar(param: click.Option) -> None:
    """``--db TEKST`` in Dutch: the value's placeholder, where click would show its type's
    English name (choices, flags and our own placeholders stay as they are)."""
    word = METAVARS.get(param.type.name)
    if param.is_flag or word is None:
        return
    _set(param, "metavar", lambda original: original if original else _(word))


def localize(command: click.Command) -> click.Command:
    """Put the help of ``command``, its parameters and its subcommands in the language in use.
    The English stays beside it, so that the next command may choose again."""
    for attribute in ("help", "short_help", "epilog"):
        _set(command, attribute)
    if getattr(command, "suggest_commands", False):
        command.suggest_commands = False  # type: ignore[attr-defined]  # click suggests already
    if getattr(command, "_help_option", None) is not None:
        command._help_option = None  # click >= 8.2 keeps it, in the language it was made in
    _set(command, "options_metavar", lambda original: original and _(original))
    for param in command.params:
        if isinstance(param, click.Option) or hasattr(param, "help"):
            _set(param, "help")
        if isinstance(param, click.Option):
            _option_metavar(param)
        elif isinstance(param, click.Argument):
            _argument_metavar(param)
    if isinstance(command, click.Group):
        _set(command, "subcommand_metavar", lambda original: original and _(original))
        for sub in command.commands.values():
            localize(sub)
    return command
