"""The public ``keras.ops`` namespace: every family function wrapped by ``symbolic`` (so that the symbolic
tensors of the Functional API build a layer), and the ``keras.ops.nn``, ``keras.ops.linalg``,
``keras.ops.image`` and ``keras.ops.numpy`` namespaces. ``tensorlet.keras.ops`` re-exports it."""
from __future__ import annotations

import types
from typing import Any

from tensorlet.keras_ops import (
    convert,
    core,
    image,
    linalg,
    nn,
    nn_piecewise,
    nn_rearrange,
    numpy_bitwise,
    numpy_create,
    numpy_derived,
    numpy_math,
    numpy_reduce,
    numpy_search,
    numpy_shape,
    products,
)
from tensorlet.keras_ops.symbolic import symbolic

# the top-level names, by family module
_FAMILIES: dict[Any, tuple[str, ...]] = {
    core: ("cast", "cond", "convert_to_numpy", "dtype", "fori_loop", "is_tensor", "map", "scan",
           "scatter", "scatter_update", "slice", "slice_update", "stop_gradient", "switch",
           "vectorized_map", "while_loop"),
    linalg: ("cholesky", "det", "eig", "eigh", "inv", "logdet", "norm", "qr", "slogdet", "solve",
             "solve_triangular", "svd"),
    nn: ("average_pool", "batch_normalization", "binary_crossentropy", "categorical_crossentropy", "celu",
         "conv", "conv_transpose", "depthwise_conv", "dot_product_attention", "elu", "gelu", "glu",
         "hard_sigmoid", "hard_silu", "hard_swish", "layer_normalization", "leaky_relu", "log_sigmoid",
         "log_softmax", "max_pool", "moments", "multi_hot", "normalize", "one_hot", "relu", "relu6",
         "rms_normalization", "selu", "separable_conv", "silu", "softmax", "softplus", "softsign",
         "sparse_categorical_crossentropy", "sparse_plus", "squareplus", "swish", "tanh_shrink"),
    numpy_create: ("arange", "array", "copy", "empty", "empty_like", "eye", "full", "full_like", "identity",
                   "linspace", "logspace", "ones", "ones_like", "tri", "zeros", "zeros_like"),
    numpy_math: ("abs", "absolute", "add", "arccos", "arccosh", "arcsin", "arcsinh", "arctan",
                 "arctan2", "arctanh", "ceil", "clip", "conj", "conjugate", "cos", "cosh", "divide",
                 "divide_no_nan", "equal", "erf", "exp", "exp2", "expm1", "floor", "floor_divide",
                 "greater", "greater_equal", "hypot", "isclose", "isfinite", "isinf", "isnan",
                 "less", "less_equal", "log", "log1p", "log2", "log10", "logaddexp", "logical_and",
                 "logical_not", "logical_or", "logical_xor", "maximum", "minimum", "mod",
                 "multiply", "nan_to_num", "negative", "not_equal", "power", "reciprocal", "round",
                 "rsqrt", "sigmoid", "sign", "sin", "sinh", "sqrt", "square", "subtract", "tan",
                 "tanh", "true_divide", "trunc", "where"),
    numpy_reduce: ("all", "amax", "amin", "any", "argmax", "argmin", "argsort", "average",
                   "count_nonzero", "cumprod", "cumsum", "in_top_k", "logsumexp", "max", "mean",
                   "median", "min", "nonzero", "prod", "segment_max", "segment_sum", "sort",
                   "std", "sum", "top_k", "var"),
    numpy_shape: ("append", "broadcast_to", "concatenate", "diag", "diagflat", "diagonal", "diff",
                  "expand_dims", "flip", "get_item", "hstack", "meshgrid", "moveaxis", "ndim",
                  "pad", "ravel", "repeat", "reshape", "roll", "shape", "size", "split", "squeeze",
                  "stack", "swapaxes", "take", "take_along_axis", "tile", "transpose", "tril",
                  "triu", "unstack", "vstack"),
    nn_piecewise: ("hard_shrink", "hard_tanh", "soft_shrink", "threshold"),
    numpy_derived: ("allclose", "array_split", "cbrt", "cross", "deg2rad", "dsplit", "dstack", "erfc", "fabs",
                    "fliplr", "flipud", "fmax", "fmin", "fmod", "heaviside", "hsplit", "isneginf", "isposinf",
                    "kron", "logaddexp2", "nanmax", "nanmean", "nanmin", "nanprod", "nanstd", "nansum", "nanvar",
                    "ptp", "rad2deg", "rot90", "select", "vsplit"),
    numpy_search: ("bincount", "digitize", "isin", "percentile", "quantile", "searchsorted"),
    nn_rearrange: ("depth_to_space", "space_to_depth"),
    numpy_bitwise: ("bitwise_and", "bitwise_invert", "bitwise_left_shift", "bitwise_not", "bitwise_or",
                    "bitwise_right_shift", "bitwise_xor", "left_shift", "right_shift"),
    products: ("dot", "einsum", "inner", "matmul", "outer", "tensordot", "trace", "vdot"),
}
# answered from a symbolic tensor's static shape and dtype, or running Python control flow: never a layer
_STATIC = frozenset({"shape", "ndim", "dtype", "is_tensor", "cond", "switch", "while_loop", "fori_loop", "scan",
                     "map", "vectorized_map"})
