"""The overridable Keras step API: train_step / test_step / predict_step, compiled_loss, compute_loss,
compiled_metrics, and the step functions (``make_train_function``...).

A subclassed model may override ``train_step(data)`` (a GAN's two optimizers, a VAE's extra losses); ``fit`` then
calls it once per batch and logs the metric results it returns. As Keras does, the step is traced into a plan
(``tf.function``) unless ``compile(run_eagerly=True)``; a step that reads a computed value back to Python runs
eagerly after one warning.
"""
from __future__ import annotations

from typing import Any, Protocol

import numpy as np

from tensorlet import backend
from tensorlet.autodiff.host_call import host_call
from tensorlet.autodiff.tensor import Tensor
from tensorlet.training.compile_utils import LossContainer, LossTracker, MetricsContainer


class _StepHost(Protocol):
    """What StepAPI needs from the model it is mixed into (Trainer and Layer provide it)."""

    _loss_tracker: LossTracker

    @property
    def _loss_container(self) -> LossContainer: ...
    @property
    def losses(self) -> list[Tensor]: ...
    def __call__(self, inputs: Any, *args: Any, **kwargs: Any) -> Any: ...
    def _batch(self, kind: str, x: Any, y: Any, sw: Any) -> tuple[float, list[Any], list[Any], list[Any]]: ...
    def _logs(self, prefix: str = ...) -> dict[str, float]: ...
    def _flat_outputs(self, y_pred: Any) -> list[Any]: ...
    def _flat_targets_tensors(self, y: Any) -> list[Any]: ...
    def _step_function(self, kind: str) -> Any: ...
    def compiled_loss(self, y_true: Any, y_pred: Any, sample_weight: Any = ...,
                      regularization_losses: Any = ...) -> Any: ...


class StepAPI:
    """Mixed into Trainer."""

    def train_step(self: _StepHost, data: Any) -> dict[str, Any]:
        """One optimization step on ``data = (x, y[, sample_weight])``; returns the metric results."""
        x, y, sw = _unpack_data(data)
        self._batch("train", x, y, sw)
        return self._logs()

    def test_step(self: _StepHost, data: Any) -> dict[str, Any]:
        x, y, sw = _unpack_data(data)
        self._batch("test", x, y, sw)
        return self._logs()

    def compiled_loss(self: _StepHost, y_true: Any, y_pred: Any, sample_weight: Any = None,
                      regularization_losses: Any = None) -> Any:
        """The compiled loss as a Tensor (differentiable), including regularization penalties."""
        from tensorlet.ops.elementwise import add, add_n

        ys = [None if t is None else t for t in self._flat_targets_tensors(y_true)]
        total, _ = self._loss_container(ys, self._flat_outputs(y_pred), [sample_weight] * len(ys))
        reg = list(regularization_losses) if regularization_losses is not None else self.losses
        if reg:
            total = add(total, add_n(reg))
        rows = None if ys[0] is None else np.ones(int(ys[0]._value.shape[0]) if ys[0]._value.ndim else 1)
        self._loss_tracker.update_state(total, rows)
        return total

    def compute_loss(self: _StepHost, x: Any = None, y: Any = None, y_pred: Any = None, sample_weight: Any = None,
                     training: bool = True) -> Any:
        return self.compiled_loss(y, y_pred, sample_weight)

    @property
    def compiled_metrics(self) -> Any:
        return _CompiledMetrics(self)

    def _flat_targets_tensors(self: _StepHost, y: Any) -> list[Any]:
        from tensorlet.autodiff.tensor import Tensor, _wrap

        return [t if isinstance(t, Tensor) or t is None else _wrap(backend.asarray(t)) for t in self._flat_outputs(y)]

    def predict_step(self: _StepHost, data: Any) -> Any:
        """The model's outputs for one batch (``data`` is ``x``, or ``(x,)``/``(x, y...)`` as Keras 2 passes)."""
        x = data[0] if isinstance(data, tuple) and len(data) in (1, 2, 3) and not hasattr(data, "_fields") \
            else data
        return self(x, training=False)

    def _custom_step(self: _StepHost, kind: str, x: Any, y: Any, sw: Any) -> dict[str, float]:
        from tensorlet.layers.layer import _to_tensors

        data = (_to_tensors(x),) if y is None else (_to_tensors(x), _to_tensors(y))
        if sw is not None:
            data = data + (_to_tensors(sw),)
        out = self._step_function(kind)(data)
        return {k: float(getattr(v, "_value", v)) for k, v in (out or {}).items()}

    def _custom_predict(self: _StepHost, x: Any) -> list[Any]:
        from tensorlet.layers.layer import _to_tensors

        out = self._step_function("predict")(_to_tensors(x))
        return [np.asarray(backend.to_numpy(getattr(o, "_value", o))) for o in self._flat_outputs(out)]

    def _step_function(self, kind: str) -> Any:
        """``train_step``/``test_step``/``predict_step`` as called by the loops: traced once per data signature
        unless the model runs eagerly (made again after ``compile``)."""
        step = getattr(self, f"{kind}_step")
        if getattr(self, "_run_eagerly", False):
            return step
        cache = self.__dict__.setdefault("_step_functions", {})
        fn = cache.get(kind)
        if fn is None:
            from tensorlet.autodiff.traced_function import function

            fn = cache[kind] = function(step, name=f"{kind}_step")
        return fn

    def make_train_function(self, force: bool = False) -> Any:
        """The function ``fit`` calls per batch: ``train_function(data) -> logs`` (``data = (x, y[, sw])``)."""
        return lambda data: _logs_of(self._step_function("train")(_as_data(data)))

    def make_test_function(self, force: bool = False) -> Any:
        return lambda data: _logs_of(self._step_function("test")(_as_data(data)))

    def make_predict_function(self, force: bool = False) -> Any:
        return lambda data: self._step_function("predict")(_as_data(data))

    def get_compile_config(self) -> dict[str, Any] | None:
        """The ``compile()`` arguments, serialized as a ``.keras`` file keeps them (None before ``compile``)."""
        from tensorlet.saving.compile_config import compile_config_of

        return compile_config_of(self)

    def compile_from_config(self, config: dict[str, Any]) -> None:
        """``compile()`` with arguments from ``get_compile_config()``."""
        from tensorlet.saving.compile_config import compile_from_config

        compile_from_config(self, config)

    def export(self, filepath: Any, format: str = "tf_saved_model", **kwargs: Any) -> None:  # noqa: A002
        raise NotImplementedError(
            "Model.export (TensorFlow SavedModel / ONNX for serving) is not provided by tensorlet: it has no "
            "TensorFlow graph to export. Save with model.save('model.keras') (loadable by Keras 3) or "
            "tf.saved_model.save for tensorlet itself.")

    def _has_custom_step(self, kind: str) -> bool:
        name = f"{kind}_step"
        return getattr(type(self), name) is not getattr(StepAPI, name)


