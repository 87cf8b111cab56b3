"""A keyring in a JSON file (``$ICRCTL_BENCH_KEYRING``), for ``encrypted.py``: the ``keyring``
package's own cost without a desktop keyring. Never for real keys."""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend


class FileKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def _load(self) -> dict[str, str]:
        path = Path(os.environ["ICRCTL_BENCH_KEYRING"])
        return json.loads(path.read_text()) if path.exists() else {}

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}/{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        stored = self._load()
        stored[f"{service}/{username}"] = password
        path = Path(os.environ["ICRCTL_BENCH_KEYRING"])
        path.write_text(json.dumps(stored))
        path.chmod(0o600)

    def delete_password(self, service: str, username: str) -> None:
        stored = self._load()
        stored.pop(f"{service}/{username}", None)
        Path(os.environ["ICRCTL_BENCH_KEYRING"]).write_text(json.dumps(stored))
