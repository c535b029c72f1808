"""The global seed and TensorFlow's rule for op seeds; the state every random draw of tensorlet follows.

After ``set_seed(s)`` the same program draws the same numbers: each random op without an op-level seed takes the
next seed from a global counter; an op-level ``seed=`` makes that op deterministic on its own. This module holds
that state and nothing else (no tensors), so that the tracer can save and restore it (``autodiff.plan``) and
``tensorlet.random`` can build the public ops on it.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Any, Iterator

import numpy as np

_global_seed: int | None = None
_op_counter = 0
_op_seed_counts: dict[int, int] = {}
_journals = threading.local()  # per thread: the generators a trace drew from, with their states before


def set_seed(seed: int | None) -> None:
    global _global_seed, _op_counter
    _global_seed = None if seed is None else int(seed)
    _op_counter = 0
    _op_seed_counts.clear()


def get_state() -> tuple[Any, ...]:
    """A snapshot of the global random state (tensorlet's counters and NumPy's global generator)."""
    return (_global_seed, _op_counter, dict(_op_seed_counts), np.random.get_state())


def set_state(state: tuple[Any, ...]) -> None:
    global _global_seed, _op_counter
    _global_seed, _op_counter, counts, np_state = state
    _op_seed_counts.clear()
    _op_seed_counts.update(counts)
    np.random.set_state(np_state)


def get_global_seed() -> int | None:
    return _global_seed


@contextmanager
def generators_untouched() -> Iterator[None]:
    """Generators owned by layers (a seeded ``Dropout``) come out of the block in the state they entered it, like
    the global state that ``get_state``/``set_state`` restore: a trace's draws are not the replays' draws, and a
    run must draw the same numbers whenever its plan happens to be traced (e.g. after resuming)."""
    stack = getattr(_journals, "stack", None)
    if stack is None:
        stack = _journals.stack = []
    journal: dict[int, tuple[np.random.Generator, dict[str, Any]]] = {}
    stack.append(journal)
    try:
        yield
    finally:
        stack.pop()
        for generator, state in journal.values():
            generator.bit_generator.state = state


def _own(generator: np.random.Generator) -> np.random.Generator:
    stack = getattr(_journals, "stack", None)
    if stack and id(generator) not in stack[-1]:
        stack[-1][id(generator)] = (generator, generator.bit_generator.state)
    return generator


def rng(seed: Any = None) -> np.random.Generator:
    """A NumPy generator for one op call, following the global/op-level seed rules. ``seed`` may also be a
    generator (NumPy's, or an object holding one as ``_rng``, like ``tensorlet.random.Generator``)."""
    global _op_counter
    if isinstance(seed, np.random.Generator):
        return _own(seed)
    own = getattr(seed, "_rng", None)
    if isinstance(own, np.random.Generator):
        return _own(own)
    if seed is None:
        if _global_seed is None:  # follow NumPy's global state, so np.random.seed alone also reproduces
            return np.random.default_rng(np.random.randint(0, 2**31 - 1))
        _op_counter += 1
        return np.random.default_rng((_global_seed, _op_counter))
    seed = int(seed)
    n = _op_seed_counts.get(seed, 0)
    _op_seed_counts[seed] = n + 1
    return np.random.default_rng((_global_seed if _global_seed is not None else 87654321, seed, n))
