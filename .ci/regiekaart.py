#!/usr/bin/env python3
"""Write ``icrctl/domain/regiekaart.json``, the compiled twin of ``regiekaart.yaml``, anew
(a development tool: run it after editing the YAML; tests/domain/test_regiekaart_twin.py fails
until it is run).

    python .ci/regiekaart.py
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from icrctl.domain.regiekaart import COMPILED, compiled  # noqa: E402

FOLDER = ROOT / "icrctl" / "domain"

if __name__ == "__main__":
    (FOLDER / COMPILED).write_text(compiled((FOLDER / "regiekaart.yaml").read_bytes()), "utf-8")
