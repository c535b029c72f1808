"""Loss base class: a per-sample function, sample weighting and reduction, in Keras' semantics."""
from __future__ import annotations

from typing import Any, Callable

from tensorlet.autodiff.tensor import Tensor
from tensorlet.ops import elementwise as E
from tensorlet.ops import reduction as R
from tensorlet.ops import shape as S
from tensorlet.ops.convert import as_tensor
from tensorlet.saving.serialization import deserialize_keras_object, function_name


class Reduction:
    """Keras' reduction names (``Reduction.SUM_OVER_BATCH_SIZE`` ...); 'auto' means sum_over_batch_size."""

    AUTO = "auto"
    NONE = "none"
    SUM = "sum"
    SUM_OVER_BATCH_SIZE = "sum_over_batch_size"
    MEAN = "mean"

    @classmethod
    def all(cls) -> tuple[str, ...]:
        return (cls.AUTO, cls.NONE, cls.SUM, cls.SUM_OVER_BATCH_SIZE, cls.MEAN)


def masked_weights(values: Tensor, sample_weight: Any, mask: Any, reduction: str) -> Tensor:
    """The Keras mask of the predictions folded into the sample weights: masked entries weigh 0, and with
    sum_over_batch_size each kept entry weighs total / kept, so the mean runs over the kept entries only."""
    m = E.cast(mask, values._value.dtype)
    if reduction == Reduction.SUM_OVER_BATCH_SIZE:
        total = float(m._value.size)
        m = E.multiply(m, E.divide(total, E.maximum(R.reduce_sum(m), 1.0)))  # no kept entry: weights stay 0
    if sample_weight is None:
        return m
    sw = E.cast(as_tensor(sample_weight), values._value.dtype)
    while sw.ndim > m.ndim and sw._value.shape[-1] == 1:
        sw = S.squeeze(sw, -1)
    while sw.ndim < m.ndim:
        sw = S.expand_dims(sw, -1)
    return E.multiply(sw, m)


def reduce_weighted(values: Tensor, sample_weight: Any, reduction: str, mask: Any = None) -> Tensor:
    """Multiply per-sample losses by ``sample_weight`` (and the predictions' mask) then reduce
    (sum_over_batch_size: sum / element count)."""
    if mask is not None:
        sample_weight = masked_weights(values, sample_weight, mask, reduction)
    if sample_weight is not None:
        sw = E.cast(as_tensor(sample_weight), values._value.dtype)
        while sw.ndim > values.ndim and sw._value.shape[-1] == 1:
            sw = S.squeeze(sw, -1)
        while sw.ndim < values.ndim:
            sw = S.expand_dims(sw, -1)
        values = E.multiply(values, sw)
    if reduction == Reduction.NONE:
        return values
    if reduction == Reduction.SUM:
        return R.reduce_sum(values)
    return R.reduce_mean(values)  # sum / element count


class Loss:
    """Base class: subclasses implement ``call(y_true, y_pred)`` returning per-sample losses.

    Args:
        reduction: 'sum_over_batch_size' (default), 'sum', 'none' ('auto' is the Keras 2 spelling of the default).
        name: the loss name (used in logs).
    """

    def __init__(self, name: str | None = None, reduction: str = "sum_over_batch_size", dtype: Any = None) -> None:
        if reduction not in Reduction.all():
            raise ValueError(f"Invalid reduction {reduction!r}; expected one of {Reduction.all()}")
        self.reduction = Reduction.SUM_OVER_BATCH_SIZE if reduction in (Reduction.AUTO, Reduction.MEAN) else reduction
        self.name = name or _snake(type(self).__name__)
        self.dtype = dtype

    def call(self, y_true: Tensor, y_pred: Tensor) -> Tensor:
        raise NotImplementedError(f"{type(self).__name__} must implement call(y_true, y_pred)")

    def __call__(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> Tensor:
        yp = y_pred if isinstance(y_pred, Tensor) else as_tensor(y_pred, dtype="float32")
        yt = as_tensor(y_true)
        mask = getattr(yp, "_keras_mask", None)  # timesteps masked upstream (Embedding(mask_zero=True), Masking)
        return reduce_weighted(self.call(yt, yp), sample_weight, self.reduction, mask)

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Loss:
        return cls(**config)


class LossFunctionWrapper(Loss):
    """A Loss around a per-sample function ``fn(y_true, y_pred, **kwargs)``."""

    def __init__(self, fn: Callable[..., Any], reduction: str = "sum_over_batch_size", name: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(name=name or getattr(fn, "__name__", "loss"), reduction=reduction)
        self.fn = fn
        self._fn_kwargs = kwargs

    def call(self, y_true: Tensor, y_pred: Tensor) -> Tensor:
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self) -> dict[str, Any]:
        config = super().get_config()
        config.update({k: v for k, v in self._fn_kwargs.items()})
        if type(self) is LossFunctionWrapper:  # the named loss classes know their function; a bare wrapper names it
            config["fn"] = function_name(self.fn)
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Loss:
        config = dict(config)
        if "fn" in config:
            return cls(deserialize_keras_object(config.pop("fn"), family="losses", kind="loss function"), **config)
        if cls is LossFunctionWrapper:
            raise ValueError("LossFunctionWrapper configs need the function ('fn'): use the named loss class")
        return cls(**config)


def _snake(name: str) -> str:
    import re

    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def align(y_true: Tensor, y_pred: Tensor) -> Tensor:
    """Give y_true y_pred's rank (Keras squeezes or expands the last axis), and y_pred's float dtype."""
    if y_true.ndim == y_pred.ndim - 1:
        y_true = S.expand_dims(y_true, -1)
    elif y_true.ndim == y_pred.ndim + 1 and y_true._value.shape[-1] == 1:
        y_true = S.squeeze(y_true, -1)
    if y_true._value.dtype != y_pred._value.dtype:
        y_true = E.cast(y_true, y_pred._value.dtype)
    if y_true.ndim == y_pred.ndim and any(a != b and a != 1 and b != 1 for a, b in
                                          zip(y_true._value.shape, y_pred._value.shape)):
        raise ValueError(f"The targets (shape {tuple(y_true._value.shape)}) and the model outputs (shape "
                         f"{tuple(y_pred._value.shape)}) have incompatible shapes")
    return y_true
