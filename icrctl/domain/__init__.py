"""The rules of the field, in pure Python: no SQLAlchemy, Typer or rich here.

The regiekaart is data shipped beside the code (``regiekaart.yaml``), read once when needed.
"""
