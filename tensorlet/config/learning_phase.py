"""Keras 2's global learning phase (``K.set_learning_phase``): when set, layers called without ``training=``
run in that mode (1 = training, 0 = inference). Unset by default, as in TF 2, so ``training`` follows each call."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

phase: int | None = None


def set_learning_phase(value: int | None) -> None:
    global phase
    if value not in (0, 1, None, True, False):
        raise ValueError(f"set_learning_phase: expected 0 or 1, got {value!r}")
    phase = None if value is None else int(value)


def learning_phase() -> int:
    """The set phase, else 0 (inference), as ``tf.keras.backend.learning_phase()`` returns outside fit."""
    return 0 if phase is None else phase


@contextmanager
def learning_phase_scope(value: int) -> Iterator[None]:
    global phase
    previous = phase
    set_learning_phase(value)
    try:
        yield
    finally:
        phase = previous
