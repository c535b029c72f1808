"""Metric base class, Mean, Sum and MeanMetricWrapper.

Metrics run once per training batch, so they work on NumPy arrays and keep Python-float state; ``result()``
returns a Tensor (as Keras does) and ``_result_float()`` the plain value the training loop logs.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from tensorlet import backend
from tensorlet.autodiff.host_call import host_method
from tensorlet.saving.serialization import deserialize_keras_object, function_name


def as_array(x: Any) -> np.ndarray:
    """A tensor, backend array or host value as a NumPy array: metrics keep their state on the host."""
    return np.asarray(backend.to_numpy(getattr(x, "_value", x)))


def _to_tensor(value: float) -> Any:
    try:
        from tensorlet.autodiff.tensor import _wrap

        return _wrap(backend.asarray(value, dtype="float32"))
    except ImportError:  # pragma: no cover
        return np.float32(value)


def per_sample_weights(sample_weight: Any, n: int) -> np.ndarray | None:
    if sample_weight is None:
        return None
    w = as_array(sample_weight).astype(np.float64)
    if w.ndim == 0:
        return np.full(n, float(w))
    w = w.reshape(len(w), -1)
    return w.mean(axis=1) if w.shape[1] > 1 else w[:, 0]


class Metric:
    """Base class: ``update_state`` accumulates, ``result`` reads, ``reset_state`` clears."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Inside a traced function (``tf.function``, a traced ``train_step``), a metric accumulates on each run of
        the function, not once while it is traced: its state methods become replayed host calls."""
        super().__init_subclass__(**kwargs)
        for name in ("update_state", "reset_state", "reset_states", "result"):
            method = cls.__dict__.get(name)
            if method is not None and not getattr(method, "_host_method", False):
                setattr(cls, name, host_method(method, returns_value=name == "result"))
        init = cls.__dict__.get("__init__")
        if init is not None and not getattr(init, "_constructing", False):
            cls.__init__ = _constructing(init)  # type: ignore[method-assign]

    def __init__(self, name: str | None = None, dtype: Any = None) -> None:
        import re

        self.name = name or re.sub(r"(?<!^)(?=[A-Z])", "_", type(self).__name__).lower()
        self.dtype = dtype or "float32"

    def update_state(self, *args: Any, **kwargs: Any) -> None:
        raise NotImplementedError(f"{type(self).__name__} must implement update_state")

    def _result_float(self) -> float:
        raise NotImplementedError(f"{type(self).__name__} must implement _result_float")

    def result(self) -> Any:
        return _to_tensor(self._result_float())

    def reset_state(self) -> None:
        raise NotImplementedError(f"{type(self).__name__} must implement reset_state")

    def reset_states(self) -> None:  # Keras 2 spelling
        self.reset_state()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.update_state(*args, **kwargs)
        return self.result()

    @property
    def variables(self) -> list[Any]:
        return []

    def get_config(self) -> dict[str, Any]:
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Metric:
        return cls(**config)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} name={self.name}>"


def _constructing(init: Callable[..., Any]) -> Callable[..., Any]:
    """While a metric is being made (even inside a traced function), its own state calls run at once."""
    import functools

    @functools.wraps(init)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> None:
        depth = self.__dict__.get("_constructing", 0)
        self.__dict__["_constructing"] = depth + 1
        try:
            init(self, *args, **kwargs)
        finally:
            self.__dict__["_constructing"] = depth

    wrapper._constructing = True  # type: ignore[attr-defined]
    return wrapper


Metric.result = host_method(Metric.result, returns_value=True)  # type: ignore[method-assign]
Metric.reset_states = host_method(Metric.reset_states)  # type: ignore[method-assign]


class Mean(Metric):
    """The (weighted) mean of the values seen: sum(w v) / sum(w)."""

    def __init__(self, name: str = "mean", dtype: Any = None) -> None:
        super().__init__(name, dtype)
        self.reset_state()

    def reset_state(self) -> None:
        self.total = 0.0
        self.count = 0.0

    def update_state(self, values: Any, sample_weight: Any = None) -> None:
        v = as_array(values).astype(np.float64)
        if sample_weight is None:
            self.total += float(v.sum())
            self.count += v.size
            return
        w = np.broadcast_to(as_array(sample_weight).astype(np.float64).reshape(
            as_array(sample_weight).shape + (1,) * max(v.ndim - np.ndim(sample_weight), 0)), v.shape)
        self.total += float((v * w).sum())
        self.count += float(w.sum())

    def _result_float(self) -> float:
        return self.total / self.count if self.count else 0.0


class Sum(Metric):
    """The (weighted) sum of the values seen."""

    def __init__(self, name: str = "sum", dtype: Any = None) -> None:
        super().__init__(name, dtype)
        self.total = 0.0

    def reset_state(self) -> None:
        self.total = 0.0

    def update_state(self, values: Any, sample_weight: Any = None) -> None:
        v = as_array(values).astype(np.float64)
        if sample_weight is not None:
            v = v * np.broadcast_to(as_array(sample_weight).astype(np.float64), v.shape)
        self.total += float(v.sum())

    def _result_float(self) -> float:
        return self.total


class MeanMetricWrapper(Mean):
    """The weighted mean over samples of ``fn(y_true, y_pred)`` (a per-sample metric function)."""

    def __init__(self, fn: Callable[..., Any], name: str | None = None, dtype: Any = None, **kwargs: Any) -> None:
        super().__init__(name=name or getattr(fn, "__name__", "metric"), dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        values = as_array(self.fn(as_array(y_true), as_array(y_pred), **self._fn_kwargs))
        if sample_weight is not None and values.ndim > 1 and np.ndim(sample_weight) == values.ndim:
            # one weight per value (a mask of timesteps): sum(w v) / sum(w), as Keras' Reduce metrics
            w = np.broadcast_to(as_array(sample_weight).astype(np.float64), values.shape)
            self.total += float(np.sum(values * w))
            self.count += float(w.sum())
            return
        values = values.reshape(len(values), -1).mean(axis=1) if values.ndim > 1 else values
        w = per_sample_weights(sample_weight, len(values)) if values.ndim else None
        if w is None:
            self.total += float(np.sum(values, dtype=np.float64))
            self.count += values.size
        else:
            self.total += float(np.dot(values.astype(np.float64), w))
            self.count += float(w.sum())

    def get_config(self) -> dict[str, Any]:
        config = {**super().get_config(), **self._fn_kwargs}
        if type(self) is MeanMetricWrapper:  # the built-in subclasses know their function; a bare wrapper names it
            config["fn"] = function_name(self.fn)
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Metric:
        config = dict(config)
        if "fn" not in config:
            if cls is MeanMetricWrapper:
                raise ValueError(f"A MeanMetricWrapper config needs its function ('fn'); got {sorted(config)}")
            return cls(**config)
        fn = deserialize_keras_object(config.pop("fn"), family="metrics", kind="metric function")
        if isinstance(fn, Metric):  # the name of a built-in metric: that metric, under the saved name
            fn.name = config.get("name") or fn.name
            return fn
        return cls(fn, **config)
