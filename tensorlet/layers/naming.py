"""Automatic layer names (dense, dense_1, ...), per session, reset by ``clear_session``."""
from __future__ import annotations

import re
from collections import defaultdict

_counts: defaultdict[str, int] = defaultdict(int)


def unique_name(base: str) -> str:
    n = _counts[base]
    _counts[base] += 1
    return base if n == 0 else f"{base}_{n}"


def reset() -> None:
    _counts.clear()


def to_snake_case(name: str) -> str:
    s = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", s).lower()
