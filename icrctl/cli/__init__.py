"""The command line: Typer apps, one per noun. Each command parses, calls one service, renders."""
