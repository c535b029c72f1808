"""Metric base class, Mean, Sum and MeanMetricWrapper.

A metric's state lives in variables made by ``add_weight`` (``add_variable`` in Keras 3), listed by
``.variables`` and zeroed by the default ``reset_state``, so a user's ``keras.metrics.Metric`` subclass works as
in Keras. The built-in metrics run once per training batch on NumPy arrays and update their (float64) variables
in place; ``result()`` returns a Tensor (as Keras does) and ``_result_float()`` the plain value the training loop
logs. A user's metric receives Tensors in ``update_state``.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from tensorlet import backend
from tensorlet.autodiff.host_call import host_method
from tensorlet.autodiff.tensor import Variable
from tensorlet.saving.serialization import deserialize_keras_object, function_name


def as_array(x: Any) -> np.ndarray:
    """A tensor, backend array or host value as a NumPy array: metrics keep their state on the host."""
    return np.asarray(backend.to_numpy(getattr(x, "_value", x)))


def state(var: Any) -> np.ndarray:
    """A built-in metric's state variable as a host array (the variable itself lives on the backend)."""
    return np.asarray(backend.to_numpy(var._value))


def accumulate(var: Any, delta: Any) -> None:
    """Add host data to a built-in metric's state variable in place."""
    var._value += backend.asarray(np.asarray(delta, dtype=var._value.dtype))


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


def is_builtin(obj: Any) -> bool:
    """tensorlet's own metric or metric function (they take NumPy arrays; users' get Tensors, as in Keras)."""
    return getattr(obj, "__module__", "").startswith("tensorlet.")


class Metric:
    """Base class: ``update_state`` accumulates, ``result`` reads, ``reset_state`` clears.

    Example:
        >>> class TruePositives(Metric):
        ...     def __init__(self, name="tp", **kwargs):
        ...         super().__init__(name=name, **kwargs)
        ...         self.tp = self.add_weight(name="tp", initializer="zeros")
        ...     def update_state(self, y_true, y_pred, sample_weight=None):
        ...         self.tp.assign_add(float(np.sum((np.asarray(y_pred) > 0.5) & (np.asarray(y_true) > 0.5))))
        ...     def result(self):
        ...         return self.tp
        >>> m = TruePositives()
        >>> m.update_state([1, 0, 1], [0.9, 0.8, 0.2])
        >>> float(m.result()), [v.name for v in m.variables]
        (1.0, ['tp:0'])
    """

    _variables: list[Variable]  # set in __init__ past __setattr__'s tracking

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

    def __init__(self, name: str | None = None, dtype: Any = None, **kwargs: Any) -> None:
        import re

        if kwargs:
            raise TypeError(f"{type(self).__name__}.__init__() got unexpected keyword argument(s): {sorted(kwargs)}")
        object.__setattr__(self, "_variables", [])
        self.name = name or re.sub(r"(?<!^)(?=[A-Z])", "_", type(self).__name__).lower()
        self.dtype = getattr(dtype, "name", dtype) or "float32"

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, Variable):  # a variable assigned as an attribute is state too (Keras 2 tracks it)
            owned = self.__dict__.get("_variables")
            if owned is not None and all(value is not v for v in owned):
                owned.append(value)
        object.__setattr__(self, name, value)

    # -- state -----------------------------------------------------------------------------------------------
    def add_weight(self, name: Any = None, shape: Any = (), aggregation: Any = "sum", synchronization: Any = None,
                   initializer: Any = None, dtype: Any = None, **kwargs: Any) -> Variable:
        """A state variable (not trainable), zeros unless ``initializer`` says otherwise.

        tf.keras 2's order ``add_weight(name, shape, ..., initializer, dtype)``; Keras 3's keyword
        ``add_weight(shape=, initializer=, dtype=, name=)`` and a shape given first are accepted too.
        """
        from tensorlet import initializers

        if isinstance(name, (tuple, list)):  # Keras 3's positional shape
            name, shape = kwargs.pop("name", None), name
        unknown = set(kwargs) - {"trainable", "experimental_autocast", "caching_device", "use_resource"}
        if unknown:
            raise TypeError(f"{type(self).__name__}.add_weight() got unexpected keyword argument(s): {sorted(unknown)}")
        shape = tuple(int(d) for d in (shape or ()))
        dtype = np.dtype(getattr(dtype, "name", dtype) or self.dtype)
        init = initializers.get(initializer if initializer is not None else "zeros")
        value = init(shape, dtype=dtype.name)
        var = Variable(np.asarray(getattr(value, "_value", value), dtype=dtype), trainable=False,
                       name=name or f"variable_{len(self._variables)}", dtype=dtype)
        self._variables.append(var)
        return var

    def add_variable(self, shape: Any = (), initializer: Any = None, dtype: Any = None, aggregation: Any = "sum",
                     name: Any = None) -> Variable:
        """Keras 3's spelling of ``add_weight``."""
        return self.add_weight(name=name, shape=shape, initializer=initializer, dtype=dtype)

    @property
    def variables(self) -> list[Variable]:
        return list(self._variables)

    @property
    def weights(self) -> list[Variable]:
        return self.variables

    @property
    def non_trainable_variables(self) -> list[Variable]:
        return self.variables

    @property
    def trainable_variables(self) -> list[Variable]:
        return []

    def update_state(self, *args: Any, **kwargs: Any) -> None:
        raise NotImplementedError(f"{type(self).__name__} must implement update_state")

    def result(self) -> Any:
        if type(self)._result_float is Metric._result_float:
            raise NotImplementedError(f"{type(self).__name__} must implement result()")
        return _to_tensor(self._result_float())

    def _result_float(self) -> float:
        return float(as_array(self.result()))

    def reset_state(self) -> None:
        """Zero every state variable (a subclass with other state overrides this)."""
        if type(self).reset_states is not Metric.reset_states:  # Keras 2 code that overrides reset_states
            type(self).reset_states(self)
            return
        for v in self._variables:
            v._value[...] = 0

    def reset_states(self) -> None:  # Keras 2 spelling
        self.reset_state()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.update_state(*args, **kwargs)
        return self.result()

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
        self.total = self.add_weight("total", dtype="float64")
        self.count = self.add_weight("count", dtype="float64")

    def update_state(self, values: Any, sample_weight: Any = None) -> None:
        v = as_array(values).astype(np.float64)
        if sample_weight is None:
            accumulate(self.total, float(v.sum()))
            accumulate(self.count, v.size)
            return
        w = np.broadcast_to(as_array(sample_weight).astype(np.float64).reshape(
            as_array(sample_weight).shape + (1,) * max(v.ndim - np.ndim(sample_weight), 0)), v.shape)
        accumulate(self.total, float((v * w).sum()))
        accumulate(self.count, float(w.sum()))

    def _result_float(self) -> float:
        count = float(state(self.count))
        return float(state(self.total)) / count if count else 0.0


