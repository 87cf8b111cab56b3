"""Where the case file really is: a name is opened as exactly that file (``?``, ``#``, ``%41``,
spaces, non-ASCII, ``~``), symlinks are followed before the folder is checked, and the file and
its side files are private (tightened on opening, reported by ``doctor``)."""

from __future__ import annotations

import os
import sqlite3
import stat
import string
import tempfile
from pathlib import Path

import click
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from icrctl.db import location
from icrctl.db.engine import CaseFile
from icrctl.db.location import sqlite_uri
from tests.helpers import FAMILY_REF, Run, command, copy_case_file, error_line, family_file

pytestmark = pytest.mark.sqlite_only(
    reason="the SQLite file itself: how its name is opened, symlinks, its folder and modes"
)

SECRET = "Familie Geheim"

#: Names that a URL or SQLite's URI syntax would read as something else.
NAMES = [
    "q?x.db",
    "q?mode=memory.db",
    "h#x.db",
    "a%41b.db",
    "%3F.db",
    "with space.db",
    "zoë José-María.db",
    "x.db?cache=shared",
    "file:x.db",
]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def private_folder(path: Path) -> Path:
    path.mkdir(mode=0o700, parents=True)
    path.chmod(0o700)
    return path


def refs_in(path: Path) -> list[str]:
    """The case refs the SQLite file at exactly ``path`` holds, read with its plain name."""
    con = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        return [r[0] for r in con.execute("SELECT ref FROM cases ORDER BY ref")]
    finally:
        con.close()


def names(folder: Path) -> set[str]:
    """What lies in ``folder``, the side files SQLite leaves for a moment aside."""
    return {p.name for p in folder.iterdir() if not p.name.endswith(("-wal", "-shm"))}


# --- a name is a name -------------------------------------------------------------------------


