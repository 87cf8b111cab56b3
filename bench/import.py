"""Import speed against the floor: ``python bench/import.py [--cases 1000] [--repeat 3]``.

The code is in ``bench/import_bench.py`` (``import`` cannot be imported by name); see there.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from import_bench import main

if __name__ == "__main__":
    sys.exit(main())
