"""The overridable Keras step API: train_step / test_step, compiled_loss, compute_loss, compiled_metrics.

A subclassed model may override ``train_step(data)``; ``fit`` then calls it once per batch (eagerly) and logs
what it returns.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from tensorlet.training.compile_utils import MetricsContainer


class StepAPI:
    """Mixed into Trainer."""

    def train_step(self, data: Any) -> dict[str, Any]:
        """One optimization step on ``data = (x, y[, sample_weight])``; returns the metric results."""
        x, y, sw = _unpack_data(data)
        self._batch("train", x, y, sw)
        return self._logs()

    def test_step(self, data: Any) -> dict[str, Any]:
        x, y, sw = _unpack_data(data)
        self._batch("test", x, y, sw)
        return self._logs()

    def compiled_loss(self, y_true: Any, y_pred: Any, sample_weight: Any = None,
                      regularization_losses: Any = None) -> Any:
        """The compiled loss as a Tensor (differentiable), including regularization penalties."""
        from tensorlet.ops.elementwise import add, add_n

        ys = [None if t is None else t for t in self._flat_targets_tensors(y_true)]
        total, _ = self._loss_container(ys, self._flat_outputs(y_pred), [sample_weight] * len(ys))
        reg = list(regularization_losses) if regularization_losses is not None else self.losses
        if reg:
            total = add(total, add_n(reg))
        self._loss_tracker.update_state(total, None if ys[0] is None else np.ones(len(np.asarray(ys[0]))))
        return total

    def compute_loss(self, x: Any = None, y: Any = None, y_pred: Any = None, sample_weight: Any = None,
                     training: bool = True) -> Any:
        return self.compiled_loss(y, y_pred, sample_weight)

    @property
    def compiled_metrics(self) -> Any:
        return _CompiledMetrics(self)

    def _flat_targets_tensors(self, y: Any) -> list[Any]:
        from tensorlet.autodiff.tensor import Tensor, _wrap

        return [t if isinstance(t, Tensor) or t is None else _wrap(np.asarray(t))
                for t in (self._flat_outputs(y) if isinstance(y, (list, tuple, dict)) else [y])]

    def _custom_step(self, kind: str, x: Any, y: Any, sw: Any) -> dict[str, float]:
        from tensorlet.layers.layer import _to_tensors

        data = (_to_tensors(x),) if y is None else (_to_tensors(x), _to_tensors(y))
        if sw is not None:
            data = data + (_to_tensors(sw),)
        out = self.train_step(data) if kind == "train" else self.test_step(data)
        return {k: float(np.asarray(getattr(v, "_value", v))) for k, v in (out or {}).items()}

    def _has_custom_step(self, kind: str) -> bool:
        name = "train_step" if kind == "train" else "test_step"
        return getattr(type(self), name) is not getattr(StepAPI, name)


def _unpack_data(data: Any) -> tuple[Any, Any, Any]:
    from tensorlet.training.data_adapter import to_numpy

    if isinstance(data, tuple):
        parts = [to_numpy(p) for p in data] + [None, None]
        return parts[0], parts[1], parts[2]
    return to_numpy(data), None, None


class _CompiledMetrics:
    """Keras 2's ``model.compiled_metrics``: ``update_state(y_true, y_pred, sample_weight)``."""

    def __init__(self, model: Any) -> None:
        self.model = model

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        from tensorlet.training.data_adapter import to_numpy

        model = self.model
        ys = model._flat_targets(to_numpy(y_true))
        outputs = model._flat_outputs(y_pred)
        preds = [to_numpy(p) for p in outputs]
        masks = [None if getattr(p, "_keras_mask", None) is None else to_numpy(p._keras_mask) for p in outputs]
        sws = model._flat_weights(to_numpy(sample_weight), len(ys))
        mc = model._metrics_container
        if mc is None:
            _l, metrics, _w, weighted = model._compile_args
            mc = model._metrics_container = MetricsContainer(metrics, weighted, model._output_names,
                                                             model._loss_container.names)
        if not mc.built:
            mc.build(ys, preds)
        mc.update(ys, preds, sws, masks)

    @property
    def metrics(self) -> list[Any]:
        mc = self.model._metrics_container
        return mc.all() if mc is not None else []