def _as_data(data: Any) -> Any:
    """What a step function receives: a tuple of tensors (an iterator yields its next element, as Keras 2's
    step functions take one)."""
    from tensorlet.layers.layer import _to_tensors

    if hasattr(data, "__next__"):
        data = next(data)
    if isinstance(data, tuple):
        return tuple(None if d is None else _to_tensors(d) for d in data)
    return (_to_tensors(data),)


def _logs_of(out: Any) -> dict[str, float]:
    return {k: float(getattr(v, "_value", v)) for k, v in (out or {}).items()}


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
        """Update the compiled metrics (inside a traced step: on each of its runs; the metrics are made now, from
        the shapes, so that ``model.metrics`` lists them at once)."""
        from tensorlet.autodiff.context import host_reads_allowed

        model = self.model
        outputs = model._flat_outputs(y_pred)
        flat = [model._flat_targets_tensors(y_true), outputs,
                model._flat_outputs(sample_weight) if isinstance(sample_weight, (list, tuple, dict))
                else [sample_weight],
                [getattr(p, "_keras_mask", None) for p in outputs]]  # the outputs' Keras masks weigh the metrics
        mc = model._metrics_container
        if mc is None:
            _l, metrics, _w, weighted = model._compile_args
            mc = model._metrics_container = MetricsContainer(metrics, weighted, model._output_names,
                                                             model._loss_container.names, model._output_keys)
        if not mc.built:
            with host_reads_allowed():  # only the shapes matter here
                mc.build([None if t is None else backend.to_numpy(t._value) for t in flat[0]],
                         [backend.to_numpy(getattr(p, "_value", p)) for p in flat[1]])
        sizes = [len(part) for part in flat]
        host_call(lambda *values: self._update(values, sizes), tuple(v for part in flat for v in part))

    def _update(self, values: Any, sizes: list[int]) -> None:
        from tensorlet.training.data_adapter import to_numpy

        model = self.model
        ends = [sum(sizes[:k + 1]) for k in range(len(sizes))]
        ys, preds, sws, masks = (list(values[a:b]) for a, b in zip([0] + ends[:-1], ends))
        ys_np = [None if y is None else to_numpy(y) for y in ys]
        sw = sws[0] if len(sws) == 1 else sws
        model._metrics_container.update(ys_np, [to_numpy(p) for p in preds],
                                        model._flat_weights(to_numpy(sw), len(ys_np)),
                                        [None if m is None else to_numpy(m) for m in masks])

    @property
    def metrics(self) -> list[Any]:
        mc = self.model._metrics_container
        return mc.all() if mc is not None else []
