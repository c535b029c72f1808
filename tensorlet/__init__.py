"""tensorlet: TensorFlow and Keras rebuilt small, in pure Python on NumPy.

Public names use TensorFlow's spellings: ``import tensorlet as tf`` then ``tf.constant``, ``tf.Variable``,
``tf.GradientTape``, ``tf.keras``. Heavier namespaces (``keras``, ``summary``, ``datasets``) load on first use.
"""
from __future__ import annotations

import importlib
from typing import Any

from tensorlet import dtypes, errors, linalg, math, nn, random  # noqa: F401
from tensorlet import ops as _ops  # noqa: F401  (binds Tensor operators)
from tensorlet.autodiff.custom_gradient import custom_gradient, function  # noqa: F401
from tensorlet.autodiff.tape import GradientTape  # noqa: F401
from tensorlet.autodiff.tensor import (  # noqa: F401
    Tensor,
    TensorShape,
    Variable,
    constant,
    convert_to_tensor,
    is_tensor,
)
from tensorlet.dtypes import (  # noqa: F401
    DType,
    as_dtype,
    bool,
    complex64,
    complex128,
    double,
    float16,
    float32,
    float64,
    half,
    int8,
    int16,
    int32,
    int64,
    string,
    uint8,
    uint16,
    uint32,
    uint64,
)
from tensorlet.ops.clip import clip_by_global_norm, clip_by_norm  # noqa: F401
from tensorlet.ops.creation import eye, fill, linspace, ones, ones_like, range, zeros, zeros_like  # noqa: F401
from tensorlet.ops.elementwise import (  # noqa: F401
    abs,
    add,
    add_n,
    cast,
    clip_by_value,
    cos,
    divide,
    equal,
    exp,
    floor,
    greater,
    greater_equal,
    identity,
    less,
    less_equal,
    log,
    logical_and,
    logical_not,
    logical_or,
    maximum,
    minimum,
    multiply,
    negative,
    not_equal,
    pow,
    round,
    rsqrt,
    sigmoid,
    sign,
    sin,
    sqrt,
    square,
    stop_gradient,
    subtract,
    tanh,
    truediv,
    where,
)
from tensorlet.ops.linalg import matmul, norm  # noqa: F401
from tensorlet.ops.reduction import (  # noqa: F401
    argmax,
    argmin,
    argsort,
    cumsum,
    reduce_all,
    reduce_any,
    reduce_logsumexp,
    reduce_max,
    reduce_mean,
    reduce_min,
    reduce_prod,
    reduce_std,
    reduce_sum,
    reduce_variance,
    sort,
)
from tensorlet.ops.scatter import (  # noqa: F401
    IndexedSlices,
    gather_nd,
    scatter_nd,
    tensor_scatter_nd_add,
    tensor_scatter_nd_sub,
    tensor_scatter_nd_update,
)
from tensorlet.ops.shape import (  # noqa: F401
    boolean_mask,
    broadcast_to,
    concat,
    expand_dims,
    gather,
    one_hot,
    pad,
    rank,
    reshape,
    shape,
    size,
    split,
    squeeze,
    stack,
    tile,
    transpose,
    unstack,
)
from tensorlet.ragged import RaggedTensor  # noqa: F401  (also binds tf.ragged)

__version__ = "0.1.0"
version = __version__

newaxis = None

_LAZY = {"keras", "summary", "datasets", "compat", "config", "data", "experimental", "saved_model",
         "train", "io", "image", "signal", "sparse", "strings", "debugging"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        try:
            module = importlib.import_module(f"tensorlet.{name}")
        except ModuleNotFoundError as e:
            if e.name != f"tensorlet.{name}":
                raise
            raise AttributeError(f"tensorflow.{name} is not provided by tensorlet") from None
        globals()[name] = module
        return module
    raise AttributeError(f"module 'tensorflow' has no attribute '{name}': tensorflow.{name} is not provided by "
                         "tensorlet")
