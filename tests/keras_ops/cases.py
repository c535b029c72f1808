"""The keras.ops cases the tests share: each op with inputs drawn from a seed, its static arguments, and which
inputs are differentiated. ``tests/keras_ops`` checks every case for Keras 3 parity (values and dtypes),
float64 finite differences, and replay inside ``tf.function``."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np


@dataclass
class Case:
    name: str                                        # attribute path under keras.ops: "add", "image.resize"
    arrays: Callable[[np.random.Generator], list[Any]]  # tensor inputs, drawn from a generator
    kwargs: dict[str, Any] = field(default_factory=dict)
    extra: tuple[Any, ...] = ()                     # static positional arguments after the arrays
    grad: tuple[int, ...] | None = (0,)             # arrays differentiated (None: no gradient defined)
    rtol: float = 1e-5
    atol: float = 1e-6
    id: str | None = None
    names: tuple[str, ...] | None = None            # pass the arrays by these keyword names instead
    before: tuple[Any, ...] = ()                    # static positional arguments before the arrays
    outputs: tuple[int, ...] | None = None          # the outputs with a gradient (default: every float output)

    @property
    def label(self) -> str:
        return self.id or self.name

    def call(self, module: Any, *arrays: Any) -> Any:
        fn = module
        for part in self.name.split("."):
            fn = getattr(fn, part)
        if self.names:
            return fn(*self.before, *self.extra, **dict(zip(self.names, arrays)), **self.kwargs)
        return fn(*self.before, *arrays, *self.extra, **self.kwargs)


def n(*shape: int, lo: float = -2.0, hi: float = 2.0) -> Callable[[np.random.Generator], np.ndarray]:
    return lambda r: r.uniform(lo, hi, shape).astype(np.float32)


def ints(*shape: int, lo: int = 0, hi: int = 4, dtype: Any = np.int32) -> Callable[[np.random.Generator], np.ndarray]:
    return lambda r: r.integers(lo, hi, shape).astype(dtype)


def spd(k: int) -> Callable[[np.random.Generator], np.ndarray]:
    def make(r: np.random.Generator) -> np.ndarray:
        a = r.normal(size=(k, k))
        return (a @ a.T + k * np.eye(k)).astype(np.float32)

    return make


def well_conditioned(k: int, m: int | None = None) -> Callable[[np.random.Generator], np.ndarray]:
    return lambda r: (r.normal(size=(k, m or k)) + 3 * np.eye(k, m or k)).astype(np.float32)


def gen(*makers: Callable[[np.random.Generator], Any]) -> Callable[[np.random.Generator], list[Any]]:
    return lambda r: [m(r) for m in makers]


def distinct(*shape: int) -> Callable[[np.random.Generator], np.ndarray]:
    """Values with no ties (for max, sort, top_k: derivatives at ties are not defined)."""
    return lambda r: (r.permutation(int(np.prod(shape))).reshape(shape) * 0.37 - 1.0).astype(np.float32)


UNARY_ANY = ["negative", "absolute", "square", "exp", "expm1", "sin", "cos", "tanh", "arctan", "sinh", "cosh",
             "arcsinh", "erf", "sigmoid", "relu", "relu6", "silu", "hard_sigmoid", "hard_silu", "gelu", "softplus",
             "softsign", "elu", "selu", "leaky_relu", "log_sigmoid", "celu", "tanh_shrink", "squareplus", "exp2"]
UNARY_POSITIVE = ["sqrt", "rsqrt", "log", "log1p", "log2", "log10", "reciprocal"]
UNARY_UNIT = ["arcsin", "arccos", "arctanh", "tan"]
BINARY = ["add", "subtract", "multiply", "divide", "true_divide", "maximum", "minimum", "power", "logaddexp",
          "hypot", "arctan2", "divide_no_nan"]
COMPARE = ["equal", "not_equal", "less", "less_equal", "greater", "greater_equal"]
LOGIC = ["logical_and", "logical_or", "logical_xor"]

CASES: list[Case] = []
CASES += [Case(name, gen(n(3, 4, lo=-1.5, hi=1.5))) for name in UNARY_ANY]
CASES += [Case(name, gen(n(3, 4, lo=0.3, hi=3.0))) for name in UNARY_POSITIVE]
CASES += [Case(name, gen(n(3, 4, lo=-0.8, hi=0.8))) for name in UNARY_UNIT]
CASES += [Case("arccosh", gen(n(3, 4, lo=1.2, hi=3.0)))]
CASES += [Case(name, gen(n(3, 4, lo=0.3, hi=2.0), n(1, 4, lo=0.4, hi=2.5)), grad=(0, 1)) for name in BINARY]
CASES += [Case(name, gen(ints(3, 4, hi=3), ints(3, 4, hi=3)), grad=None) for name in COMPARE + LOGIC]
CASES += [Case(name, gen(n(3, 4)), grad=None) for name in ("floor", "ceil", "trunc", "sign", "round", "isnan",
                                                          "isinf", "isfinite", "logical_not")]
CASES += [
    Case("mod", gen(n(3, 4, lo=0.3, hi=3), n(3, 4, lo=0.7, hi=1.3)), grad=(0,)),
    Case("floor_divide", gen(n(3, 4, lo=0.3, hi=3), n(3, 4, lo=0.7, hi=1.3)), grad=None),
    Case("clip", gen(n(3, 4)), extra=(-0.5, 0.7)),
    Case("where", gen(lambda r: r.integers(0, 2, (3, 4)).astype(bool), n(3, 4), n(3, 4)), grad=(1, 2)),
    Case("nan_to_num", gen(n(3, 4))),
    Case("isclose", gen(n(3, 4), n(3, 4)), grad=None),
    Case("erf", gen(n(5, lo=-3, hi=3)), id="erf_wide"),
    # reductions
    *[Case(name, gen(n(3, 4, 5)), kwargs=kw, id=f"{name}_{i}") for name in ("sum", "mean", "var", "std", "prod",
                                                                            "logsumexp")
      for i, kw in enumerate([{}, {"axis": 1}, {"axis": (0, 2), "keepdims": True}])],
    *[Case(name, gen(distinct(3, 4, 5)), kwargs=kw, id=f"{name}_{i}") for name in ("max", "min", "amax", "amin")
      for i, kw in enumerate([{}, {"axis": -1}, {"axis": 0, "keepdims": True}])],
    *[Case(name, gen(distinct(3, 4, 5)), kwargs=kw, grad=None, id=f"{name}_{i}") for name in ("argmax", "argmin")
      for i, kw in enumerate([{}, {"axis": 1}])],
    Case("argsort", gen(distinct(3, 5)), grad=None),
    Case("sort", gen(distinct(3, 5))),
    Case("sort", gen(distinct(3, 5)), kwargs={"axis": 0}, id="sort_axis0"),
    Case("top_k", gen(distinct(3, 6)), extra=(2,)),
    Case("cumsum", gen(n(3, 4)), kwargs={"axis": 1}),
    Case("cumprod", gen(n(3, 4, lo=0.5, hi=1.5)), kwargs={"axis": 1}),
    Case("all", gen(ints(3, 4, hi=2)), kwargs={"axis": 0}, grad=None),
    Case("any", gen(ints(3, 4, hi=2)), kwargs={"axis": 1}, grad=None),
    Case("count_nonzero", gen(ints(3, 4, hi=2)), kwargs={"axis": 1}, grad=None),
    Case("average", gen(n(3, 4), n(4, lo=0.5, hi=1.5)), kwargs={"axis": 1}, grad=(0, 1), names=("x", "weights")),
    Case("median", gen(distinct(3, 5)), kwargs={"axis": 1}),
    Case("segment_sum", gen(n(5, 3), lambda r: np.array([0, 0, 2, 1, 2], np.int32)), kwargs={"num_segments": 3}),
    Case("segment_max", gen(distinct(5, 3), lambda r: np.array([0, 0, 2, 1, 2], np.int32)),
         kwargs={"num_segments": 3}),
    # shapes
    Case("reshape", gen(n(3, 4)), extra=((2, -1),)),
    Case("transpose", gen(n(2, 3, 4)), kwargs={"axes": (2, 0, 1)}),
    Case("expand_dims", gen(n(3, 4)), extra=(1,)),
    Case("squeeze", gen(n(3, 1, 4)), kwargs={"axis": 1}),
    Case("swapaxes", gen(n(2, 3, 4)), extra=(0, 2)),
    Case("moveaxis", gen(n(2, 3, 4)), extra=(0, -1)),
    Case("ravel", gen(n(2, 3))),
    Case("broadcast_to", gen(n(1, 4)), extra=((3, 4),)),
    Case("tile", gen(n(2, 3)), extra=((2, 1),)),
    Case("repeat", gen(n(2, 3)), extra=(2,), kwargs={"axis": 1}),
    Case("pad", gen(n(2, 3)), extra=(((1, 0), (0, 2)),)),
    Case("pad", gen(n(3, 4)), extra=(((1, 1), (2, 1)),), kwargs={"mode": "reflect"}, id="pad_reflect"),
    Case("flip", gen(n(2, 3)), kwargs={"axis": 1}),
    Case("roll", gen(n(2, 5)), extra=(2,), kwargs={"axis": 1}),
    Case("roll", gen(n(2, 5)), extra=(-3,), id="roll_flat"),
    Case("take", gen(n(4, 3), ints(5, hi=4)), kwargs={"axis": 0}),
    Case("take", gen(n(4, 3), ints(2, 2, hi=3)), kwargs={"axis": 1}, id="take_axis1"),
    Case("take_along_axis", gen(n(3, 4), ints(3, 2, hi=4)), kwargs={"axis": 1}),
    Case("diagonal", gen(n(4, 4))),
    Case("diagonal", gen(n(2, 3, 4)), kwargs={"offset": 1, "axis1": 1, "axis2": 2}, id="diagonal_batched"),
    Case("diag", gen(n(3))),
    Case("diag", gen(n(3)), kwargs={"k": -1}, id="diag_offset"),
    Case("tril", gen(n(3, 4))),
    Case("triu", gen(n(2, 3, 3)), kwargs={"k": 1}),
    Case("diff", gen(n(3, 5))),
    Case("split", gen(n(4, 6)), extra=(3,), kwargs={"axis": 1}),
    Case("split", gen(n(5, 2)), extra=([1, 3],), id="split_indices"),
    Case("unstack", gen(n(3, 2))),
    Case("concatenate", lambda r: [[n(2, 3)(r), n(1, 3)(r)]], grad=None),
    Case("stack", lambda r: [[n(2, 3)(r), n(2, 3)(r)]], kwargs={"axis": 1}, grad=None),
    Case("hstack", lambda r: [[n(2, 3)(r), n(2, 1)(r)]], grad=None),
    Case("vstack", lambda r: [[n(3)(r), n(3)(r)]], grad=None),
    Case("append", gen(n(2, 3), n(1, 3)), kwargs={"axis": 0}, grad=(0, 1)),
    # products
    Case("matmul", gen(n(2, 3, 4), n(4, 5)), grad=(0, 1)),
    Case("matmul", gen(n(4), n(4, 2)), grad=(0, 1), id="matmul_vector"),
    Case("dot", gen(n(3, 4), n(4, 2)), grad=(0, 1)),
    Case("dot", gen(n(2, 3, 4), n(5, 4, 2)), grad=(0, 1), id="dot_nd"),
    Case("tensordot", gen(n(2, 3, 4), n(3, 4, 5)), kwargs={"axes": 2}, grad=(0, 1)),
    Case("tensordot", gen(n(2, 3), n(4, 2)), kwargs={"axes": ([0], [1])}, grad=(0, 1), id="tensordot_lists"),
    Case("einsum", gen(n(2, 3), n(3, 4)), before=("ij,jk->ik",), grad=(0, 1)),
    Case("einsum", gen(n(2, 3, 4), n(2, 4, 5)), before=("bij,bjk->bik",), grad=(0, 1), id="einsum_batched"),
    Case("einsum", gen(n(3, 3)), before=("ii->",), id="einsum_trace"),
    Case("einsum", gen(n(3, 3)), before=("ii->i",), id="einsum_diagonal"),
    Case("einsum", gen(n(2, 3), n(4)), before=("ij,k->ik",), grad=(0, 1), id="einsum_summed_alone"),
    Case("einsum", gen(n(2, 3, 4), n(4, 5)), before=("...j,jk->...k",), grad=(0, 1), id="einsum_ellipsis"),
    Case("outer", gen(n(3), n(4)), grad=(0, 1)),
    Case("inner", gen(n(2, 3), n(4, 3)), grad=(0, 1)),
    Case("vdot", gen(n(2, 3), n(2, 3)), grad=(0, 1)),
    Case("trace", gen(n(3, 3))),
    # nn
    Case("softmax", gen(n(3, 5))),
    Case("softmax", gen(n(3, 5)), kwargs={"axis": 0}, id="softmax_axis0"),
    Case("log_softmax", gen(n(3, 5))),
    Case("gelu", gen(n(3, 4)), kwargs={"approximate": False}, id="gelu_exact"),
    Case("elu", gen(n(3, 4)), kwargs={"alpha": 0.5}, id="elu_alpha"),
    Case("leaky_relu", gen(n(3, 4)), kwargs={"negative_slope": 0.1}, id="leaky_relu_slope"),
    Case("glu", gen(n(3, 4))),
    Case("one_hot", gen(ints(5, hi=4)), extra=(4,), grad=None),
    Case("one_hot", gen(ints(2, 3, hi=5)), extra=(4,), kwargs={"axis": 1}, grad=None, id="one_hot_axis"),
    Case("multi_hot", gen(ints(3, 2, hi=5)), extra=(5,), grad=None),
    Case("categorical_crossentropy", gen(lambda r: np.eye(4, dtype=np.float32)[r.integers(0, 4, 3)],
                                         n(3, 4, lo=0.1, hi=1)), grad=(1,)),
    Case("categorical_crossentropy", gen(lambda r: np.eye(4, dtype=np.float32)[r.integers(0, 4, 3)], n(3, 4)),
         kwargs={"from_logits": True}, grad=(1,), id="categorical_crossentropy_logits"),
    Case("sparse_categorical_crossentropy", gen(ints(3, hi=4), n(3, 4, lo=0.1, hi=1)), grad=(1,)),
    Case("sparse_categorical_crossentropy", gen(ints(3, hi=4), n(3, 4)), kwargs={"from_logits": True},
         grad=(1,), id="sparse_categorical_crossentropy_logits"),
    Case("binary_crossentropy", gen(n(3, 4, lo=0, hi=1), n(3, 4, lo=0.05, hi=0.95)), grad=(0, 1)),
    Case("binary_crossentropy", gen(n(3, 4, lo=0, hi=1), n(3, 4)), kwargs={"from_logits": True}, grad=(0, 1),
         id="binary_crossentropy_logits"),
    Case("moments", gen(n(4, 3)), extra=((0,),)),
    Case("batch_normalization", gen(n(4, 3), n(3), n(3, lo=0.5, hi=2), n(3), n(3)),
         kwargs={"axis": -1}, grad=(0, 1, 2, 3, 4), names=("x", "mean", "variance", "offset", "scale")),
    Case("normalize", gen(n(3, 4))),
    Case("normalize", gen(n(3, 4)), kwargs={"order": 1, "axis": 0}, id="normalize_l1"),
    Case("dot_product_attention", gen(n(2, 3, 2, 4), n(2, 5, 2, 4), n(2, 5, 2, 4)), grad=(0, 1, 2)),
    Case("dot_product_attention", gen(n(1, 4, 2, 3), n(1, 4, 2, 3), n(1, 4, 2, 3)), kwargs={"is_causal": True},
         grad=(0, 1, 2), id="dot_product_attention_causal"),
    Case("conv", gen(n(2, 5, 5, 3), n(3, 3, 3, 4)), grad=(0, 1)),
    Case("conv", gen(n(2, 6, 6, 2), n(3, 3, 2, 3)), kwargs={"strides": 2, "padding": "same"}, grad=(0, 1),
         id="conv_same_strided"),
    Case("conv", gen(n(2, 7, 3), n(3, 3, 2)), kwargs={"dilation_rate": 2}, grad=(0, 1), id="conv1d"),
    Case("conv", gen(n(1, 4, 4, 4, 2), n(2, 3, 3, 2, 3)), kwargs={"padding": "same"}, grad=(0, 1), id="conv3d"),
    Case("conv", gen(n(2, 3, 5, 5), n(3, 3, 3, 2)), kwargs={"data_format": "channels_first"}, grad=(0, 1),
         id="conv_channels_first"),
    Case("depthwise_conv", gen(n(2, 5, 5, 3), n(3, 3, 3, 2)), grad=(0, 1)),
    Case("separable_conv", gen(n(1, 5, 5, 2), n(3, 3, 2, 2), n(1, 1, 4, 3)), grad=(0, 1, 2)),
    Case("conv_transpose", gen(n(1, 3, 3, 2), n(3, 3, 4, 2)), kwargs={"strides": 2, "padding": "same"},
         grad=(0, 1)),
    Case("max_pool", gen(distinct(2, 4, 4, 3)), extra=(2,)),
    Case("max_pool", gen(distinct(2, 6, 3)), extra=(3,), kwargs={"strides": 2, "padding": "same"},
         id="max_pool_1d"),
    Case("max_pool", gen(distinct(1, 4, 4, 4, 2)), extra=(2,), id="max_pool_3d"),
    Case("average_pool", gen(n(2, 5, 5, 3)), extra=(2,), kwargs={"padding": "same"}),
    Case("average_pool", gen(n(1, 4, 4, 4, 2)), extra=(2,), id="average_pool_3d"),
    # linalg
    Case("linalg.inv", gen(well_conditioned(3))),
    Case("linalg.det", gen(well_conditioned(3))),
    Case("slogdet", gen(well_conditioned(3)), outputs=(1,)),  # the sign has no gradient
    Case("linalg.solve", gen(well_conditioned(3), n(3, 2)), grad=(0, 1)),
    Case("linalg.cholesky", gen(spd(3))),
    Case("linalg.qr", gen(well_conditioned(4, 3))),
    Case("linalg.svd", gen(well_conditioned(3, 4)), kwargs={"compute_uv": False}),
    Case("linalg.eigh", gen(spd(3))),
    Case("linalg.norm", gen(n(3, 4))),
    Case("linalg.norm", gen(n(3, 4)), kwargs={"ord": 1, "axis": 1}, id="norm_l1"),
    Case("linalg.norm", gen(n(3, 4)), kwargs={"ord": "fro", "axis": (0, 1)}, id="norm_fro"),
    Case("linalg.norm", gen(n(3, 4)), kwargs={"ord": np.inf, "axis": (0, 1)}, id="norm_inf_matrix"),
    Case("linalg.solve_triangular", gen(well_conditioned(3), n(3, 2)), kwargs={"lower": True}, grad=(0, 1)),
    # image
    Case("image.resize", gen(n(2, 4, 6, 3)), extra=((3, 4),)),
    Case("image.resize", gen(n(1, 5, 5, 2)), extra=((10, 7),), kwargs={"interpolation": "nearest"},
         id="resize_nearest"),
    Case("image.extract_patches", gen(n(2, 6, 6, 3)), extra=(2,)),
    Case("image.extract_patches", gen(n(1, 5, 5, 2)), extra=((3, 2),), kwargs={"strides": 1, "padding": "same"},
         id="extract_patches_same"),
    Case("image.affine_transform", gen(n(2, 5, 5, 3), lambda r: np.array(
        [[1.0, 0.1, 0.5, -0.1, 1.0, 0.3, 0.0, 0.0], [0.9, 0.0, 0.0, 0.0, 1.1, -0.4, 0.0, 0.0]], np.float32))),
    Case("image.rgb_to_grayscale", gen(n(2, 3, 3, 3))),
    # core
    Case("stop_gradient", gen(n(3)), grad=None),
    Case("slice", gen(n(4, 5), lambda r: np.array([1, 2], np.int32)), extra=((2, 3),)),
    Case("slice_update", gen(n(4, 5), lambda r: np.array([1, 2], np.int32), n(2, 2)), grad=(0, 2)),
    Case("scatter", gen(lambda r: np.array([[0, 1], [2, 3], [0, 1]], np.int32), n(3)), extra=((3, 4),), grad=(1,)),
    Case("scatter_update", gen(n(3, 4), lambda r: np.array([[0, 1], [2, 3]], np.int32), n(2)), grad=(0, 2)),
    Case("cast", gen(n(3)), extra=("float64",)),
    Case("convert_to_tensor", gen(n(2, 2)), grad=None),
]

def with_nans(*shape: int) -> Callable[[np.random.Generator], np.ndarray]:
    """Values with about a quarter NaNs (and one row of NaNs only, for the all-NaN rule)."""
    def make(r: np.random.Generator) -> np.ndarray:
        x = r.uniform(-2, 2, shape).astype(np.float32)
        x[r.uniform(size=shape) < 0.25] = np.nan
        x[0] = np.nan
        return x

    return make


# numpy_derived and nn_piecewise: functions NumPy and Keras define from the others
CASES += [Case(name, gen(n(3, 4))) for name in ("deg2rad", "rad2deg", "fabs", "erfc", "hard_tanh", "hard_shrink",
                                                "soft_shrink", "nn.hard_tanh", "nn.soft_shrink")]
CASES += [Case(name, gen(ints(3, 4, lo=-3, hi=3)), grad=None, id=f"{name}_int")
          for name in ("deg2rad", "fabs", "cbrt", "isposinf", "isneginf", "ptp", "nansum", "nanmean",
                       "nanmax")]
CASES += [Case(name, gen(with_nans(3, 4)), kwargs={"axis": 1}, grad=None, id=f"{name}_nans")
          for name in ("nansum", "nanmean", "nanmax", "nanmin", "nanprod", "nanvar", "nanstd")]
CASES += [Case(name, gen(distinct(3, 4)), kwargs=kw, id=f"{name}_{i}")
          for name in ("nansum", "nanmean", "nanmax", "nanmin", "nanprod", "nanvar", "nanstd", "ptp")
          for i, kw in enumerate([{}, {"axis": 0, "keepdims": True}])]
CASES += [
    Case("cbrt", gen(n(3, 4, lo=0.3, hi=2.0))),
    Case("cbrt", gen(n(5, lo=-2.0, hi=-0.3)), id="cbrt_negative"),
    Case("logaddexp2", gen(n(3, 4), n(1, 4)), grad=(0, 1)),
    Case("fmax", gen(n(3, 4), n(3, 4)), grad=(0, 1)),
    Case("fmin", gen(n(3, 4), n(3, 4)), grad=(0, 1)),
    Case("fmax", gen(with_nans(3, 4), with_nans(3, 4)), grad=None, id="fmax_nans"),
    Case("fmin", gen(with_nans(3, 4), n(3, 4)), grad=None, id="fmin_nans"),
    Case("fmod", gen(n(3, 4, lo=-3, hi=3), n(3, 4, lo=0.7, hi=1.3)), grad=(0,)),
    Case("fmod", gen(ints(3, 4, lo=-7, hi=7), ints(3, 4, lo=1, hi=4)), grad=None, id="fmod_int"),
    Case("fmod", gen(ints(3, 4, lo=-7, hi=7), ints(3, 4, lo=-4, hi=-1)), grad=None, id="fmod_int_negative"),
    Case("heaviside", gen(lambda r: r.integers(-1, 2, (3, 4)).astype(np.float32), n(3, 4)), grad=None),
    Case("isposinf", gen(lambda r: np.array([np.inf, -np.inf, 1.0, np.nan], np.float32)), grad=None,
         id="isposinf_float"),
    Case("isneginf", gen(lambda r: np.array([np.inf, -np.inf, 1.0, np.nan], np.float32)), grad=None,
         id="isneginf_float"),
    Case("threshold", gen(n(3, 4)), extra=(0.3, -1.0)),
    Case("nn.threshold", gen(n(3, 4)), extra=(-0.3, 0.0), id="nn_threshold"),
    Case("hard_shrink", gen(n(3, 4)), kwargs={"threshold": 1.0}, id="hard_shrink_1"),
    Case("soft_shrink", gen(n(3, 4)), kwargs={"threshold": 0.2}, id="soft_shrink_02"),
    Case("select", lambda r: [[n(3, 4)(r) > 0.5, n(3, 4)(r) < -0.5], [n(3, 4)(r), n(3, 4)(r)]], grad=None),
    Case("select", lambda r: [[ints(5, hi=2)(r).astype(bool)], [n(5)(r)]], kwargs={"default": -1.0}, grad=None,
         id="select_default"),
    Case("allclose", gen(n(3, 4), n(3, 4)), grad=None),
    Case("fliplr", gen(n(2, 3, 2))),
    Case("flipud", gen(n(3, 2))),
    *[Case("rot90", gen(n(2, 3, 4)), kwargs=kw, id=f"rot90_{i}")
      for i, kw in enumerate([{}, {"k": 3}, {"k": -1, "axes": (2, 0)}, {"k": 4}])],  # k=2: test_derived.py
    Case("array_split", gen(n(7, 2)), extra=(3,)),
    Case("array_split", gen(n(2, 5)), extra=(2,), kwargs={"axis": 1}, id="array_split_axis1"),
    Case("hsplit", gen(n(2, 6)), extra=(3,)),
    Case("hsplit", gen(n(6)), extra=(2,), id="hsplit_vector"),
    Case("vsplit", gen(n(4, 3)), extra=([1],)),
    Case("dsplit", gen(n(2, 2, 4)), extra=(2,)),
    Case("dstack", lambda r: [[n(2, 3)(r), n(2, 3)(r)]], grad=None),
    Case("dstack", lambda r: [[n(3)(r), n(3)(r)]], grad=None, id="dstack_vectors"),
    Case("kron", gen(n(2, 3), n(2, 2)), grad=(0, 1)),
    Case("kron", gen(n(3), n(2, 2)), grad=(0, 1), id="kron_ranks"),
    Case("cross", gen(n(4, 3), n(4, 3)), grad=(0, 1)),
    Case("cross", gen(n(3, 2), n(3, 3)), grad=(0, 1), id="cross_2_3"),
    Case("cross", gen(n(3, 2), n(3, 2)), grad=(0, 1), id="cross_2_2"),
    Case("cross", gen(n(3, 4), n(4, 3)), kwargs={"axisa": 0, "axisc": 0}, grad=(0, 1), id="cross_axes"),
]


# numpy_search, nn_rearrange, diagflat
CASES += [
    Case("searchsorted", gen(lambda r: np.sort(r.uniform(-2, 2, 6)).astype(np.float32), n(5)), grad=None),
    Case("searchsorted", gen(lambda r: np.array([0, 1, 1, 2, 4], np.int32), ints(5, hi=5)),
         kwargs={"side": "right"}, grad=None, id="searchsorted_right"),
    Case("digitize", gen(n(2, 5), lambda r: np.array([-1.0, 0.0, 0.5, 1.5], np.float32)), grad=None),
    Case("isin", gen(ints(3, 4, hi=6), ints(3, hi=6)), grad=None),
    Case("isin", gen(ints(3, 4, hi=6), ints(3, hi=6)), kwargs={"invert": True}, grad=None, id="isin_invert"),
    Case("bincount", gen(ints(7, hi=5)), grad=None),
    Case("bincount", gen(ints(7, hi=5)), kwargs={"minlength": 8}, grad=None, id="bincount_minlength"),
    Case("bincount", gen(lambda r: np.array([0, 2, 2, 4, 1], np.int32), n(5)), grad=(1,), names=("x", "weights"),
         id="bincount_weights"),
    *[Case("quantile", gen(distinct(3, 5)), extra=(q,), kwargs=kw, id=f"quantile_{i}")
      for i, (q, kw) in enumerate([(0.3, {}), (0.5, {"axis": 1}), ([0.1, 0.75], {"axis": 0}),
                                   (0.4, {"axis": 1, "keepdims": True}), ([0.2, 0.9], {"keepdims": True}),
                                   (0.35, {"axis": 1, "method": "lower"}), (0.35, {"axis": 1, "method": "higher"}),
                                   (0.35, {"axis": 1, "method": "midpoint"}),
                                   (0.35, {"axis": 1, "method": "nearest"})])],
    Case("quantile", gen(ints(4, 3, hi=9)), extra=(0.5,), kwargs={"axis": 0}, grad=None, id="quantile_int"),
    Case("percentile", gen(distinct(2, 3, 4)), extra=(40.0,), kwargs={"axis": (0, 2)}),
    Case("depth_to_space", gen(n(2, 2, 3, 8)), extra=(2,)),
    Case("nn.space_to_depth", gen(n(2, 4, 6, 3)), extra=(2,)),
    Case("space_to_depth", gen(n(1, 2, 6, 4)), extra=(2,), kwargs={"data_format": "channels_first"},
         id="space_to_depth_channels_first"),
    Case("diagflat", gen(n(2, 2))),
    Case("diagflat", gen(n(3)), kwargs={"k": 1}, id="diagflat_offset"),
    Case("empty_like", gen(n(2, 3)), grad=None),
]


# numpy_bitwise
CASES += [Case(name, gen(ints(3, 4, lo=-8, hi=8), ints(1, 4, lo=-8, hi=8)), grad=None)
          for name in ("bitwise_and", "bitwise_or", "bitwise_xor")]
CASES += [Case(name, gen(ints(3, 4, lo=0, hi=64), ints(3, 4, lo=0, hi=4)), grad=None)
          for name in ("left_shift", "right_shift", "bitwise_left_shift", "bitwise_right_shift")]
CASES += [
    Case("bitwise_invert", gen(ints(3, 4, lo=-8, hi=8)), grad=None),
    Case("bitwise_not", gen(ints(5, lo=0, hi=200, dtype=np.uint8)), grad=None),
    Case("bitwise_and", gen(ints(3, 4, hi=8, dtype=np.int8), ints(3, 4, hi=8, dtype=np.int16)), grad=None,
         id="bitwise_and_promoted"),
]


# dtype parity: (op, operands) whose result dtype Keras' TensorFlow backend fixes
DTYPE_CASES: list[tuple[str, list[Any]]] = [
    ("add", [np.array([1], np.int32), 1.5]),
    ("add", [np.array([1.0], np.float64), 1]),
    ("add", [np.array([1], np.int8), np.array([1], np.uint8)]),
    ("add", [np.array([1], np.int32), np.array([1], np.uint32)]),
    ("add", [np.array([1], np.int64), np.array([1.0], np.float16)]),
    ("add", [np.array([True]), 1]),
    ("multiply", [np.array([1], np.uint8), np.array([1], np.uint16)]),
    ("divide", [np.array([1], np.int32), np.array([2], np.int32)]),
    ("divide", [np.array([1.0], np.float64), 2]),
    ("sqrt", [np.array([1, 4], np.int32)]),
    ("exp", [np.array([1], np.int64)]),
    ("mean", [np.array([1, 2], np.int32)]),
    ("mean", [np.array([1.0, 2.0], np.float64)]),
    ("sum", [np.array([True, False])]),
    ("sum", [np.array([1], np.int8)]),
    ("sum", [np.array([1], np.uint8)]),
    ("prod", [np.array([1], np.int8)]),
    ("power", [np.array([2], np.int32), 2]),
    ("power", [np.array([2], np.int32), 2.0]),
    ("floor_divide", [np.array([3], np.int32), 2]),
    ("floor", [np.array([3], np.int32)]),
    ("argmax", [np.array([1.0, 2.0])]),
    ("abs", [np.array([-1], np.int8)]),
    ("max", [np.array([3], np.int8)]),
    ("var", [np.array([3], np.int32)]),
    ("matmul", [np.ones((2, 2), np.int8), np.ones((2, 2), np.int8)]),
    ("maximum", [np.array([1], np.int16), np.array([1.0], np.float32)]),
    ("where", [np.array([True]), np.array([1], np.int32), np.array([1.0], np.float32)]),
    ("convert_to_tensor", [[1.0, 2]]),
    ("convert_to_tensor", [3]),
    ("convert_to_tensor", [np.array([1.0])]),
    ("arange", [3]),
    ("arange", [3.0]),
    ("ones", [(2,)]),
    ("linspace", [0, 1, 3]),
    ("one_hot", [np.array([1, 0]), 3]),
    ("full", [(2,), 3]),
    ("full", [(2,), 3.0]),
]