def test_a_question_mark_in_the_environment_opens_that_file(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The attack: ``ICRCTL_DB=/…/q?x.db`` wrote the case into a new file ``q`` (0644) while the
    checks ran on ``q?x.db``."""
    folder = private_folder(tmp_path / "cases")
    target = folder / "q?x.db"
    monkeypatch.setenv("ICRCTL_DB", str(target))
    run("case", "create", "GO-1", "--title", SECRET)
    assert names(folder) == {"q?x.db"}, "no file 'q' beside it"
    assert refs_in(target) == ["GO-1"]
    assert mode(target) == 0o600
    assert [c["title"] for c in run("case", "list", "-f", "json").json()] == [SECRET]


@pytest.mark.parametrize("name", NAMES)
def test_every_name_opens_exactly_that_file(run: Run, tmp_path: Path, name: str) -> None:
    folder = private_folder(tmp_path / "cases")
    target = folder / name
    run("--db", str(target), "case", "create", "GO-1", "--title", SECRET)
    assert names(folder) == {name}
    assert refs_in(target) == ["GO-1"]
    assert mode(target) == 0o600


def test_percent_41_is_not_the_letter_a(run: Run, tmp_path: Path) -> None:
    folder = private_folder(tmp_path / "cases")
    (folder / "aAb.db").touch(mode=0o600)
    run("--db", str(folder / "a%41b.db"), "case", "create", "GO-1", "--title", SECRET)
    assert (folder / "aAb.db").stat().st_size == 0, "aAb.db was not to be touched"
    assert refs_in(folder / "a%41b.db") == ["GO-1"]


def test_a_leading_tilde_is_the_home_folder(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = private_folder(tmp_path / "home")
    elsewhere = private_folder(tmp_path / "cwd")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(elsewhere)
    run("--db", "~/cases/a?b.db", "case", "create", "GO-1", "--title", SECRET)
    run("--db", "sqlite:///~/cases/url.db", "case", "create", "GO-2", "--title", SECRET)
    assert refs_in(home / "cases" / "a?b.db") == ["GO-1"]
    assert refs_in(home / "cases" / "url.db") == ["GO-2"]
    assert list(elsewhere.iterdir()) == [], "no folder named '~' in the working folder"


def test_the_url_form_decodes_percent_escapes_as_sqlalchemy_did(run: Run, tmp_path: Path) -> None:
    folder = private_folder(tmp_path / "cases")
    run("--db", f"sqlite:///{folder}/q%3Fx%20y.db", "case", "create", "GO-1", "--title", SECRET)
    assert names(folder) == {"q?x y.db"}
    assert refs_in(folder / "q?x y.db") == ["GO-1"]


@pytest.mark.parametrize("query", ["?x.db", "?mode=memory", "?timeout=5"])
def test_options_in_the_url_form_are_refused_not_dropped(
    run: Run, tmp_path: Path, query: str
) -> None:
    folder = private_folder(tmp_path / "cases")
    line = error_line(run("--db", f"sqlite:///{folder}/q{query}", "case", "list", ok=False))
    assert "takes no options after '?'" in line
    assert "%3F" in line
    assert names(folder) == set()


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///", "sqlite+pysqlite:///x.db"])
def test_an_sqlite_url_without_a_file_is_refused(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    """An in-memory case file would lose everything at the end of the command."""
    monkeypatch.chdir(tmp_path)
    line = error_line(run("--db", url, "case", "create", "GO-1", "--title", SECRET, ok=False))
    assert "sqlite:///PATH" in line
    assert list(tmp_path.iterdir()) == []


FILE_NAME = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="/\x00"),
    min_size=1,
    max_size=40,
).filter(lambda s: s not in (".", "..") and len(os.fsencode(s)) < 200)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=FILE_NAME | st.sampled_from(NAMES), extra=st.sampled_from(["", "?", "#", "%2F"]))
def test_the_uri_names_exactly_the_file(tmp_path: Path, name: str, extra: str) -> None:
    """Any name a folder can hold: SQLite opens that file, and nothing else is made."""
    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    path = folder / (name + extra)
    con = sqlite3.connect(sqlite_uri(path), uri=True)
    try:
        con.execute("CREATE TABLE t (x)")
        con.commit()
        opened = con.execute("PRAGMA database_list").fetchone()[2]
    finally:
        con.close()
    assert opened == str(path)
    assert sorted(os.listdir(folder)) == [path.name]
    read = sqlite3.connect(sqlite_uri(path, mode="ro"), uri=True)
    try:
        assert read.execute("SELECT name FROM sqlite_master").fetchall() == [("t",)]
    finally:
        read.close()
    assert location.uri_path(sqlite_uri(path)) == str(path)


def test_a_file_opened_elsewhere_than_checked_is_refused(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Should the URI ever name another file again, ``PRAGMA database_list`` catches it before
    a single row is written."""
    from icrctl.db import engine

    monkeypatch.setattr(engine, "sqlite_uri", lambda path: f"file:{path}")  # the old way
    folder = private_folder(tmp_path / "cases")
    target = folder / "q?x.db"
    line = error_line(
        run("--db", str(target), "case", "create", "GO-1", "--title", SECRET, ok=False)
    )
    assert line == (
        f"error: the case file {target} was opened as {folder / 'q'}, another file; nothing "
        "was changed"
    )
    con = sqlite3.connect(folder / "q")
    assert con.execute("SELECT count(*) FROM sqlite_master").fetchone() == (0,)
    con.close()


def test_backup_doctor_erasure_and_completion_use_the_same_file(run: Run, tmp_path: Path) -> None:
    folder = private_folder(tmp_path / "cases")
    target = folder / "q?x #1.db"
    copy_case_file(family_file(), target)
    db = ("--db", str(target))
    run(*db, "backup", str(tmp_path / "copy?.db"))
    assert refs_in(tmp_path / "copy?.db") == [FAMILY_REF]
    assert "file modes" in run(*db, "doctor").stdout
    run(*db, "member", "forget", FAMILY_REF, "m2", "--reason", "verzoek betrokkene")
    ctx = click.Context(command())
    ctx.params = {"db": str(target)}
    from icrctl.cli.complete import case_refs

    assert case_refs(ctx, "GO") == [FAMILY_REF]
    assert names(folder) - {"backups"} == {"q?x #1.db"}
    assert {p.name for p in tmp_path.iterdir()} == {"cases", "copy?.db"}


# --- symlinks ---------------------------------------------------------------------------------


@pytest.fixture
def open_folder(tmp_path: Path) -> Path:
    """A folder anybody may write to (a shared or temporary folder)."""
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(0o777)
    return folder


def test_a_symlink_to_a_file_in_an_open_folder_is_refused(
    run: Run, tmp_path: Path, open_folder: Path
) -> None:
    """The attack: ``~/cases/caseload.db`` a link to ``/srv/open/real.db`` was accepted, the check
    having looked at ``~/cases``."""
    mine = private_folder(tmp_path / "mine")
    (mine / "caseload.db").symlink_to(open_folder / "real.db")
    line = error_line(run("--db", str(mine / "caseload.db"), "case", "list", ok=False))
    assert line == (
        f"error: the folder {open_folder} can be written by others; keep the case file in a "
        "private folder (mode 0700)"
    )
    assert list(open_folder.iterdir()) == [], "nothing was made at the link's target"


def test_an_existing_file_behind_a_symlink_is_refused_too(
    run: Run, tmp_path: Path, open_folder: Path
) -> None:
    real = open_folder / "real.db"
    copy_case_file(family_file(), real)
    before = real.read_bytes()
    mine = private_folder(tmp_path / "mine")
    (mine / "caseload.db").symlink_to(real)
    line = error_line(run("--db", str(mine / "caseload.db"), "case", "list", ok=False))
    assert str(open_folder) in line
    assert real.read_bytes() == before


def test_a_symlinked_folder_is_checked_where_it_leads(
    run: Run, tmp_path: Path, open_folder: Path
) -> None:
    mine = private_folder(tmp_path / "mine")
    (mine / "cases").symlink_to(open_folder, target_is_directory=True)
    line = error_line(run("--db", str(mine / "cases" / "caseload.db"), "case", "list", ok=False))
    assert f"the folder {open_folder} can be written by others" in line
    assert list(open_folder.iterdir()) == []


def test_a_link_lying_in_an_open_folder_is_refused(
    run: Run, tmp_path: Path, open_folder: Path
) -> None:
    """Whoever may write beside the link may point it elsewhere."""
    real = private_folder(tmp_path / "mine") / "caseload.db"
    (open_folder / "caseload.db").symlink_to(real)
    line = error_line(run("--db", str(open_folder / "caseload.db"), "case", "list", ok=False))
    assert f"the folder {open_folder} can be written by others" in line
    assert not real.exists()


def test_every_link_on_the_way_is_checked(run: Run, tmp_path: Path, open_folder: Path) -> None:
    """mine/caseload.db → open/hop.db → real/caseload.db: whoever writes in ``open`` could
    point the middle link elsewhere."""
    real = private_folder(tmp_path / "real") / "caseload.db"
    (open_folder / "hop.db").symlink_to(real)
    link = private_folder(tmp_path / "mine") / "caseload.db"
    link.symlink_to(Path("..") / open_folder.name / "hop.db")
    line = error_line(run("--db", str(link), "case", "list", ok=False))
    assert f"the folder {open_folder} can be written by others" in line
    assert not real.exists()


def test_a_symlink_to_a_private_file_is_followed(run: Run, tmp_path: Path) -> None:
    real = private_folder(tmp_path / "real") / "caseload.db"
    link = private_folder(tmp_path / "mine") / "caseload.db"
    link.symlink_to(real)
    run("--db", str(link), "case", "create", "GO-1", "--title", SECRET)
    assert link.is_symlink()
    assert refs_in(real) == ["GO-1"]
    assert mode(real) == 0o600
    assert [p.name for p in link.parent.iterdir()] == ["caseload.db"]


# --- modes ------------------------------------------------------------------------------------


@pytest.fixture
def case_file(tmp_path: Path) -> Path:
    target = private_folder(tmp_path / "cases") / "caseload.db"
    copy_case_file(family_file(), target)
    return target


class Reader:
    """Another program that has the case file open: while it is, ``-wal`` and ``-shm`` stay."""

    def __init__(self, path: Path) -> None:
        self.con = sqlite3.connect(path, isolation_level=None)
        self.con.execute("PRAGMA journal_mode = WAL")
        self.con.execute("SELECT count(*) FROM cases").fetchall()

    def close(self) -> None:
        self.con.close()


@pytest.mark.parametrize("before", [0o644, 0o660, 0o666, 0o604, 0o640])
def test_a_case_file_open_to_others_is_made_private_once(
    run: Run, case_file: Path, before: int
) -> None:
    reader = Reader(case_file)
    try:
        sides = [case_file.with_name(case_file.name + s) for s in ("-wal", "-shm")]
        for path in (case_file, *sides):
            path.chmod(before)
        result = run("--db", str(case_file), "case", "list")
        listed = ", ".join(f"{p} {before:04o}" for p in (case_file, *sides))
        assert result.stderr.splitlines() == [
            f"warning: the case file was open to others ({listed}); made private: only you "
            "have access now"
        ]
        assert [mode(p) for p in (case_file, *sides)] == [0o600] * 3
        assert run("--db", str(case_file), "case", "list").stderr == "", "said once"
    finally:
        reader.close()


def test_the_notice_is_in_dutch_too(run: Run, case_file: Path) -> None:
    case_file.chmod(0o644)
    result = run("--lang", "nl", "--db", str(case_file), "case", "list")
    assert result.stderr.splitlines() == [
        f"waarschuwing: het casusbestand was open voor anderen ({case_file} 0644); privé "
        "gemaakt: alleen jij kunt er nu bij"
    ]


def test_new_side_files_are_private_whatever_the_umask(tmp_path: Path) -> None:
    target = private_folder(tmp_path / "cases") / "caseload.db"
    copy_case_file(family_file(), target)
    target.chmod(0o644)
    old = os.umask(0)
    try:
        cf = CaseFile(str(target))
        try:
            with cf.write() as session:
                session.execute(text("UPDATE cases SET title = 'x'"))
                session.flush()
                sides = [p for p in target.parent.iterdir() if p.name.endswith(("-wal", "-shm"))]
                assert sides, "a writer in WAL mode keeps -wal and -shm beside the file"
                assert {p.name: mode(p) for p in sides} == {p.name: 0o600 for p in sides}
        finally:
            cf.dispose()
    finally:
        os.umask(old)
    assert mode(target) == 0o600


def test_a_folder_its_group_may_write_is_warned_about(run: Run, case_file: Path) -> None:
    case_file.parent.chmod(0o775)
    result = run("--db", str(case_file), "case", "list")
    [line] = result.stderr.splitlines()
    assert line.startswith(f"warning: the folder {case_file.parent} can be written by its group")
    assert f"'chmod 700 {case_file.parent}'" in line
    assert mode(case_file.parent) == 0o775, "the user's folder is the user's to change"


# --- doctor -----------------------------------------------------------------------------------


def modes_rows(stdout: str) -> list[str]:
    return [" ".join(line.split()) for line in stdout.splitlines() if "file modes" in line]


def test_doctor_reports_modes_and_changes_none(run: Run, case_file: Path) -> None:
    reader = Reader(case_file)
    try:
        # A full -wal: SQLite itself gives an empty one the case file's mode when it opens it.
        run("--db", str(case_file), "case", "create", "GO-2", "--title", SECRET)
        wal = case_file.with_name(case_file.name + "-wal")
        assert wal.stat().st_size
        case_file.chmod(0o644)
        wal.chmod(0o660)
        result = run("--db", str(case_file), "doctor", ok=False)
        assert result.exit_code == 1
        [row] = modes_rows(result.stdout)
        assert "PROBLEM" in row
        assert (mode(case_file), mode(wal)) == (0o644, 0o660), "doctor only reports"
    finally:
        reader.close()
    from icrctl.services.doctor import examine

    [finding] = [f for f in examine(case_file).findings if f.check == "file modes"]
    assert not finding.ok
    assert finding.detail == f"open to others: {case_file} 0644"
    assert finding.advice == "the next icrctl command makes them private (only you have access)"


def test_doctor_reports_open_folders_behind_a_link(
    tmp_path: Path, case_file: Path, open_folder: Path
) -> None:
    from icrctl.services.doctor import examine

    link = open_folder / "caseload.db"
    link.symlink_to(case_file)
    case_file.parent.chmod(0o770)
    found = [(f.ok, f.detail, f.advice) for f in examine(link).findings if f.check == "file modes"]
    assert found == [
        (
            False,
            f"others can write in the folder {open_folder} (0777)",
            "keep the case file in a private folder (mode 0700)",
        ),
        (
            False,
            f"its group can write in the folder {case_file.parent} (0770)",
            f"make the folder private with 'chmod 700 {case_file.parent}'",
        ),
    ]
    assert examine(link).location == str(case_file)


def test_doctor_says_a_private_file_is_private(case_file: Path) -> None:
    from icrctl.services.doctor import examine

    [finding] = [f for f in examine(case_file).findings if f.check == "file modes"]
    assert (finding.ok, finding.detail) == (True, "private: the file 0600, its folder 0700")


def test_file_names_stay_within_the_quoting_alphabet() -> None:
    """The URI keeps letters, digits and ``/_.-~`` as they are and escapes everything else."""
    uri = sqlite_uri(Path("/" + string.printable.replace("/", "").replace("\x00", "")))
    kept = uri.removeprefix("file://")
    assert set(kept) <= set(string.ascii_letters + string.digits + "/_.-~%")