# keras.ops functions of the numpy families that Keras 3 keeps out of keras.ops.numpy
_NOT_IN_NUMPY = frozenset({"erf", "erfc", "in_top_k", "logsumexp", "rsqrt", "segment_max", "segment_sum", "shape",
                           "sigmoid", "top_k", "unstack"})
# the namespaces keras.ops.nn, keras.ops.linalg and keras.ops.image
_SUBMODULES: dict[str, tuple[Any, tuple[str, ...]]] = {
    "nn": (nn, ("average_pool", "batch_normalization", "binary_crossentropy",
                 "categorical_crossentropy", "celu", "conv", "conv_transpose", "depth_to_space", "depthwise_conv",
                 "dot_product_attention", "elu", "gelu", "glu", "hard_shrink", "hard_sigmoid", "hard_silu",
                 "hard_swish", "hard_tanh", "layer_normalization", "leaky_relu", "log_sigmoid", "log_softmax",
                 "max_pool", "moments", "multi_hot", "normalize", "one_hot", "relu", "relu6",
                 "rms_normalization", "selu", "separable_conv", "sigmoid", "silu", "softmax",
                 "soft_shrink", "space_to_depth", "softplus", "softsign", "sparse_categorical_crossentropy", "sparse_plus",
                 "squareplus", "swish", "tanh", "tanh_shrink", "threshold")),
    "linalg": (linalg, ("cholesky", "det", "eig", "eigh", "inv", "logdet", "norm", "qr",
                         "slogdet", "solve", "solve_triangular", "svd")),
    "numpy": (None, tuple(name for family in (numpy_create, numpy_math, numpy_reduce, numpy_shape, products,
                                              numpy_derived, numpy_search, numpy_bitwise) for name in _FAMILIES[family]
                          if name not in _NOT_IN_NUMPY)),
    "image": (image, ("affine_transform", "extract_patches", "resize", "rgb_to_grayscale")),
}


def _build() -> dict[str, Any]:
    names: dict[str, Any] = {"convert_to_tensor": symbolic("convert_to_tensor", convert.convert_to_tensor),
                             "result_type": convert.result_type}
    for family, members in _FAMILIES.items():
        for name in members:
            fn = getattr(family, name)
            names[name] = fn if name in _STATIC else symbolic(name, fn)
    for space_name, (family, members) in _SUBMODULES.items():
        space = types.ModuleType(f"keras.ops.{space_name}")
        for name in members:
            setattr(space, name, names.get(name) or symbolic(f"{space_name}.{name}", getattr(family, name)))
        names[space_name] = space
    return names


_PUBLIC = _build()
globals().update(_PUBLIC)
__all__ = sorted(_PUBLIC)