class Sum(Metric):
    """The (weighted) sum of the values seen."""

    def __init__(self, name: str = "sum", dtype: Any = None) -> None:
        super().__init__(name, dtype)
        self.total = self.add_weight("total", dtype="float64")

    def update_state(self, values: Any, sample_weight: Any = None) -> None:
        v = as_array(values).astype(np.float64)
        if sample_weight is not None:
            v = v * np.broadcast_to(as_array(sample_weight).astype(np.float64), v.shape)
        accumulate(self.total, float(v.sum()))

    def _result_float(self) -> float:
        return float(state(self.total))


class MeanMetricWrapper(Mean):
    """The weighted mean over samples of ``fn(y_true, y_pred)`` (a per-sample metric function)."""

    def __init__(self, fn: Callable[..., Any], name: str | None = None, dtype: Any = None, **kwargs: Any) -> None:
        super().__init__(name=name or str(getattr(fn, "__name__", "metric")), dtype=dtype)
        self.fn = fn
        self._fn_kwargs = kwargs
        self._builtin_fn = is_builtin(fn)

    # Keras' MeanMetricWrapper is a Mean whose update_state takes (y_true, y_pred): the public hierarchy is Keras'
    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:  # type: ignore[override]
        yt: Any = as_array(y_true)
        yp: Any = as_array(y_pred)
        if not self._builtin_fn:  # a user's function gets Tensors, as in Keras
            from tensorlet.autodiff.tensor import _wrap

            yt, yp = _wrap(yt), _wrap(yp)
        values = as_array(self.fn(yt, yp, **self._fn_kwargs))
        if sample_weight is not None and values.ndim > 1 and np.ndim(sample_weight) == values.ndim:
            # one weight per value (a mask of timesteps): sum(w v) / sum(w), as Keras' Reduce metrics
            weights = np.broadcast_to(as_array(sample_weight).astype(np.float64), values.shape)
            accumulate(self.total, float(np.sum(values * weights)))
            accumulate(self.count, float(weights.sum()))
            return
        values = values.reshape(len(values), -1).mean(axis=1) if values.ndim > 1 else values
        w = per_sample_weights(sample_weight, len(values)) if values.ndim else None
        if w is None:
            accumulate(self.total, float(np.sum(values, dtype=np.float64)))
            accumulate(self.count, values.size)
        else:
            accumulate(self.total, float(np.dot(values.astype(np.float64), w)))
            accumulate(self.count, float(w.sum()))

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
