"""``python -m icrctl``."""

from icrctl.cli.main import main

main()
