"""Small decisions of the training loop: validation batching, validation frequency, loss-spec checks, metric
values for the logs."""
from __future__ import annotations

from typing import Any

import numpy as np

from tensorlet import tree
from tensorlet.training import data_adapter as da

VALIDATION_BATCH_FACTOR = 4


def _batch_blind(val: Any, callbacks: list[Any]) -> bool:
    """Whether fit may validate in larger batches than asked: in-memory arrays, no ``validation_steps``, and no
    callback that sees validation batches (the losses and metrics are sample-weighted means over the batches,
    so only float rounding can tell the batch size)."""
    from tensorlet.callbacks.callback_list import _overrides
    from tensorlet.callbacks.progbar_logger import ProgbarLogger

    if not isinstance(val, da.ArrayBatches) or val.steps:
        return False
    return not any(_overrides(c, h) for c in callbacks if not isinstance(c, ProgbarLogger)
                   for h in ("on_test_batch_begin", "on_test_batch_end"))


def _validate_loss_spec(loss: Any) -> None:
    """Resolve loss strings now, so a typo fails in compile() with the list of valid names."""
    from tensorlet import losses

    for spec in tree.flatten(loss):
        if isinstance(spec, str):
            losses.get(spec)


def _due(epoch: int, freq: Any) -> bool:
    if isinstance(freq, int):
        return (epoch + 1) % freq == 0
    return (epoch + 1) in set(freq)


def _metric_value(m: Any) -> float:
    fast = getattr(m, "_result_float", None)
    return float(fast()) if fast is not None else float(np.asarray(m.result()))
