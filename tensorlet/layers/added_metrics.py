"""``Layer.add_metric`` (Keras 2): a value computed in ``call`` becomes a running metric of the layer.

``self.add_metric(tf.reduce_mean(x), name="mean_activation")`` makes (once) a ``Mean`` metric of that name on the
layer; ``Model.metrics`` lists it, so ``fit`` logs it (``val_`` too) and resets it each epoch.

Outside a training step the value updates the metric at once. Inside one, the step runs from a traced plan that
replays ops, not Python side effects: the step collects the values instead (``collecting``), returns them as
outputs of the plan, and the trainer updates the metrics with each batch's values.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Any, Iterator

from tensorlet.layers import tracking

_local = threading.local()  # per thread: two threads predicting on one model must not share a collector


@contextmanager
def collecting() -> Iterator[list[tuple[Any, Any]]]:
    """Collect (metric, value) pairs from ``add_metric`` calls made inside the block instead of applying them."""
    stack = _local.__dict__.setdefault("stack", [])
    collected: list[tuple[Any, Any]] = []
    stack.append(collected)
    try:
        yield collected
    finally:
        stack.pop()


def add_metric(layer: Any, value: Any, name: str | None = None, aggregation: str | None = None) -> None:
    """Update (or collect) the layer's metric ``name`` with ``value``."""
    from tensorlet.metrics.metric import Mean, Metric, Sum

    if isinstance(value, Metric):
        raise TypeError(f'Layer "{layer.name}": add_metric takes a tensor (the value to average), not a Metric '
                        f"object; call it with the metric's result, e.g. add_metric(metric(y_true, y_pred), "
                        f"name=...), or assign the metric to an attribute")
    if not name:
        raise ValueError(f'Layer "{layer.name}": please provide a name for your metric, like '
                         "`self.add_metric(tf.reduce_sum(inputs), name='mean_activation')`")
    if aggregation not in (None, "mean", "sum"):
        raise ValueError(f'Layer "{layer.name}": add_metric aggregation must be "mean" or "sum", got '
                         f"{aggregation!r}")
    metrics = layer.__dict__.setdefault("_added_metrics", {})
    metric = metrics.get(name)
    if metric is None:
        metric = metrics[name] = (Sum if aggregation == "sum" else Mean)(name=name)
        tracking.bump()  # Model.metrics lists it from now on
    stack = _local.__dict__.get("stack")
    if stack:
        stack[-1].append((metric, value))
    else:
        metric.update_state(value)
