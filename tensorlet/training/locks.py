"""A model's two locks: one for building and tracing, one for the calls that update its metrics.

Web servers and notebooks call one model from several threads. Building weights and tracing plans must happen
once (two threads' first ``predict`` calls must not build two sets of weights, or trace into one plan). ``fit``,
``evaluate`` and the ``*_on_batch`` calls accumulate into the model's metric objects and optimizer, so they run one
at a time per model. ``predict`` keeps no per-call state on the model and replays plans concurrently.
"""
from __future__ import annotations

import functools
import threading
from typing import Any, Callable, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


class ModelLocks:
    __slots__ = ("build", "run")

    def __init__(self) -> None:
        self.build = threading.RLock()   # building weights, making step runners, tracing plans
        self.run = threading.RLock()     # fit / evaluate / train_on_batch / test_on_batch

    def __reduce__(self) -> Any:  # a copied or unpickled model gets locks of its own
        return (ModelLocks, ())

    def __deepcopy__(self, memo: Any) -> ModelLocks:
        return ModelLocks()


def model_locks(model: Any) -> ModelLocks:
    """The model's locks, made on first use (``dict.setdefault`` is atomic, so two threads get the same ones)."""
    locks = model.__dict__.get("_locks")
    if locks is None:
        locks = model.__dict__.setdefault("_locks", ModelLocks())
    return locks  # type: ignore[no-any-return]


def exclusive(method: F) -> F:
    """Run a model method holding the model's ``run`` lock (re-entrant: fit may call evaluate)."""
    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        with model_locks(self).run:
            return method(self, *args, **kwargs)

    return wrapper  # type: ignore[return-value]
