"""Keras 2 backend tensors: shapes and dtypes, reshaping, creation, variables and their values, random draws."""
from __future__ import annotations

from typing import Any

import numpy as np

from tensorlet import random as _random
from tensorlet.autodiff.tensor import Tensor, Variable
from tensorlet.autodiff.tensor import constant as _constant
from tensorlet.config import floatx
from tensorlet.layers.node import KerasTensor
from tensorlet.ops import creation as C
from tensorlet.ops import elementwise as E
from tensorlet.ops import shape as S
from tensorlet.ops.convert import as_tensor

# -- shapes and dtypes ---------------------------------------------------------------------------------------


def shape(x: Any) -> Tensor:
    """The shape as an int32 tensor."""
    return S.shape(x)


def int_shape(x: Any) -> tuple[Any, ...]:
    """The shape as a tuple of ints (None for unknown dimensions of symbolic tensors)."""
    s = getattr(x, "shape", None)
    return tuple(np.shape(x) if s is None else s)


def ndim(x: Any) -> int:
    return len(int_shape(x))


def dtype(x: Any) -> str:
    """The dtype's name, e.g. 'float32'."""
    d = getattr(x, "dtype", None)
    if d is None:
        d = as_tensor(x).dtype
    return str(getattr(d, "name", d))


def is_tensor(x: Any) -> bool:
    return isinstance(x, (Tensor, KerasTensor))


def is_keras_tensor(x: Any) -> bool:
    """True for the symbolic tensors of a Functional graph (``Input(...)`` and layer outputs on them)."""
    if not isinstance(x, (Tensor, KerasTensor)):
        raise ValueError(f"Unexpectedly found an instance of type `{type(x)}`. Expected a symbolic tensor instance.")
    return isinstance(x, KerasTensor)


def is_sparse(tensor: Any) -> bool:
    return False


def count_params(x: Any) -> int:
    return int(np.prod(int_shape(x), dtype=np.int64))


def cast(x: Any, dtype: Any) -> Tensor:  # noqa: A002 - Keras name
    return E.cast(x, dtype)


def cast_to_floatx(x: Any) -> Any:
    """A NumPy array (or tensor) of dtype floatx."""
    if isinstance(x, Tensor):
        return E.cast(x, floatx())
    return np.asarray(x, dtype=floatx())


# -- reshaping -----------------------------------------------------------------------------------------------


def concatenate(tensors: Any, axis: int = -1) -> Tensor:
    return S.concat(list(tensors), axis=axis)


def stack(x: Any, axis: int = 0) -> Tensor:
    return S.stack(list(x), axis=axis)


def reshape(x: Any, shape: Any) -> Tensor:  # noqa: A002
    return S.reshape(x, shape)


def permute_dimensions(x: Any, pattern: Any) -> Tensor:
    return S.transpose(x, perm=list(pattern))


def transpose(x: Any) -> Tensor:
    """All axes reversed."""
    return S.transpose(x)


def expand_dims(x: Any, axis: int = -1) -> Tensor:
    return S.expand_dims(x, axis)


def squeeze(x: Any, axis: int) -> Tensor:
    return S.squeeze(x, axis)


def flatten(x: Any) -> Tensor:
    return S.reshape(x, (-1,))


def batch_flatten(x: Any) -> Tensor:
    """(batch, d1, d2, ...) -> (batch, d1 * d2 * ...)."""
    t = as_tensor(x)
    return S.reshape(t, (t._value.shape[0], -1))


def tile(x: Any, n: Any) -> Tensor:
    reps = [n] if isinstance(n, int) else list(n)
    return S.tile(x, reps)


def repeat_elements(x: Any, rep: int, axis: int) -> Tensor:
    """Repeat each slice along ``axis`` ``rep`` times: [a, b] -> [a, a, b, b]."""
    t = as_tensor(x)
    axis = int(axis) % t.ndim
    expanded = S.expand_dims(t, axis + 1)
    reps = [1] * (t.ndim + 1)
    reps[axis + 1] = int(rep)
    out_shape = list(t._value.shape)
    out_shape[axis] *= int(rep)
    return S.reshape(S.tile(expanded, reps), out_shape)


def repeat(x: Any, n: int) -> Tensor:
    """(batch, dim) -> (batch, n, dim)."""
    return S.tile(S.expand_dims(x, 1), [1, int(n), 1])


def reverse(x: Any, axes: Any) -> Tensor:
    t = as_tensor(x)
    for axis in [axes] if isinstance(axes, int) else list(axes):
        axis = int(axis) % t.ndim
        t = S.gather(t, np.arange(t._value.shape[axis] - 1, -1, -1), axis=axis)
    return t


def gather(reference: Any, indices: Any) -> Tensor:
    return S.gather(reference, indices)


def one_hot(indices: Any, num_classes: int) -> Tensor:
    return S.one_hot(indices, num_classes)


