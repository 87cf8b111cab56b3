"""icrctl: case direction for Dutch intensive case directors (intensieve casusregie).

Kept to the version alone: importing icrctl must stay cheap.
"""

__version__ = "0.1.0"
