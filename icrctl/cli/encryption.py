"""``encrypt``, ``decrypt`` and ``passphrase``: an encrypted case file (SQLCipher)."""

from pathlib import Path
from typing import Annotated

import typer

from icrctl.cli.state import confirm, out, state, writing
from icrctl.i18n import _

app = typer.Typer(help="The passphrase of an encrypted case file: change, forget.")


def _case_file_path() -> Path:
    """The SQLite case file; a team database's encryption is its server's business."""
    from icrctl.errors import InvalidValue
    from icrctl.settings import resolve_case_file, sqlite_path

    path = sqlite_path(resolve_case_file(state().db))
    if path is None:
        raise InvalidValue(
            _(
                "encryption works on an SQLite case file; a team database is encrypted by its "
                "server (disk encryption, TLS), not by icrctl"
            )
        )
    return path


def _record(action: str) -> None:
    from icrctl.services import audit

    with writing() as (session, ctx):
        audit.record(session, ctx, action, "case_file", None, [])


def encrypt(
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask.")] = False,
) -> None:
    """Encrypt the case file in place; its plain copies are overwritten and removed."""
    from icrctl.db import cipher, encryption, passphrase

    path = _case_file_path()
    if cipher.kind(path) == "encrypted":
        _remove_plain_copies(path, yes)
        return
    state().case_file()  # a sound, current case file: opened (and migrated) first
    state().release()
    cipher.sqlcipher()
    copies = encryption.plain_copies(path)
    confirm(
        _(
            "Encrypt {path}? Its plain contents and {count} plain automatic backups or restore "
            "points are overwritten and removed."
        ).format(path=path, count=len(copies)),
        yes,
    )
    key = passphrase.new_key()
    encryption.encrypt(path, key)
    passphrase.remember(key)
    passphrase.save_in_keyring(key)
    for copy in copies:
        cipher.wipe(copy)
    _record("encrypt")
    out().say(
        _("encrypted {path}; removed {count} plain copies").format(path=path, count=len(copies))
    )
    out().warn(_("copies made elsewhere (backups to other folders, exports) are still plain"))


def _remove_plain_copies(path: Path, yes: bool) -> None:
    """An encrypted file whose plain copies survived (an encrypt interrupted after its swap)."""
    from icrctl.db import cipher, encryption
    from icrctl.errors import Conflict

    copies = encryption.plain_copies(path)
    if not copies:
        raise Conflict(_("{path} is encrypted already").format(path=path))
    confirm(
        _("{path} is encrypted; overwrite and remove its {count} plain copies?").format(
            path=path, count=len(copies)
        ),
        yes,
    )
    for copy in copies:
        cipher.wipe(copy)
    out().say(_("removed {count} plain copies of {path}").format(path=path, count=len(copies)))


def decrypt(
    out_file: Annotated[Path, typer.Option("--out", "-o", help="The plain copy to write.")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a plain copy of the encrypted case file (mode 0600); the case file stays encrypted."""
    from icrctl.db import cipher, encryption, passphrase
    from icrctl.errors import InvalidValue
    from icrctl.io.files import refuse_existing

    path = _case_file_path()
    if cipher.kind(path) != "encrypted":
        raise InvalidValue(_("{path} is not encrypted").format(path=path))
    refuse_existing(out_file, force=force)
    if out_file.expanduser().resolve() == path.resolve():
        raise InvalidValue(_("the plain copy cannot replace the case file itself"))
    state().case_file()  # unlocked, sound and current
    state().release()
    encryption.decrypt(path, out_file.expanduser(), passphrase.unlock(path))
    _record("decrypt")
    out().say(_("wrote a plain copy of {path} to {file}").format(path=path, file=out_file))
    out().warn(
        _("{file} is not encrypted: keep it safe and remove it when done").format(file=out_file)
    )


@app.command("change")
def change() -> None:
    """Choose a new passphrase (re-encrypts every page). Earlier backups keep the old one."""
    from icrctl.db import backups, encryption, passphrase

    path = _encrypted_path()
    state().case_file()
    state().release()
    old = passphrase.unlock(path)
    new = passphrase.new_key(changing=True, salt=old.salt)
    encryption.change_key(path, old, new)
    passphrase.forget()
    passphrase.remember(new)
    passphrase.save_in_keyring(new)
    _record("passphrase")
    out().say(_("changed the passphrase of {path}").format(path=path))
    if backups.automatic_backups(path):
        out().warn(_("backups made before still open with the old passphrase only"))


@app.command("forget")
def forget() -> None:
    """Remove the case file's key from the OS keyring: the passphrase is asked again."""
    from icrctl.db import cipher, passphrase

    path = _encrypted_path()
    removed = passphrase.forget_in_keyring(cipher.salt_of(path))
    if removed:
        out().say(_("removed the key of {path} from the keyring").format(path=path))
    else:
        out().say(_("the keyring holds no key of {path}").format(path=path))


def _encrypted_path() -> Path:
    from icrctl.db import cipher
    from icrctl.errors import InvalidValue

    path = _case_file_path()
    if cipher.kind(path) != "encrypted":
        raise InvalidValue(
            _("{path} is not encrypted; encrypt it with 'icrctl encrypt'").format(path=path)
        )
    return path