def identity(x: Any, name: Any = None) -> Tensor:
    return E.identity(x)


# -- creation and variables ----------------------------------------------------------------------------------


def variable(value: Any, dtype: Any = None, name: Any = None, constraint: Any = None) -> Variable:  # noqa: A002
    if isinstance(value, Tensor):
        value = value._value
    return Variable(np.asarray(value, dtype=dtype or floatx()), name=name, constraint=constraint)


def constant(value: Any, dtype: Any = None, shape: Any = None, name: Any = None) -> Tensor:  # noqa: A002
    return _constant(value, dtype=dtype or floatx(), shape=shape)


def zeros(shape: Any, dtype: Any = None, name: Any = None) -> Variable:  # noqa: A002
    """A variable of zeros (Keras 2 returns a variable here)."""
    return variable(np.zeros(tuple(shape) if not isinstance(shape, int) else (shape,)), dtype=dtype, name=name)


def ones(shape: Any, dtype: Any = None, name: Any = None) -> Variable:  # noqa: A002
    return variable(np.ones(tuple(shape) if not isinstance(shape, int) else (shape,)), dtype=dtype, name=name)


def eye(size: Any, dtype: Any = None, name: Any = None) -> Variable:  # noqa: A002
    rows, cols = (size, size) if isinstance(size, int) else tuple(size)
    return variable(np.eye(rows, cols), dtype=dtype, name=name)


def zeros_like(x: Any, dtype: Any = None, name: Any = None) -> Tensor:  # noqa: A002
    return C.zeros_like(x, dtype=dtype)


def ones_like(x: Any, dtype: Any = None, name: Any = None) -> Tensor:  # noqa: A002
    return C.ones_like(x, dtype=dtype)


def arange(start: Any, stop: Any = None, step: Any = 1, dtype: str = "int32") -> Tensor:  # noqa: A002
    return E.cast(C.range(start, stop, step), dtype)


def get_value(x: Any) -> Any:
    """A NumPy copy of a variable's or tensor's value."""
    return np.array(x._value if isinstance(x, Tensor) else x, copy=True)


def batch_get_value(tensors: Any) -> list[Any]:
    return [get_value(x) for x in tensors]


def set_value(x: Any, value: Any) -> None:
    x.assign(np.asarray(value, dtype=x._value.dtype))


def batch_set_value(tuples: Any) -> None:
    for x, value in tuples:
        set_value(x, value)


def eval(x: Any) -> Any:  # noqa: A001 - Keras name
    return get_value(x)


def update(x: Variable, new_x: Any) -> Variable:
    return x.assign(new_x)


def update_add(x: Variable, increment: Any) -> Variable:
    return x.assign_add(increment)


def update_sub(x: Variable, decrement: Any) -> Variable:
    return x.assign_sub(decrement)


def moving_average_update(x: Variable, value: Any, momentum: float) -> Variable:
    """x = x momentum + value (1 - momentum)."""
    return x.assign(E.add(E.multiply(x, momentum), E.multiply(as_tensor(value), 1.0 - momentum)))


def print_tensor(x: Any, message: str = "", summarize: int = 3) -> Any:
    print(message, x)
    return x


# -- random --------------------------------------------------------------------------------------------------


def random_normal(shape: Any, mean: float = 0.0, stddev: float = 1.0, dtype: Any = None,  # noqa: A002
                  seed: Any = None) -> Tensor:
    return _random.normal(shape, mean=mean, stddev=stddev, dtype=dtype or floatx(), seed=seed)


def random_uniform(shape: Any, minval: float = 0.0, maxval: float = 1.0, dtype: Any = None,  # noqa: A002
                   seed: Any = None) -> Tensor:
    return _random.uniform(shape, minval=minval, maxval=maxval, dtype=dtype or floatx(), seed=seed)


def truncated_normal(shape: Any, mean: float = 0.0, stddev: float = 1.0, dtype: Any = None,  # noqa: A002
                     seed: Any = None) -> Tensor:
    return _random.truncated_normal(shape, mean=mean, stddev=stddev, dtype=dtype or floatx(), seed=seed)


def random_bernoulli(shape: Any, p: float = 0.0, dtype: Any = None, seed: Any = None) -> Tensor:  # noqa: A002
    """1 with probability p, else 0."""
    return E.cast(E.less(_random.uniform(shape, dtype="float32", seed=seed), p), dtype or floatx())


random_binomial = random_bernoulli


def random_normal_variable(shape: Any, mean: float, scale: float, dtype: Any = None, name: Any = None,  # noqa: A002
                           seed: Any = None) -> Variable:
    return variable(random_normal(shape, mean, scale, dtype, seed), dtype=dtype, name=name)


def random_uniform_variable(shape: Any, low: float, high: float, dtype: Any = None, name: Any = None,  # noqa: A002
                            seed: Any = None) -> Variable:
    return variable(random_uniform(shape, low, high, dtype, seed), dtype=dtype, name=name)
