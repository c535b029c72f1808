"""``keras.backend``: the classic helpers (clear_session, epsilon, floatx, get_value/set_value, int_shape...)."""
from __future__ import annotations

from typing import Any

import numpy as np

from tensorlet.config import (  # noqa: F401
    epsilon,
    floatx,
    image_data_format,
    set_epsilon,
    set_floatx,
    set_image_data_format,
)


def backend() -> str:
    return "tensorlet"


def clear_session(free_memory: bool = True) -> None:
    """Reset automatic layer names (dense, dense_1, ...) as a new session would."""
    from tensorlet.layers import naming

    naming.reset()


def get_value(x: Any) -> Any:
    return np.array(getattr(x, "_value", x), copy=True)


def set_value(x: Any, value: Any) -> None:
    x.assign(np.asarray(value))


def batch_get_value(xs: Any) -> list[Any]:
    return [get_value(x) for x in xs]


def batch_set_value(tuples: Any) -> None:
    for x, v in tuples:
        set_value(x, v)


def int_shape(x: Any) -> tuple[Any, ...]:
    shape = getattr(x, "shape", None)
    if shape is None:
        shape = np.shape(x)
    return tuple(shape)


def ndim(x: Any) -> int:
    return len(int_shape(x))


def count_params(x: Any) -> int:
    return int(np.prod(int_shape(x)))


def eval(x: Any) -> Any:  # noqa: A001 - Keras spelling
    return get_value(x)


def variable(value: Any, dtype: Any = None, name: Any = None, constraint: Any = None) -> Any:
    from tensorlet.autodiff.tensor import Variable

    return Variable(np.asarray(value, dtype=dtype or floatx()), name=name, constraint=constraint)


def constant(value: Any, dtype: Any = None, shape: Any = None, name: Any = None) -> Any:
    from tensorlet.autodiff.tensor import constant as _c

    return _c(value, dtype=dtype or floatx(), shape=shape)


def cast_to_floatx(x: Any) -> Any:
    return np.asarray(x, dtype=floatx())


def learning_phase() -> int:
    return 0


def set_learning_phase(value: int) -> None:
    pass
