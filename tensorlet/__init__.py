"""tensorlet: TensorFlow and Keras rebuilt small, in pure Python on NumPy.

Public names use TensorFlow's spellings: ``import tensorlet as tf`` then ``tf.constant``, ``tf.Variable``,
``tf.GradientTape``, ``tf.keras``. Heavier namespaces (``keras``, ``summary``, ``datasets``) load on first use.
"""
from __future__ import annotations

import importlib
from typing import Any

from tensorlet import dtypes, errors, linalg, math, nn, random  # noqa: F401
from tensorlet import ops as _ops  # noqa: F401  (binds Tensor operators)
from tensorlet.autodiff.custom_gradient import custom_gradient  # noqa: F401
from tensorlet.autodiff.tape import GradientTape  # noqa: F401
from tensorlet.autodiff.tensor import (  # noqa: F401
    Tensor,
    TensorShape,
    Variable,
    constant,
    convert_to_tensor,
    is_tensor,
)
from tensorlet.autodiff.traced_function import function  # noqa: F401
from tensorlet.control_flow import case, cond, switch_case, while_loop  # noqa: F401
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
from tensorlet.host import numpy_function, print, py_function  # noqa: F401,A004
from tensorlet.ops.clip import clip_by_global_norm, clip_by_norm  # noqa: F401
from tensorlet.ops.creation import eye, fill, linspace, ones, ones_like, range, zeros, zeros_like  # noqa: F401
from tensorlet.ops.einsum import einsum  # noqa: F401
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
from tensorlet.tensor_array import TensorArray  # noqa: F401
from tensorlet.tensor_spec import TensorSpec  # noqa: F401

__version__ = "0.1.0"
"""tensorlet's own release. ``tf.version.VERSION`` is the TensorFlow API level it emulates; code importing
``tensorflow`` through ``tensorlet.compat`` sees that as ``tf.__version__``."""

newaxis = None

# namespaces loaded on first use: TensorFlow name -> tensorlet module
_LAZY = {name: f"tensorlet.{name}" for name in (
    "keras", "summary", "datasets", "compat", "config", "data", "experimental", "saved_model", "train", "io",
    "image", "signal", "sparse", "strings", "debugging", "distribute", "autograph", "sysconfig", "version",
    "optimizers", "losses", "metrics", "initializers", "activations", "nest")}
_LAZY["types"] = "tensorlet.trace_types"  # tf.types.experimental.TraceType
_LAZY["test"] = "tensorlet.testing"  # not tensorlet.test, which test runners would take for a test module
# functions and classes loaded on first use: TensorFlow name -> (module, attribute)
_LAZY_NAMES = {
    "executing_eagerly": ("tensorlet.context", "executing_eagerly"), "device": ("tensorlet.context", "device"),
    "init_scope": ("tensorlet.context", "init_scope"), "get_logger": ("tensorlet.tf_logging", "get_logger"),
    "UnconnectedGradients": ("tensorlet.autodiff.unconnected", "UnconnectedGradients"),
    "Module": ("tensorlet.module", "Module"), "name_scope": ("tensorlet.name_scopes", "name_scope"),
    "Assert": ("tensorlet.debugging", "Assert"), "assert_equal": ("tensorlet.debugging", "assert_equal"),
    "assert_greater": ("tensorlet.debugging", "assert_greater"),
    "assert_less": ("tensorlet.debugging", "assert_less"), "assert_rank": ("tensorlet.debugging", "assert_rank"),
    "RaggedTensorSpec": ("tensorlet.ragged.ragged_tensor_spec", "RaggedTensorSpec"),
    "SparseTensor": ("tensorlet.sparse.sparse_tensor", "SparseTensor"),
    "SparseTensorSpec": ("tensorlet.sparse.sparse_tensor", "SparseTensorSpec"),
    "unique": ("tensorlet.math_counts", "unique"), "sequence_mask": ("tensorlet.math_counts", "sequence_mask"),
    "bincount": ("tensorlet.math_counts", "bincount"), "roll": ("tensorlet.keras_ops.numpy_shape", "roll"),
    "searchsorted": ("tensorlet.keras_ops.numpy_search", "searchsorted"),
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        try:
            module = importlib.import_module(_LAZY[name])
        except ModuleNotFoundError as e:
            if e.name != _LAZY[name]:
                raise
            raise AttributeError(f"tensorflow.{name} is not provided by tensorlet") from None
        globals()[name] = module
        return module
    if name in _LAZY_NAMES:
        module_name, attribute = _LAZY_NAMES[name]
        value = getattr(importlib.import_module(module_name), attribute)
        globals()[name] = value
        return value
    raise AttributeError(_missing_message(name))


_TF1_NAMES = {"enable_eager_execution", "disable_eager_execution", "disable_v2_behavior", "enable_v2_behavior",
              "set_random_seed", "random_normal", "random_uniform", "truncated_normal", "to_float", "to_int32",
              "to_int64", "div", "logging", "reset_default_graph", "get_default_graph", "assign", "assign_add",
              "assign_sub"}


def _missing_message(name: str) -> str:
    """Say why a name is missing: TensorFlow 1 graph mode, a TensorFlow 1 name moved to tf.compat.v1, or absent."""
    from tensorlet.compat.unsupported import TF1_GRAPH_NAMES, TF2_NAMESPACES

    head = f"module 'tensorflow' has no attribute '{name}': "
    if name in TF1_GRAPH_NAMES and name not in TF2_NAMESPACES:
        return (head + f"tensorflow.{name} is TensorFlow 1 graph mode (tf.compat.v1.{name} in TensorFlow 2), which "
                "tensorlet does not provide: it runs eagerly, without sessions or placeholders")
    if name in _TF1_NAMES:
        return head + (f"tensorflow.{name} is a TensorFlow 1 name, removed from TensorFlow 2; use "
                       f"tf.compat.v1.{name}" + (" (tensorlet is always eager)" if "eager" in name else ""))
    if name == "contrib":
        return head + "tensorflow.contrib was removed in TensorFlow 2 and is not provided by tensorlet"
    return head + f"tensorflow.{name} is not provided by tensorlet"


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY) | set(_LAZY_NAMES))
