"""What a resumed ``fit`` needs to continue exactly where an interrupted one stopped (``BackupAndRestore``).

Training draws random numbers from three places: the batch order of each epoch (``shuffle``), the global stream
of tensorlet's random ops (the global seed, its counters and NumPy's global generator, see ``seeding``), and
generators that layers own (a ``Dropout`` or ``GaussianNoise`` given a ``seed``). :func:`capture_random_state` and
:func:`restore_random_state` save and restore all of them as JSON text (no pickle), and :class:`FitProgress`
records where the loop is: the epoch, the last finished step and that epoch's batch order. With the three
restored, a run resumed after its last backup draws the same numbers and applies the same batches in the same
order as a run that was never interrupted, so it ends with the same weights, bit for bit.

As in tf.keras, a backup taken every ``save_freq`` batches resumes at the next batch of the same epoch (or at the
next epoch after its last batch); the interrupted epoch's logged loss and metrics then average only the batches
run after resuming.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterator

import numpy as np

from tensorlet import seeding


@dataclass
class ResumePoint:
    """Where a resumed fit starts: ``epoch``, and in it ``step`` with the saved batch ``order`` (None: draw)."""

    epoch: int
    step: int = 0
    order: np.ndarray | None = None


class FitProgress:
    """The position of a running fit, read by ``BackupAndRestore``; ``resume`` is set by it in
    ``on_train_begin`` to make the loop start elsewhere."""

    def __init__(self) -> None:
        self.epoch = 0
        self.step = -1
        self.steps_per_epoch: int | None = None
        self.batches: Any = None  # the epoch's batch source, whose ``order`` is the epoch's batch order
        self.resume: ResumePoint | None = None

    @property
    def order(self) -> np.ndarray | None:
        order = getattr(self.batches, "order", None)
        return None if order is None else np.asarray(order)


def _random_owners(model: Any) -> Iterator[tuple[str, Any]]:
    """Every layer below ``model`` (the model included), each with a path that names it by position."""
    todo = [("", model)]
    seen: set[int] = set()
    while todo:
        path, layer = todo.pop(0)
        if id(layer) in seen:
            continue
        seen.add(id(layer))
        yield path, layer
        for i, sub in enumerate(getattr(layer, "_sublayers", [])):
            todo.append((f"{path}/{i}", sub))


def _generators(model: Any) -> Iterator[tuple[str, np.random.Generator]]:
    for path, layer in _random_owners(model):
        for name, value in sorted(vars(layer).items()):
            own = getattr(value, "_rng", None)  # a tensorlet.random.Generator holds NumPy's
            if isinstance(value, np.random.Generator):
                yield f"{path}:{name}", value
            elif isinstance(own, np.random.Generator):
                yield f"{path}:{name}._rng", own


def capture_random_state(model: Any) -> str:
    """Every random stream training draws from, as JSON text."""
    global_seed, counter, counts, np_state = seeding.get_state()
    kind, keys, pos, has_gauss, cached = np_state
    state = {"global_seed": global_seed, "op_counter": counter, "op_seed_counts": {str(k): v for k, v in counts.items()},
             "numpy": [kind, [int(k) for k in keys], int(pos), int(has_gauss), float(cached)],
             "layers": {path: gen.bit_generator.state for path, gen in _generators(model)}}
    return json.dumps(state)


def restore_random_state(model: Any, text: str) -> None:
    """Put back what :func:`capture_random_state` saved, into ``seeding`` and the model's layers.

    Raises:
        ValueError: the saved state names layers the model does not have (a different model).
    """
    state = json.loads(text)
    kind, keys, pos, has_gauss, cached = state["numpy"]
    seeding.set_state((state["global_seed"], state["op_counter"],
                       {int(k): v for k, v in state["op_seed_counts"].items()},
                       (kind, np.asarray(keys, dtype=np.uint32), pos, has_gauss, cached)))
    generators = dict(_generators(model))
    missing = sorted(set(state["layers"]) - set(generators))
    if missing:
        raise ValueError(f"The backed-up random state names layer generators {missing} that this model does not "
                         "have: the backup belongs to a different model")
    for path, saved in state["layers"].items():
        generators[path].bit_generator.state = saved
