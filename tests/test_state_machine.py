"""Casework played at random: every state the commands can reach exports and imports back.

A Hypothesis state machine drives the real command line (in-process, one case file per run):
cases opened, edited, staged, closed, reopened and purged; members added, edited, related,
removed and forgotten; partners added, edited, linked and unlinked; evaluation series scheduled
(with workdays) and stopped, their meetings recorded, cancelled, moved and shown (named by date,
time, series or planned date); phase changes (with regie) and the phase-4 checklist; the contact
log and the goals; pieces of a file imported; and the days passing. A command may be refused
(exit 1, one ``error:`` line): then it must have changed nothing. After each sequence:

- ``export`` → ``import`` into an empty case file → ``export`` gives the same bytes;
- the restored case file holds what the original holds (every field of every row but ids,
  the moments a row was written, and the audit log): nothing was lost on the way;
- importing the export into the original case file says ``nothing to change``;
- the one-case export (``export --case REF``) of every case imports into an empty case file,
  which exports it again byte for byte.

``ICRCTL_STATE_EXAMPLES`` and ``ICRCTL_STATE_STEPS`` give more runs and longer ones locally
(``ICRCTL_STATE_EXAMPLES=500 pytest tests/test_state_machine.py -n 0``).
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    precondition,
    rule,
    run_state_machine_as_test,
)

from tests.helpers import (
    ENVIRONMENT,
    FAMILY_REF,
    POSTGRES,
    TODAY,
    Result,
    command,
    copy_case_file,
    family_file,
    fresh_case_file,
    snapshot,
)

#: Closes whatever the closing checklist says: the checklist is not what these tests are about.
CLOSE_ANYWAY = ("--force", "--reason", "gezin verhuisd")

#: Fewer on PostgreSQL (tests/conftest.py, POSTGRES_SHARE): the same sequences of commands, a
#: sample of them, to show the engine agrees.
EXAMPLES = int(os.environ.get("ICRCTL_STATE_EXAMPLES", "8" if POSTGRES else "30"))
STEPS = int(os.environ.get("ICRCTL_STATE_STEPS", "20"))

REFS = (FAMILY_REF, "GO-2026-101")
MEMBERS = ("m1", "m2", "m3", "m4", "kind", "Sanne de Vries")
PARTNERS = ("vt-bakker", "jgz", "school", "J. Bakker")
# Mostly the family's own people (mother, father, child, the linked partner), now and then
# someone who is not (or no longer) in the case.
PEOPLE = ("m1", "m2", "m3", "vt-bakker") * 3 + ("m4", "kind", "jgz", "school")
# Texts a careless writer or YAML 1.1 would turn into something else, and some plain ones.
TEXTS = (
    "geen gehoor",
    "no",
    "0612345678",
    "14:30",
    "regel een\nregel twee",
    "Ömer's plan: #1",
    "x - y",
    "Sanne de Vries",
)
NAMES = ("Sanne de Vries", "Peter de Vries", "Noor", "no", "Ömer Yılmaz")
STAGES = ("inventory", "analysis", "execution", "aftercare")
ROLES = ("victim", "perpetrator", "child", "grandparent", "network")
ITEMS = ("aov", "communications", "mayor", "local_triangle", "communications_adviser")
KINDS = ("veilig_thuis", "youth_health", "school", "police")
CADENCES = ("1w", "2w", "4w", "1m", "2m")
WEEKDAYS = (None, "mon", "thu", "fri")
TIMES = (None, "9:30", "10:00", "14:00")
# How a command names one evaluation: by the day it takes place on, with its time, with its
# series, or by the day its rule planned it (a moved one).
NAMING = ("date", "time", "series", "original")
LAST_DAY = TODAY + dt.timedelta(days=60)

# A case's own fields, as case show gives them and a file takes them.
CASE_FIELDS = (
    "ref",
    "title",
    "opened",
    "closed",
    "stage",
    "phase",
    "framework",
    "regie",
    "regisseur",
    "referrer",
    "violence",
    "domains",
    "plan_signed",
    "retention_until",
)
# What a file from elsewhere may add to a case, on a day (and a day a month later).
PIECES: dict[str, Callable[[str, str], dict[str, Any]]] = {
    "held meeting": lambda day, _: {
        "meetings": [{"date": day, "status": "held", "attended": ["m1"], "risk": 2}]
    },
    "held meeting moved": lambda day, later: {
        "meetings": [{"date": later, "status": "held", "to": day, "time": "11:00"}]
    },
    "cancelled meeting": lambda day, _: {"meetings": [{"date": day, "status": "cancelled"}]},
    "extra meeting": lambda day, _: {
        "meetings": [{"date": day, "status": "held", "extra": True, "time": "16:30"}]
    },
    "contact": lambda day, _: {
        "contacts": [{"date": day, "kind": "phone", "note": "geen gehoor", "with": ["m1"]}]
    },
    "goal": lambda day, _: {
        "goals": [{"goal": "Rust in huis", "status": "achieved", "changed": day}]
    },
    "member": lambda day, _: {"members": [{"name": "Opa de Vries", "role": "grandparent"}]},
    "series": lambda day, later: {
        "evaluations": [{"every": "2w", "start": day, "workdays": "next", "stopped": later}]
    },
}

texts = st.sampled_from(TEXTS)
people = st.lists(st.sampled_from(PEOPLE), max_size=3, unique=True)
maybe = st.booleans()


def _rows(db: Path | str, tables: Iterable[str]) -> dict[str, dict[Any, dict[str, Any]]]:
    """Every row of ``tables`` by id, as a dict, on either engine."""
    if isinstance(db, str):  # a PostgreSQL database's URL
        from sqlalchemy import create_engine, text
        from sqlalchemy.pool import NullPool

        engine = create_engine(db, poolclass=NullPool)
        try:
            with engine.connect() as connection:
                return {
                    name: {
                        r["id"]: dict(r)
                        for r in connection.execute(text(f'SELECT * FROM "{name}"')).mappings()
                    }
                    for name in tables
                }
        finally:
            engine.dispose()
    con = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    try:
        return {
            name: {r["id"]: dict(r) for r in con.execute(f'SELECT * FROM "{name}"')}
            for name in tables
        }
    finally:
        con.close()


def _stored(db: Path | str) -> dict[str, Counter[tuple[Any, ...]]]:
    """What a case file holds, by table: every row's fields but its id and the moments it was
    written (an import writes its own), a reference replaced by the row it points at, and a
    checklist item's moment to the minute (the file's precision). The audit log is left out:
    the file does not carry it."""
    from icrctl.db.models import Base, load_all

    load_all()

    tables = {t.name: t for t in Base.metadata.sorted_tables if t.name != "audit_log"}
    rows = _rows(db, tables)

    def norm(table: str, row: dict[str, Any]) -> tuple[Any, ...]:
        out: list[tuple[str, Any]] = []
        for column in tables[table].columns:
            if column.name in ("id", "created_at", "updated_at", "recorded_at"):
                continue
            value = row[column.name]
            if value is not None and column.foreign_keys:
                target = next(iter(column.foreign_keys)).column.table.name
                value = norm(target, rows[target][value])
            elif value is not None and column.name == "done_at":
                value = str(value)[:16]
            elif isinstance(value, list | dict):  # a JSON column, read as JSON on PostgreSQL
                value = repr(value)
            out.append((column.name, value))
        return tuple(out)

    return {name: Counter(norm(name, r) for r in found.values()) for name, found in rows.items()}


class Casework(RuleBasedStateMachine):
    """One practitioner's case file, changed command by command. It starts with the family of
    ``tests.helpers`` (mother m1, father m2, child m3, partner vt-bakker linked)."""

    def __init__(self) -> None:
        super().__init__()
        self.files = ExitStack()
        self.db: Path | str = (
            os.environ["ICRCTL_DB"]  # the test's database on PostgreSQL, loaded anew
            if POSTGRES
            else Path(self.files.enter_context(tempfile.TemporaryDirectory())) / "caseload.db"
        )
        copy_case_file(family_file(), self.db)
        self.today = TODAY
        self.runner = CliRunner()

    # ------------------------------------------------------------------ running a command

    def cli(self, *args: str, db: Path | str | None = None, input: str | None = None) -> Result:
        env = {**ENVIRONMENT, "ICRCTL_TODAY": self.today.isoformat()}
        result = self.runner.invoke(
            command(),
            ["--db", str(db or self.db), *args],
            input=input,
            env=env,
            catch_exceptions=False,
        )
        return Result(result.exit_code, result.stdout, result.stderr)

    def act(self, *args: str, input: str | None = None) -> Result:
        """A command that may be refused; refused, it says why in one line (an import: one per
        error in the file, then one) and changes nothing."""
        before = snapshot(self.db)
        result = self.cli(*args, input=input)
        event(f"{args[0]} {args[1]}: {'done' if result.exit_code == 0 else 'refused'}")
        if result.exit_code == 0:
            return result
        assert result.exit_code == 1, f"{args}: exit {result.exit_code}: {result.stderr}"
        lines = result.stderr.splitlines()
        assert lines, f"{args} was refused without a word"
        assert lines[-1].startswith("error: "), f"{args}: {result.stderr}"
        others = ("warning: ", "<stdin>:") if args[0] == "import" else ("warning: ",)
        assert all(line.startswith(others) for line in lines[:-1]), result.stderr
        assert "unexpected" not in lines[-1], f"{args}: {lines[-1]}"
        assert snapshot(self.db) == before, f"{args} was refused but changed the case file"
        return result

    def must(self, *args: str, db: Path | None = None, input: str | None = None) -> str:
        result = self.cli(*args, db=db, input=input)
        assert result.exit_code == 0, f"{args}: {result.stderr}"
        return result.stdout

    def day(self, offset: int) -> str:
        return (self.today + dt.timedelta(days=offset)).isoformat()

    def occurrence(self, ref: str, pick: int) -> dict[str, Any] | None:
        """One of the case's evaluations (held, cancelled, moved or planned), if it has any."""
        result = self.cli(
            "eval", "list", ref, "--from", self.day(-200), "--to", self.day(120), "-f", "json"
        )
        if result.exit_code != 0:
            return None
        found: list[dict[str, Any]] = result.json()
        return found[pick % len(found)] if found else None

    @staticmethod
    def naming(found: dict[str, Any], how: str) -> list[str]:
        """The date (and option) that names the evaluation ``found`` (see NAMING)."""
        if how == "original":
            return [found["original"]]
        if how == "time":
            return [found["date"], "--time", found["time"]]
        if how == "series" and found["series"] is not None:
            return [found["date"], "--series", str(found["series"])]
        return [found["date"]]

    # ------------------------------------------------------------------ the start

    @initialize(
        every=st.sampled_from(CADENCES),
        weekday=st.sampled_from(WEEKDAYS),
        time=st.sampled_from(TIMES),
        start=st.integers(-120, 0),
        with_=st.lists(st.sampled_from(["m1", "m2", "m3", "vt-bakker"]), unique=True),
    )
    def family_meets(
        self, every: str, weekday: str | None, time: str | None, start: int, with_: list[str]
    ) -> None:
        """The family has a running series of evaluations from the start."""
        self.schedule(FAMILY_REF, every, weekday, time, start, None, with_, None)

    @initialize(
        opened=st.integers(-200, 0),
        phase=st.integers(1, 4),
        track=st.sampled_from(["care", "social"]),
        compulsory=maybe,
        every=st.sampled_from(CADENCES),
        workdays=st.sampled_from([None, "next", "previous"]),
    )
    def second_case(
        self,
        opened: int,
        phase: int,
        track: str,
        compulsory: bool,
        every: str,
        workdays: str | None,
    ) -> None:
        """A second case, so that a one-case export has something to leave out, with two
        people and its own series of evaluations."""
        framework = "compulsory" if compulsory and phase > 1 else "voluntary"  # none in phase 1
        self.create_case(REFS[1], opened, phase, track, framework, None, "Familie Yılmaz")
        self.must("member", "add", REFS[1], "Ayla Yılmaz", "--role", "victim")
        self.must("member", "add", REFS[1], "Deniz Yılmaz", "--role", "child", "--born",
                  "2016-04-01")  # fmt: skip
        self.schedule(REFS[1], every, None, "14:00", max(opened, -100), None, ["m1"], workdays)

    # ------------------------------------------------------------------ cases

    @rule(
        ref=st.sampled_from(REFS),
        opened=st.integers(-300, 2),
        phase=st.integers(1, 4),
        track=st.sampled_from(["care", "social", None]),
        framework=st.sampled_from([None, "voluntary", "compulsory"]),
        regie=st.sampled_from([None, "professional", "client"]),
        title=texts,
    )
    def create_case(
        self,
        ref: str,
        opened: int,
        phase: int,
        track: str | None,
        framework: str | None,
        regie: str | None,
        title: str,
    ) -> None:
        args = ["case", "create", ref, "--title", title, "--opened", self.day(opened)]
        args += ["--phase", str(phase)]
        track = track if phase == 4 else None  # a track for phases 1-3 is refused, and dull
        for option, value in (("--track", track), ("--framework", framework), ("--regie", regie)):
            if value is not None:
                args += [option, value]
        self.act(*args)

    @rule(ref=st.sampled_from(REFS), data=st.data())
    def edit_case(self, ref: str, data: st.DataObject) -> None:
        option = data.draw(
            st.sampled_from(
                [
                    "--title",
                    "--framework",
                    "--regie",
                    "--regisseur",
                    "--referrer",
                    "--violence",
                    "--domains",
                    "--plan-signed",
                    "--opened",
                    "--retention-until",
                ]
            )
        )
        values = {
            "--framework": st.sampled_from(["voluntary", "compulsory"]),
            "--regie": st.sampled_from(["professional", "client"]),
            "--violence": st.sampled_from(["physical", "stalking,psychological", "fysiek"]),
            "--domains": st.sampled_from(["housing", "parenting,finances"]),
            "--plan-signed": st.integers(-200, 0).map(self.day),
            "--opened": st.integers(-300, 0).map(self.day),
            "--retention-until": st.integers(0, 9000).map(self.day),
        }
        self.act("case", "edit", ref, option, data.draw(values.get(option, texts)))

    @rule(
        ref=st.sampled_from(REFS),
        stage=st.sampled_from(STAGES),
        on=st.none() | st.integers(-60, 1),
        reason=st.none() | st.sampled_from(["analyse elders gedaan", " ", "x\x07"]),
    )
    def stage(self, ref: str, stage: str, on: int | None, reason: str | None) -> None:
        dated = ["--date", self.day(on)] if on is not None else []
        why = ["--reason", reason] if reason is not None else []
        self.act("case", "stage", ref, stage, *dated, *why)

    @rule(
        ref=st.sampled_from(REFS),
        action=st.sampled_from(["close", "close", "reopen", "purge"]),
        on=st.none() | st.integers(-60, 1),
        summary=texts,
    )
    def close_reopen_purge(self, ref: str, action: str, on: int | None, summary: str) -> None:
        dated = ["--date", self.day(on)] if on is not None else []
        if action == "close":
            closing = ("--summary", summary, "--safety", "stabiel", *CLOSE_ANYWAY)
            self.act("case", "close", ref, *closing, *dated)
        elif action == "reopen":
            self.act("case", "reopen", ref, "--reason", "nieuwe melding", *dated)
        else:
            self.act("case", "purge", ref, "--yes")

    # ------------------------------------------------------------------ members

    @rule(
        ref=st.sampled_from(REFS),
        name=st.sampled_from(NAMES),
        role=st.sampled_from(ROLES),
        key=st.none() | st.sampled_from(["m2", "m5", "m7", "kind"]),
        born=st.none() | st.integers(-20000, 1),
        outside=maybe,
        phone=st.none() | st.sampled_from(["0612345678", "06 1234 5678"]),
    )
    def add_member(
        self,
        ref: str,
        name: str,
        role: str,
        key: str | None,
        born: int | None,
        outside: bool,
        phone: str | None,
    ) -> None:
        args = ["member", "add", ref, name, "--role", role]
        if key is not None:
            args += ["--key", key]
        if born is not None:
            args += ["--born", self.day(born)]
        if outside:
            args.append("--outside-household")
        if phone is not None:
            args += ["--phone", phone]
        self.act(*args)

    @rule(ref=st.sampled_from(REFS), member=st.sampled_from(MEMBERS), data=st.data())
    def edit_member(self, ref: str, member: str, data: st.DataObject) -> None:
        option = data.draw(
            st.sampled_from(
                ["--name", "--role", "--born", "--household", "--outside-household", "--phone"]
            )
        )
        values = {
            "--name": st.sampled_from(NAMES),
            "--role": st.sampled_from(ROLES),
            "--born": st.integers(-20000, 0).map(self.day),
            "--phone": st.sampled_from(["", "0612345678", "010 123 45 67"]),
        }
        value = [data.draw(values[option])] if option in values else []
        self.act("member", "edit", ref, member, option, *value)

    @rule(
        ref=st.sampled_from(REFS),
        member=st.sampled_from(MEMBERS),
        kind=st.sampled_from(["partner", "ex_partner", "parent_of", "sibling"]),
        other=st.sampled_from(MEMBERS),
    )
    def relate(self, ref: str, member: str, kind: str, other: str) -> None:
        self.act("member", "relate", ref, member, kind, other)

    @rule(ref=st.sampled_from(REFS), member=st.sampled_from(MEMBERS), forget=maybe)
    def member_leaves(self, ref: str, member: str, forget: bool) -> None:
        """Removed (entered by mistake), or forgotten (GDPR art. 17)."""
        if forget:
            self.act("member", "forget", ref, member, "--reason", "verzoek AVG art. 17")
        else:
            self.act("member", "remove", ref, member)

    # ------------------------------------------------------------------ partners

    @rule(
        name=st.sampled_from(["J. Bakker", "A. de Wit", "no"]),
        organisation=st.sampled_from(["Veilig Thuis", "GGD", "0612"]),
        kind=st.sampled_from(KINDS),
        key=st.none() | st.sampled_from(["vt-bakker", "jgz", "school"]),
        reachable=st.none() | st.sampled_from(["mon,wed", "vr"]),
    )
    def add_partner(
        self, name: str, organisation: str, kind: str, key: str | None, reachable: str | None
    ) -> None:
        args = ["partner", "add", name, "--organisation", organisation, "--kind", kind]
        if key is not None:
            args += ["--key", key]
        if reachable is not None:
            args += ["--reachable", reachable]
        self.act(*args)

    @rule(partner=st.sampled_from(PARTNERS), data=st.data())
    def edit_partner(self, partner: str, data: st.DataObject) -> None:
        option = data.draw(st.sampled_from(["--name", "--organisation", "--kind", "--phone"]))
        values = {
            "--kind": st.sampled_from(KINDS),
            "--phone": st.sampled_from(["", "0612345678"]),
        }
        self.act("partner", "edit", partner, option, data.draw(values.get(option, texts)))

    @rule(
        ref=st.sampled_from(REFS),
        partner=st.sampled_from(PARTNERS),
        role=st.none() | texts,
        consent=st.none() | maybe,
        coordination=st.none() | texts,
    )
    def link(
        self,
        ref: str,
        partner: str,
        role: str | None,
        consent: bool | None,
        coordination: str | None,
    ) -> None:
        args = ["partner", "link", ref, partner]
        if role is not None:
            args += ["--role", role]
        if consent is not None:
            args.append("--consent" if consent else "--no-consent")
        if coordination is not None:
            args += ["--coordination", coordination]
        self.act(*args)

    @rule(ref=st.sampled_from(REFS), partner=st.sampled_from(PARTNERS))
    def unlink(self, ref: str, partner: str) -> None:
        self.act("partner", "unlink", ref, partner)

    # ------------------------------------------------------------------ evaluations

    @rule(
        ref=st.sampled_from(REFS),
        every=st.sampled_from(CADENCES),
        weekday=st.sampled_from(WEEKDAYS),
        time=st.sampled_from(TIMES),
        start=st.integers(-120, 30),
        until=st.none() | st.integers(0, 150),
        with_=people,
        workdays=st.sampled_from([None, None, "next", "previous"]),
    )
    def schedule(
        self,
        ref: str,
        every: str,
        weekday: str | None,
        time: str | None,
        start: int,
        until: int | None,
        with_: list[str],
        workdays: str | None = None,
    ) -> None:
        args = ["eval", "schedule", ref, "--every", every, "--start", self.day(start)]
        if weekday is not None:
            args += ["--weekday", weekday]
        if time is not None:
            args += ["--time", time]
        if until is not None:
            args += ["--until", self.day(start + until)]
        if with_:
            args += ["--with", ",".join(with_)]
        if workdays is not None:
            args += ["--workdays", workdays]
        self.act(*args)

    @rule(
        ref=st.sampled_from(REFS),
        pick=st.none() | st.integers(0, 40),
        extra=st.none() | st.integers(-90, 0),
        present=st.lists(
            st.tuples(
                st.sampled_from(PEOPLE), st.sampled_from(["--attended", "--absent", "--refused"])
            ),
            max_size=4,
            unique_by=lambda pair: pair[0],
        ),
        risk=st.none() | st.integers(1, 5),
        note=st.none() | texts,
        how=st.sampled_from(NAMING),
    )
    def record(
        self,
        ref: str,
        pick: int | None,
        extra: int | None,
        present: list[tuple[str, str]],
        risk: int | None,
        note: str | None,
        how: str,
    ) -> None:
        """The latest unrecorded meeting, a chosen one, or an extra meeting on a day."""
        args = ["eval", "record", ref]
        found = self.occurrence(ref, pick) if pick is not None else None
        if found is not None:
            args += ["--date", *self.naming(found, how)]
        elif extra is not None:
            args += ["--date", self.day(extra)] + (["--time", "16:00"] if how == "time" else [])
        for option in ("--attended", "--absent", "--refused"):
            keys = [key for key, presence in present if presence == option]
            if keys:
                args += [option, ",".join(keys)]
        if risk is not None:
            args += ["--risk", str(risk), "--self-reliance", str(6 - risk)]
        if note is not None:
            args += ["--note", note]
        self.act(*args)

    @rule(
        ref=st.sampled_from(REFS),
        pick=st.integers(0, 40),
        reason=st.none() | texts,
        how=st.sampled_from(NAMING),
    )
    def cancel(self, ref: str, pick: int, reason: str | None, how: str) -> None:
        found = self.occurrence(ref, pick)
        if found is None:
            return
        args = ["eval", "cancel", ref, *self.naming(found, how)]
        self.act(*args, *(["--reason", reason] if reason is not None else []))

    @rule(
        ref=st.sampled_from(REFS),
        pick=st.integers(0, 40),
        by=st.integers(-10, 10),
        time=st.sampled_from(TIMES),
        by_series=maybe,
    )
    def move(self, ref: str, pick: int, by: int, time: str | None, by_series: bool) -> None:
        found = self.occurrence(ref, pick)
        if found is None:
            return
        new = dt.date.fromisoformat(found["date"]) + dt.timedelta(days=by)
        args = ["eval", "move", ref, found["date"], new.isoformat()]
        if by_series and found["series"] is not None:
            args += ["--series", str(found["series"])]
        self.act(*args, *(["--time", time] if time is not None else []))

    @rule(ref=st.sampled_from(REFS), pick=st.integers(0, 40), how=st.sampled_from(NAMING))
    def look(self, ref: str, pick: int, how: str) -> None:
        """Reading changes nothing and never fails unexpectedly: one evaluation, the case."""
        found = self.occurrence(ref, pick)
        if found is not None:
            self.act("eval", "show", ref, *self.naming(found, how), "-f", "json")
        self.act("case", "show", ref, "-f", "json")

    @rule(
        ref=st.sampled_from(REFS),
        start=st.none() | st.integers(-60, 60),
        series=st.none() | st.integers(1, 4),
    )
    def stop(self, ref: str, start: int | None, series: int | None) -> None:
        args = ["eval", "stop", ref]
        if start is not None:
            args += ["--from", self.day(start)]
        if series is not None:
            args += ["--series", str(series)]
        self.act(*args)

    # ------------------------------------------------------------------ phases

    @rule(
        ref=st.sampled_from(REFS),
        phase=st.integers(1, 4),
        on=st.none() | st.integers(-60, 1),
        track=st.sampled_from([None, "care", "social"]),
        reason=texts,
        regie=st.sampled_from([None, None, "professional", "client"]),
    )
    def set_phase(
        self,
        ref: str,
        phase: int,
        on: int | None,
        track: str | None,
        reason: str,
        regie: str | None,
    ) -> None:
        args = ["phase", "set", ref, str(phase), "--reason", reason]
        if on is not None:
            args += ["--date", self.day(on)]
        if track is not None:
            args += ["--track", track]
        if regie is not None:
            args += ["--regie", regie]
        self.act(*args)

    @rule(
        ref=st.sampled_from(REFS),
        items=st.lists(st.sampled_from(ITEMS), min_size=1, max_size=2, unique=True),
        on=st.none() | st.integers(-20, 1),
        time=st.sampled_from(TIMES),
        undo=maybe,
    )
    def inform(
        self, ref: str, items: list[str], on: int | None, time: str | None, undo: bool
    ) -> None:
        """Checklist items ticked off (on a day, at a time), or opened again."""
        args = ["phase", "inform", ref, ",".join(items)]
        if undo:
            args.append("--undo")
        if on is not None:
            args += ["--date", self.day(on)]
        if time is not None:
            args += ["--time", time]
        self.act(*args)

    # ------------------------------------------------------------------ the work log and goals

    @rule(
        ref=st.sampled_from(REFS),
        kind=st.sampled_from(["visit", "phone", "huisbezoek", "email"]),
        note=texts,
        with_=people,
        on=st.none() | st.integers(-90, 1),
        signal=maybe,
    )
    def log(
        self, ref: str, kind: str, note: str, with_: list[str], on: int | None, signal: bool
    ) -> None:
        args = ["log", "add", ref, note, "--kind", kind]
        if with_:
            args += ["--with", ",".join(with_)]
        if on is not None:
            args += ["--date", self.day(on)]
        if signal:
            args.append("--signal")
        self.act(*args)

    @rule(ref=st.sampled_from(REFS), number=st.integers(1, 3), data=st.data())
    def goal(self, ref: str, number: int, data: st.DataObject) -> None:
        """A goal set, achieved or dropped, reopened, or edited."""
        action = data.draw(st.sampled_from(["add", "add", "done", "reopen", "edit"]))
        goal = str(number)
        if action == "add":
            text = data.draw(st.sampled_from(["Veiligheidsplan", "no", "Schulden op orde"]))
            due = data.draw(st.none() | st.integers(-30, 90))
            args = ["goal", "add", ref, text, "--who", data.draw(texts)]
            self.act(*args, *(["--due", self.day(due)] if due is not None else []))
        elif action == "done":
            dropped = ["--dropped"] if data.draw(maybe) else []
            on = data.draw(st.none() | st.integers(-30, 1))
            dated = ["--date", self.day(on)] if on is not None else []
            self.act("goal", "done", ref, goal, *dropped, *dated)
        elif action == "reopen":
            self.act("goal", "reopen", ref, goal)
        else:
            no_due = ["--no-due"] if data.draw(maybe) else []
            self.act("goal", "edit", ref, goal, "--what", data.draw(texts), *no_due)

    # ------------------------------------------------------------------ a file from elsewhere

    @rule(ref=st.sampled_from(REFS), what=st.sampled_from(sorted(PIECES)), on=st.integers(-90, 0))
    def import_piece(self, ref: str, what: str, on: int) -> None:
        """A file written elsewhere (a spreadsheet, a colleague) adds one record to a case: the
        case's own fields as they are, and the piece."""
        shown = self.cli("case", "show", ref, "-f", "json")
        if shown.exit_code != 0:
            return
        case = shown.json()
        record = {name: case[name] for name in CASE_FIELDS if case[name] not in (None, [])}
        closing = {"summary": case["closing_summary"], "safety": case["closing_safety"]}
        record["closing"] = {name: text for name, text in closing.items() if text is not None}
        record |= PIECES[what](self.day(on), self.day(on + 30))
        text = yaml.safe_dump({"version": 1, "cases": [record]}, allow_unicode=True)
        self.act("import", "-", input=text)

    # ------------------------------------------------------------------ time

    @precondition(lambda self: self.today < LAST_DAY)
    @rule(days=st.integers(1, 21))
    def days_pass(self, days: int) -> None:
        self.today = min(self.today + dt.timedelta(days=days), LAST_DAY)

    # ------------------------------------------------------------------ after the sequence

    def teardown(self) -> None:
        try:
            exported = self.round_trip()
            assert self.must("import", "-", input=exported).endswith("nothing to change\n")
            for ref in REFS:
                if f"\n- ref: {ref}\n" in exported:
                    self.round_trip("--case", ref)
        finally:
            self.files.close()

    def round_trip(self, *only: str) -> str:
        """The export imports into an empty case file, which then exports the same bytes and
        (the whole file) holds the same."""
        exported = self.must("export", *only)
        with self.empty() as restored:
            self.must("import", "-", db=restored, input=exported)
            assert self.must("export", *only, db=restored) == exported
            if not only:
                assert _stored(restored) == _stored(self.db)
        return exported

    @contextmanager
    def empty(self) -> Iterator[Path | str]:
        with fresh_case_file() as unit:
            yield unit.path


@pytest.mark.long
def test_every_reachable_state_exports_and_imports_back() -> None:
    run_state_machine_as_test(
        Casework,
        settings=settings(
            max_examples=EXAMPLES,
            stateful_step_count=STEPS,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )
