"""What ``compile`` configures: the loss per output (with weights) and the metrics per output."""
from __future__ import annotations

from typing import Any

import numpy as np

from tensorlet import backend
from tensorlet.autodiff.host_call import host_method
from tensorlet.autodiff.tensor import Tensor, _wrap
from tensorlet.ops.elementwise import add, multiply
from tensorlet.training.targets import match_target

_ACCURACY_NAMES = ("accuracy", "acc")
_CE_NAMES = ("crossentropy", "ce")


def _per_output(spec: Any, output_keys: list[Any], what: str) -> list[Any]:
    """Spread a single spec, a list, or a dict keyed like the outputs (see ``Trainer._output_keys``) over them."""
    n = len(output_keys)
    if isinstance(spec, dict):
        unknown = set(spec) - set(output_keys)
        if unknown and n > 1:
            raise ValueError(f"Unknown output name(s) in {what}: {sorted(unknown)}; the model's outputs are "
                             f"{output_keys}")
        if n == 1 and not set(spec) & set(output_keys):
            return [spec]
        return [spec.get(key) for key in output_keys]
    if isinstance(spec, (list, tuple)) and n > 1 and what == "loss":
        if len(spec) != n:
            raise ValueError(f"The model has {n} outputs but {len(spec)} losses were given")
        return list(spec)
    return [spec] * n


class LossContainer:
    """Computes the weighted total loss of all outputs as one scalar Tensor."""

    def __init__(self, loss: Any, loss_weights: Any, output_names: list[str],
                 output_keys: list[Any] | None = None) -> None:
        from tensorlet import losses

        keys = output_names if output_keys is None else output_keys  # what dict specs are keyed by
        specs = _per_output(loss, keys, "loss")
        self.losses = [None if s is None else losses.get(s) for s in specs]
        weights = _per_output(loss_weights, keys, "loss_weights") if loss_weights is not None else [1.0] * \
            len(output_names)
        if isinstance(loss_weights, (list, tuple)):
            weights = list(loss_weights)
        self.weights = [1.0 if w is None else float(w) for w in weights]
        self.output_names = output_names
        self.names = [_loss_name(s) for s in specs]

    def __call__(self, y_true: list[Any], y_pred: list[Tensor], sample_weight: list[Any]) -> tuple[Tensor, list[Tensor]]:
        total = None
        parts = []
        for fn, w, yt, yp, sw in zip(self.losses, self.weights, y_true, y_pred, sample_weight):
            if fn is None or yt is None:
                continue
            value = _call_loss(fn, yt, yp, sw)
            parts.append(value)
            term = value if w == 1.0 else multiply(value, np.float32(w))
            total = term if total is None else add(total, term)
        if total is None:
            raise ValueError("No loss to compute: pass `loss=` to compile() and targets `y` to fit()")
        return total, parts


def _call_loss(fn: Any, yt: Any, yp: Tensor, sw: Any) -> Tensor:
    from tensorlet.losses import Loss

    yt = match_target(yt, yp)

    if isinstance(fn, Loss):
        return fn(yt, yp, sample_weight=sw)
    from tensorlet.losses import LossFunctionWrapper

    return LossFunctionWrapper(fn)(yt, yp, sample_weight=sw)


def _loss_name(spec: Any) -> str | None:
    if spec is None:
        return None
    if isinstance(spec, str):
        return spec
    return getattr(spec, "name", None) or getattr(spec, "__name__", None)


class MetricsContainer:
    """Per-output metric objects, resolved from strings at the first batch (when shapes are known)."""

    def __init__(self, metrics: Any, weighted_metrics: Any, output_names: list[str], loss_names: list[Any],
                 output_keys: list[Any] | None = None) -> None:
        self.output_names = output_names  # metric name prefixes
        keys = output_names if output_keys is None else output_keys  # what dict specs are keyed by
        self.specs = _metric_specs(metrics, keys)
        self.weighted_specs = _metric_specs(weighted_metrics, keys)
        self.loss_names = loss_names
        self.metrics: list[list[Any]] = [[] for _ in output_names]
        self.weighted: list[list[Any]] = [[] for _ in output_names]
        self._takes_tensors: set[int] = set()  # ids of users' Metric objects: they get Tensors, as in Keras
        self.built = False

    def build(self, y_true: list[Any], y_pred: list[Any]) -> None:
        prefix = len(self.output_names) > 1
        for i, name in enumerate(self.output_names):
            yt, yp = y_true[i], y_pred[i]
            if yt is None:
                continue
            for spec in self.specs[i]:
                self.metrics[i].append(self._resolve(spec, yt, yp, i, name if prefix else None))
            for spec in self.weighted_specs[i]:
                self.weighted[i].append(self._resolve(spec, yt, yp, i, name if prefix else None))
        taken = {m.name for ms in self.metrics for m in ms}
        for i, name in enumerate(self.output_names):  # Keras: a weighted metric named like another is "weighted_"
            for m in self.weighted[i]:
                if m.name in taken:
                    m.name = f"{name}_weighted_{m.name[len(name) + 1:]}" if prefix else f"weighted_{m.name}"
                taken.add(m.name)
        self.built = True

    def _resolve(self, spec: Any, yt: Any, yp: Any, i: int, prefix: str | None) -> Any:
        from tensorlet import metrics
        from tensorlet.metrics.metric import is_builtin

        loss_name = self.loss_names[i] if i < len(self.loss_names) else None
        if isinstance(spec, str) and spec in _ACCURACY_NAMES + _CE_NAMES:
            from tensorlet.metrics.resolve import resolve_accuracy

            m = resolve_accuracy(spec, _shape(yt), _shape(yp), loss_name=loss_name)
        else:
            m = metrics.get(spec)
            if not hasattr(m, "update_state"):
                m = metrics.MeanMetricWrapper(m, name=getattr(m, "__name__", str(spec)))
        if prefix:
            m.name = f"{prefix}_{m.name}"
        if not is_builtin(m):
            self._takes_tensors.add(id(m))
        return m

    def update(self, y_true: list[Any], y_pred: list[Any], sample_weight: list[Any],
               masks: list[Any] | None = None) -> None:
        """``masks``: the Keras mask of each output (or None); as in tf.keras 2, it weights the metrics, and
        multiplies the sample weights of the weighted metrics."""
        for i in range(len(self.metrics)):
            yt = y_true[i]
            if yt is None or not (self.metrics[i] or self.weighted[i]):  # nothing to update: no matching either
                continue
            yt = match_target(yt, y_pred[i])
            mask = None if masks is None or masks[i] is None else \
                np.asarray(backend.to_numpy(masks[i]), dtype=np.float32)
            sw = sample_weight[i]
            if sw is not None and len(_shape(sw)) == 1 and len(_shape(y_pred[i])) == 2:
                sw = np.asarray(sw)[:, None]
            for m in self.metrics[i]:
                _update(m, yt, y_pred[i], mask, id(m) in self._takes_tensors)
            if mask is not None:  # output masks weigh the metrics (times the sample weights for weighted ones)
                sw = mask if sw is None else _expand_to(np.asarray(sw, np.float32), mask.ndim) * mask
            for m in self.weighted[i]:
                _update(m, yt, y_pred[i], sw, id(m) in self._takes_tensors)

    def all(self) -> list[Any]:
        return [m for ms in self.metrics for m in ms] + [m for ms in self.weighted for m in ms]

    def reset(self) -> None:
        for m in self.all():
            m.reset_state()


def _shape(a: Any) -> tuple[Any, ...]:
    """An array's shape, on any backend (``np.shape`` would convert a backend array to the host)."""
    return tuple(a.shape) if hasattr(a, "shape") else np.shape(a)


def _expand_to(w: np.ndarray, ndim: int) -> np.ndarray:
    return w.reshape(w.shape + (1,) * max(ndim - w.ndim, 0))


def _on_backend(a: Any) -> Tensor:
    return a if isinstance(a, Tensor) else _wrap(backend.asarray(a))


def _update(metric: Any, y_true: Any, y_pred: Any, sample_weight: Any, tensors: bool) -> None:
    """Built-in metrics take the batch's arrays; a user's Metric subclass gets Tensors, as in Keras."""
    if tensors:
        y_true, y_pred = _on_backend(y_true), _on_backend(y_pred)
        sample_weight = None if sample_weight is None else _on_backend(sample_weight)
    if sample_weight is None:
        metric.update_state(y_true, y_pred)
    else:
        metric.update_state(y_true, y_pred, sample_weight=sample_weight)


def _metric_specs(metrics: Any, output_keys: list[Any]) -> list[list[Any]]:
    n = len(output_keys)
    if metrics is None:
        return [[] for _ in range(n)]
    if isinstance(metrics, dict):
        out = []
        for key in output_keys:
            v = metrics.get(key, [])
            out.append(list(v) if isinstance(v, (list, tuple)) else [v])
        return out
    if isinstance(metrics, (list, tuple)):
        if n > 1 and metrics and all(isinstance(m, (list, tuple)) for m in metrics):
            return [list(m) for m in metrics]
        return [list(metrics) for _ in range(n)]
    return [[metrics] for _ in range(n)]


class LossTracker:
    """A sample-weighted running mean of a loss, listed first in ``model.metrics`` as Keras does."""

    def __init__(self, name: str = "loss") -> None:
        self.name = name
        self.total = 0.0
        self.count = 0.0

    def add(self, value: float, weight: float) -> None:
        self.total += value * weight
        self.count += weight

    @host_method
    def update_state(self, values: Any, sample_weight: Any = None) -> None:
        v = np.asarray(backend.to_numpy(getattr(values, "_value", values)), dtype=np.float64)
        w = 1.0 if sample_weight is None else float(np.sum(backend.to_numpy(getattr(sample_weight, "_value",
                                                                                     sample_weight))))
        self.add(float(np.mean(v)), w)

    def _result_float(self) -> float:
        return self.total / self.count if self.count else 0.0

    @host_method
    def result(self) -> Any:
        from tensorlet.autodiff.tensor import _wrap

        return _wrap(backend.asarray(self._result_float(), dtype="float32"))

    @host_method
    def reset_state(self) -> None:
        self.total = 0.0
        self.count = 0.0

    reset_states = reset_state


def as_tensor_list(arrays: list[Any]) -> list[Any]:
    return [None if a is None else _wrap(a) for a in arrays]
