"""The rules of the field, in pure Python: no SQLAlchemy, Typer, rich or YAML imports here."""
