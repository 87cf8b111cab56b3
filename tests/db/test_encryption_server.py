"""On a team database encryption is the server's business: the commands refuse in one line."""

from __future__ import annotations

import pytest

from tests.helpers import POSTGRES, Run, refused


@pytest.mark.skipif(not POSTGRES, reason="a team database on PostgreSQL")
@pytest.mark.parametrize(
    "args", [("encrypt", "--yes"), ("decrypt", "--out", "x.db"), ("passphrase", "change")]
)
def test_encryption_commands_refuse_on_a_team_database(run: Run, args: tuple[str, ...]) -> None:
    line = refused(run, *args)
    assert "a team database is encrypted by its server" in line


@pytest.mark.skipif(not POSTGRES, reason="a team database on PostgreSQL")
def test_encrypted_refuses_on_a_team_database(run: Run) -> None:
    line = refused(run, "--encrypted", "case", "list")
    assert "a team database is encrypted by its server" in line
