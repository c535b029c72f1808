"""A finite-difference gradient check (float64) for every differentiable op, on hypothesis-generated shapes
with broadcasting."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import tensorlet as tf
from tensorlet.autodiff.gradcheck import gradcheck
from tensorlet.ops import conv as conv_ops
from tensorlet.ops import nn as N
from tensorlet.ops.conv import conv2d, pool2d
from tests.strategies import arrays, broadcast_pair, nonscalar_shapes

SETTINGS = settings(max_examples=15, deadline=None)

BINARY = {
    "add": tf.add, "subtract": tf.subtract, "multiply": tf.multiply, "divide": tf.divide,
    "maximum": tf.maximum, "minimum": tf.minimum, "pow": tf.pow, "floormod": tf.math.floormod,
}


@pytest.mark.parametrize("name", sorted(BINARY))
@SETTINGS
@given(shapes=broadcast_pair())
def test_binary_ops_with_broadcasting(name, shapes):
    a, b = arrays(shapes[0], 0.5, 2.0, 1), arrays(shapes[1], 0.5, 2.0, 2)
    if name in ("maximum", "minimum"):
        b = b + 0.123  # keep away from ties, where the derivative is not defined
    gradcheck(BINARY[name], [a, b], name=name)


UNARY = {
    "negative": (tf.negative, -2, 2), "abs": (tf.abs, 0.2, 2), "exp": (tf.exp, -2, 2), "log": (tf.math.log, 0.2, 3),
    "log1p": (tf.math.log1p, 0, 2), "expm1": (tf.math.expm1, -1, 1), "sqrt": (tf.sqrt, 0.2, 3),
    "rsqrt": (tf.math.rsqrt, 0.2, 3), "reciprocal": (tf.math.reciprocal, 0.5, 2), "square": (tf.square, -2, 2),
    "sin": (tf.sin, -2, 2), "cos": (tf.cos, -2, 2), "tan": (tf.math.tan, -1, 1), "tanh": (tf.tanh, -2, 2),
    "sigmoid": (tf.sigmoid, -3, 3), "identity": (tf.identity, -1, 1),
    "relu": (tf.nn.relu, 0.1, 2), "relu6": (tf.nn.relu6, 0.1, 5), "elu": (tf.nn.elu, -2, 2),
    "selu": (tf.nn.selu, -2, 2), "gelu": (tf.nn.gelu, -2, 2), "gelu_tanh": (lambda x: tf.nn.gelu(x, True), -2, 2),
    "softplus": (tf.nn.softplus, -3, 3), "softsign": (tf.nn.softsign, -2, 2), "swish": (tf.nn.swish, -2, 2),
    "leaky_relu": (tf.nn.leaky_relu, 0.1, 2), "softmax": (tf.nn.softmax, -2, 2),
    "log_softmax": (tf.nn.log_softmax, -2, 2), "l2_loss": (tf.nn.l2_loss, -2, 2),
    "clip_by_value": (lambda x: tf.clip_by_value(x, -0.5, 0.7), -1, 1), "clip_by_norm": (lambda x: tf.clip_by_norm(x, 1.0), -2, 2),
    "cast": (lambda x: tf.cast(x, "float32"), -1, 1),
}


@pytest.mark.parametrize("name", sorted(UNARY))
@SETTINGS
@given(shape=nonscalar_shapes)
def test_unary_ops(name, shape):
    f, lo, hi = UNARY[name]
    x = arrays(shape, lo, hi, 3)
    if name in ("clip_by_value",):
        x = np.where(np.abs(np.abs(x) - 0.6) < 0.05, 0.2, x)
    if name == "cast":
        with pytest.raises(AssertionError):  # float64 -> float32 loses precision: the check is too strict there
            gradcheck(f, [x], atol=1e-9, rtol=1e-9, name=name)
        return
    gradcheck(f, [x], name=name)


REDUCTIONS = {"reduce_sum": tf.reduce_sum, "reduce_mean": tf.reduce_mean, "reduce_max": tf.reduce_max,
              "reduce_min": tf.reduce_min, "reduce_prod": tf.reduce_prod, "reduce_logsumexp": tf.reduce_logsumexp,
              "reduce_variance": tf.math.reduce_variance, "reduce_std": tf.math.reduce_std}


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
@SETTINGS
@given(shape=st.lists(st.integers(1, 4), min_size=1, max_size=3).map(tuple), data=st.data())
def test_reductions_with_axis_and_keepdims(name, shape, data):
    axis = data.draw(st.one_of(st.none(), st.integers(-len(shape), len(shape) - 1)))
    keepdims = data.draw(st.booleans())
    reduced = int(np.prod(shape)) if axis is None else shape[axis]
    assume(name != "reduce_std" or reduced > 1)  # the std of one value is 0, where sqrt has no derivative
    x = arrays(shape, 0.5, 2.0, 4) + np.arange(np.prod(shape)).reshape(shape) * 0.01  # distinct values
    gradcheck(lambda v: REDUCTIONS[name](v, axis=axis, keepdims=keepdims), [x], name=name)


def test_shape_ops():
    x = arrays((2, 3, 4), seed=5)
    cases = {
        "reshape": lambda v: tf.reshape(v, (4, -1)),
        "transpose": lambda v: tf.transpose(v, (2, 0, 1)),
        "expand_dims": lambda v: tf.expand_dims(v, 1),
        "squeeze": lambda v: tf.squeeze(tf.reshape(v, (2, 1, 12)), 1),
        "concat": lambda v: tf.concat([v, v * 2.0], axis=1),
        "stack": lambda v: tf.stack([v, v], axis=2),
        "unstack": lambda v: tf.unstack(v, axis=1)[1],
        "split": lambda v: tf.split(v, [1, 3], axis=2)[1],
        "tile": lambda v: tf.tile(v, (2, 1, 3)),
        "pad": lambda v: tf.pad(v, [[1, 0], [0, 2], [1, 1]]),
        "pad_reflect": lambda v: tf.pad(v, [[1, 0], [0, 2], [1, 1]], mode="REFLECT"),
        "pad_symmetric": lambda v: tf.pad(v, [[1, 1], [2, 0], [0, 1]], mode="SYMMETRIC"),
        "gather": lambda v: tf.gather(v, [2, 0, 2], axis=1),
        "boolean_mask": lambda v: tf.boolean_mask(v, np.array([True, False])),
        "where": lambda v: tf.where(v > 0, v, v * 3.0),
        "getitem": lambda v: v[1:, ::-1, np.newaxis, ..., 1:3],
        "getitem_int": lambda v: v[-1, 1],
        "broadcast_to": lambda v: tf.broadcast_to(v[:, :1], (2, 3, 4)),
        "sort": lambda v: tf.sort(v, axis=-1),
        "top_k": lambda v: tf.math.top_k(v, k=2).values,
        "cumsum": lambda v: tf.cumsum(v, axis=1),
        "cumsum_rev_excl": lambda v: tf.cumsum(v, axis=2, exclusive=True, reverse=True),
        "norm": lambda v: tf.norm(v, axis=-1),
    }
    for name, f in cases.items():
        gradcheck(f, [x], name=name)


@SETTINGS
@given(m=st.integers(1, 4), k=st.integers(1, 4), n=st.integers(1, 4), batch=st.sampled_from([(), (2,), (2, 1)]),
       ta=st.booleans(), tb=st.booleans())
def test_matmul_batched_with_transposes(m, k, n, batch, ta, tb):
    a = arrays(batch + ((k, m) if ta else (m, k)), seed=6)
    b = arrays(((n, k) if tb else (k, n)) if batch != (2, 1) else (2, 1) + ((n, k) if tb else (k, n)), seed=7)
    gradcheck(lambda x, y: tf.matmul(x, y, transpose_a=ta, transpose_b=tb), [a, b], name="matmul")


def test_crossentropies_with_logits_and_fused_dense():
    z = arrays((4, 5), seed=8)
    labels = np.random.default_rng(9).dirichlet(np.ones(5), 4)
    gradcheck(lambda l, v: tf.nn.softmax_cross_entropy_with_logits(l, v), [labels, z], name="softmax_ce")
    gradcheck(lambda v: tf.nn.sparse_softmax_cross_entropy_with_logits(tf.constant([0, 4, 2, 1]), v), [z])
    t = np.random.default_rng(10).uniform(0, 1, (4, 5))
    gradcheck(lambda l, v: tf.nn.sigmoid_cross_entropy_with_logits(labels=l, logits=v), [t, z], name="sigmoid_ce")
    x, w, b = arrays((3, 4), seed=11), arrays((4, 2), seed=12), arrays((2,), seed=13)
    for act in (None, "relu", "sigmoid", "tanh"):
        gradcheck(lambda a, k, c, act=act: N.dense(a, k, c, act), [x, w, b], name=f"dense-{act}")
    x3 = arrays((2, 3, 4), seed=14)  # rank 3: one GEMM over the leading axes
    gradcheck(lambda a, k, c: N.dense(a, k, c, "tanh"), [x3, w, b], name="dense rank 3")


def test_conv_and_pool():
    x, w = arrays((2, 6, 5, 3), seed=14), arrays((3, 3, 3, 4), seed=15)
    for padding, s, d in (("valid", 1, 1), ("same", 2, 1), ("same", 1, 2)):
        gradcheck(lambda a, k, s=s, p=padding, d=d: conv2d(a, k, s, p, d), [x, w], name=f"conv2d-{padding}-{s}-{d}")
    xs = x + np.arange(x.size).reshape(x.shape) * 1e-3
    for mode in ("max", "avg"):
        for padding in ("valid", "same"):
            gradcheck(lambda a, p=padding, m=mode: pool2d(a, 2, 2, p, m), [xs], name=f"pool-{mode}-{padding}")


def test_max_pool_with_relu():
    x = arrays((2, 6, 5, 3), seed=25) + np.arange(2 * 6 * 5 * 3).reshape(2, 6, 5, 3) * 1e-3  # no ties
    for padding in ("valid", "same"):
        gradcheck(lambda a, p=padding: conv_ops.Pool2D((2, 2), (2, 2), p, "max", relu=True)(a), [x],
                  name=f"pool-relu-{padding}")
    with pytest.raises(ValueError, match="relu=True needs mode='max'"):
        conv_ops.Pool2D((2, 2), (2, 2), "valid", "avg", relu=True)


@pytest.mark.parametrize("activation", [None, "relu"])
def test_conv_with_bias_and_activation(activation):
    x, w, b = arrays((2, 6, 5, 3), seed=16), arrays((3, 3, 3, 4), seed=17), arrays((4,), seed=18)
    for padding, s, d in (("valid", 1, 1), ("same", 2, 1), ("same", 1, 2)):
        gradcheck(lambda a, k, c, s=s, p=padding, d=d: conv2d(a, k, s, p, d, bias=c, activation=activation),
                  [x, w, b], name=f"conv2d-bias-{activation}-{padding}-{s}-{d}")


def test_conv_with_bias_and_wide_patches():
    # KH*KW*C = 72 patch columns: the bias is added after the GEMM, not folded into it as a column of ones
    x, w, b = arrays((2, 5, 4, 8), seed=19), arrays((3, 3, 8, 3), seed=20), arrays((3,), seed=21)
    assert 3 * 3 * 8 > conv_ops.BIAS_IN_GEMM_MAX_K
    gradcheck(lambda a, k, c: conv2d(a, k, 1, "same", bias=c, activation="relu"), [x, w, b], name="conv2d-wide")


def test_conv_bias_folded_into_the_gemm_matches_the_bias_added_after(monkeypatch):
    x, w, b = (arrays(s, seed=i).astype(np.float32) for i, s in ((22, (4, 9, 9, 3)), (23, (3, 3, 3, 5)), (24, (5,))))
    results = []
    for max_k in (64, 0):  # folded (27 <= 64), then added after the product
        monkeypatch.setattr(conv_ops, "BIAS_IN_GEMM_MAX_K", max_k)
        xt, wt, bt = tf.Variable(x), tf.Variable(w), tf.Variable(b)
        with tf.GradientTape() as tape:
            y = conv2d(xt, wt, 1, "same", bias=bt, activation="relu")
            loss = tf.reduce_sum(y * y)
        results.append([y.numpy()] + [g.numpy() for g in tape.gradient(loss, [xt, wt, bt])])
    for folded, added in zip(*results):
        np.testing.assert_allclose(folded, added, rtol=1e-5, atol=1e-5 * np.abs(added).max())


def test_conv_with_a_bias_of_the_wrong_shape_is_an_error():
    with pytest.raises(tf.errors.InvalidArgumentError, match="bias must have shape \\(4,\\)"):
        conv2d(np.zeros((1, 4, 4, 3)), np.zeros((3, 3, 3, 4)), bias=np.zeros(3))


def test_custom_gradient():
    @tf.custom_gradient
    def scaled(x):
        def grad(dy):
            return dy * 3.0

        return x * 3.0, grad

    gradcheck(scaled, [arrays((3,), seed=16)])


def test_fused_loss_ops():
    """The ops behind mean squared error and the 'sum_over_batch_size' reduction."""
    from tensorlet.losses.regression import SquaredErrorMean

    rng = np.random.default_rng(0)
    t, p = rng.standard_normal((5, 3)), rng.standard_normal((5, 3))
    gradcheck(lambda a, b: SquaredErrorMean()(a, b), [t, p], name="squared_error_mean")
    gradcheck(lambda a, b: SquaredErrorMean()(a, b), [rng.standard_normal(5), rng.standard_normal((5, 1))],
              name="squared_error_mean-rank-1-targets")
    gradcheck(lambda a: tf.reduce_mean(a), [rng.standard_normal((4, 3, 2))], name="mean_all")
    np.testing.assert_allclose(np.asarray(SquaredErrorMean()(tf.constant(t), tf.constant(p))),
                               ((p - t) ** 2).mean(axis=-1), rtol=1e-12)


@pytest.mark.parametrize("pool,strides", [((2, 2), (2, 2)), ((3, 3), (3, 3)), ((3, 3), (1, 1)), ((2, 3), (2, 1))])
def test_max_pool_gradient_goes_to_the_first_maximum_of_tied_windows(pool, strides):
    x = np.zeros((2, 5, 6, 3), "float32")
    x[0, 1, 1, 0] = x[0, 1, 2, 0] = 1.0  # a tie at the maximum; the rest of the windows tie at 0
    xt = tf.Variable(x)
    with tf.GradientTape() as tape:
        y = pool2d(xt, pool, strides, "valid", "max")
    grad = tape.gradient(y, xt).numpy()
    expected = np.zeros_like(x)  # row-major tap order within each window: its first maximum takes the gradient
    kh, kw = pool
    for n in range(2):
        for c in range(3):
            for i in range(0, 5 - kh + 1, strides[0]):
                for j in range(0, 6 - kw + 1, strides[1]):
                    win = x[n, i:i + kh, j:j + kw, c]
                    a, b = np.unravel_index(np.argmax(win), win.shape)
                    expected[n, i + a, j + b, c] += 1
    np.testing.assert_array_equal(grad, expected)
