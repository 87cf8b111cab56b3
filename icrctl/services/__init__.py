"""Services: one module per noun. A function takes a Session (and a Context), applies the domain
rules, writes, and returns plain data. No Typer, no rich."""
