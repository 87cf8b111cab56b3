"""An encrypted case file against the same file plain: ``status`` on the 50-case file, <= 1.3x.

    python bench/encrypted.py [--repeat 15] [--seed 1]

The 50-case file is the one ``run.py`` uses (``generate.within`` of the 5,000-case caseload),
built by ``icrctl import`` into this run's own temporary folder (the 5,000 cases are generated,
not imported). A copy of it is encrypted with ``icrctl encrypt``; then ``status`` is timed on
both, alternately, each a fresh process (``run.py``'s method and report), two ways:

- the passphrase in ``$ICRCTL_PASSPHRASE_FILE``: every command derives the key (PBKDF2-HMAC-SHA512,
  256,000 iterations, SQLCipher 4's default), in a thread beside the command's imports;
- the derived key in the keyring (what a practitioner has after typing the passphrase once): no
  key derivation, but the ``keyring`` package is imported. The keyring here is a file
  (``file_keyring.py``), so what is measured is the package's own cost, not a desktop keyring's
  round trip over D-Bus.

It also prints what the key derivation alone costs on this machine (median of five, in-process).
Exit status 1 when a ratio misses its target.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
import generate  # noqa: E402
import run  # noqa: E402

PASSPHRASE = "a bench passphrase, not a secret"
TARGET = 1.3


def _build(python: str, folder: Path, seed: int) -> Path:
    """The 50-case file of ``run.py``, imported into ``folder``."""
    big = generate.caseload(run.BIG, seed, 30)
    small = generate.within(big, run.SMALL)
    data = folder / "caseload-50.yaml"
    data.write_text(generate.dump(small), encoding="utf-8")
    db = folder / "plain" / "case.db"
    db.parent.mkdir(mode=0o700)
    run._import(python, [data], db)
    return db


def _encrypted(python: str, plain: Path, secret: Path, keyring_env: dict[str, str]) -> Path:
    db = plain.parent.parent / "encrypted" / "case.db"
    db.parent.mkdir(mode=0o700)
    shutil.copy2(plain, db)
    env = {**run.environment(db), "ICRCTL_PASSPHRASE_FILE": str(secret), **keyring_env}
    import subprocess

    argv = [python, "-m", "icrctl", "encrypt", "--yes"]
    subprocess.run(argv, env=env, cwd=run.ROOT, check=True, capture_output=True)
    return db


def _kdf_cost() -> float:
    from icrctl.db import cipher

    times = []
    for _ in range(5):
        start = time.perf_counter()
        cipher.derive(PASSPHRASE, b"\x01" * 16)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    python = sys.executable
    work = Path(tempfile.mkdtemp(prefix="icrctl-bench-encrypted-"))
    try:
        work.chmod(0o700)
        secret = work / "passphrase"
        secret.write_text(PASSPHRASE + "\n")
        secret.chmod(0o600)
        keyring_env = {
            "PYTHONPATH": str(HERE),
            "PYTHON_KEYRING_BACKEND": "file_keyring.FileKeyring",
            "ICRCTL_BENCH_KEYRING": str(work / "keyring.json"),
        }
        run.log("building the 50-case file (import) and its encrypted copy")
        plain = _build(python, work, args.seed)
        encrypted = _encrypted(python, plain, secret, keyring_env)
        base = run.icrctl(python, plain, "status")
        with_file = run.icrctl(python, encrypted, "status")
        with_file = run.Command(
            "icrctl status, encrypted, $ICRCTL_PASSPHRASE_FILE",
            with_file.argv,
            {**with_file.env, "ICRCTL_PASSPHRASE_FILE": str(secret)},
        )
        with_keyring = run.Command(
            "icrctl status, encrypted, the key in the keyring",
            with_file.argv,
            {**run.environment(encrypted), **keyring_env},
        )
        plain_status = run.Command("icrctl status, plain", base.argv, base.env)
        ratios = [
            run.Ratio("status, passphrase file", with_file, plain_status, TARGET),
            run.Ratio("status, keyring", with_keyring, plain_status, TARGET),
        ]
        for ratio in ratios:
            ratio.measure(args.repeat)
            print(ratio.report(), flush=True)
        kdf = _kdf_cost()
        print(f"  key derivation (PBKDF2-HMAC-SHA512, 256,000 iterations): {kdf * 1000:.0f} ms")
        return 0 if all(r.ok for r in ratios) else 1
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    os.environ.pop("ICRCTL_PASSPHRASE_FILE", None)
    sys.exit(main())
