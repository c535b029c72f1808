"""Automatic layer names (dense, dense_1, ...), per session, reset by ``clear_session``."""
from __future__ import annotations

from collections import defaultdict

_counts: defaultdict[str, int] = defaultdict(int)


def unique_name(base: str) -> str:
    n = _counts[base]
    _counts[base] += 1
    return base if n == 0 else f"{base}_{n}"


def reset() -> None:
    _counts.clear()
