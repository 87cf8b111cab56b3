"""Editing a stored row: only what differs changes, and only that is named in the audit log."""

from __future__ import annotations

from collections.abc import Mapping


def apply_changes(target: object, new: Mapping[str, object]) -> list[str]:
    """Set the attributes of ``target`` whose value in ``new`` differs; return their names."""
    changed = [k for k, v in new.items() if getattr(target, k) != v]
    for k in changed:
        setattr(target, k, new[k])
    return changed
