"""``python -m icrctl`` and the ``icrctl`` console script."""

import gc

#: Collect young objects every 100,000 allocations instead of Python's 700.
GC_THRESHOLD = (100_000, 50, 100)


def main() -> None:
    """Run the command line. A command allocates a few hundred thousand objects and keeps nearly
    all of them until it ends (modules, mapped classes, rows, table cells); with Python's default
    threshold the cyclic collector walks them some two hundred times, about a tenth of the
    command's time, for almost no garbage. A higher threshold keeps collecting, so memory stays
    bounded (``bench/import_memory.py`` measures an import of 10,000 cases)."""
    gc.set_threshold(*GC_THRESHOLD)
    from icrctl.cli.main import main as run

    run()


if __name__ == "__main__":
    main()
