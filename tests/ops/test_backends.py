"""Every op gives NumPy's values and gradients on every installed array backend (strict always, CuPy when present).

The whole op suite also runs on one chosen backend (``--backend=strict``); this table is the cheap cross-check
that runs in every session.
"""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet import backend
from tensorlet.ops import nn as N
from tensorlet.ops.conv import conv2d, pool2d
from tests.ops.test_gradients import BINARY, REDUCTIONS, UNARY


def _x(shape, lo=-2.0, hi=2.0, seed=0):
    return np.random.default_rng(seed).uniform(lo, hi, shape)


CASES = {f"binary-{k}": (f, [_x((3, 4), 0.5, 2, 1), _x((4,), 0.5, 2, 2)]) for k, f in BINARY.items()}
CASES.update({f"unary-{k}": (f, [_x((3, 4), lo, hi, 3)]) for k, (f, lo, hi) in UNARY.items()})
CASES.update({f"reduce-{k}": (lambda v, f=f: f(v, axis=1), [_x((3, 4), 0.5, 2, 4)]) for k, f in REDUCTIONS.items()})
CASES.update({
    "matmul": (lambda a, b: tf.matmul(a, b, transpose_b=True), [_x((2, 3, 4), seed=5), _x((5, 4), seed=6)]),
    "dense-sigmoid": (lambda a, k, c: N.dense(a, k, c, "sigmoid"), [_x((3, 4), seed=7), _x((4, 2), seed=8),
                                                                    _x((2,), seed=9)]),
    "sparse-ce": (lambda z: N.sparse_softmax_cross_entropy_with_logits(tf.constant([0, 2, 1]), z), [_x((3, 3))]),
    "conv2d-same": (lambda a, k: conv2d(a, k, 2, "same"), [_x((2, 5, 5, 3), seed=10), _x((3, 3, 3, 2), seed=11)]),
    "maxpool": (lambda a: pool2d(a, 2, 2, "same", "max"), [_x((2, 5, 5, 3), seed=12)]),
    "gather": (lambda v: tf.gather(v, [2, 0, 2], axis=1), [_x((2, 3))]),
    "getitem": (lambda v: v[1:, ::-1, None, ..., 1:3], [_x((2, 3, 4))]),
    "pad-reflect": (lambda v: tf.pad(v, [[1, 0], [0, 2]], mode="REFLECT"), [_x((3, 4))]),
    "boolean_mask": (lambda v: tf.boolean_mask(v, np.array([True, False, True])), [_x((3, 2))]),
    "one_hot": (lambda v: v * tf.one_hot([0, 2], 3, dtype="float64"), [_x((2, 3))]),
    "sort": (lambda v: tf.sort(v, axis=-1), [_x((2, 5))]),
    "cumsum": (lambda v: tf.cumsum(v, axis=1, exclusive=True, reverse=True), [_x((2, 4))]),
})


def _run(fn, inputs):
    variables = [tf.Variable(a) for a in inputs]
    with tf.GradientTape() as tape:
        out = fn(*variables)
    grads = tape.gradient(out, variables)
    return out.numpy(), [None if g is None else g.numpy() for g in grads]


@pytest.mark.parametrize("name", sorted(CASES))
def test_op_matches_numpy_on_every_backend(name, any_backend):
    fn, inputs = CASES[name]
    with backend.use_backend("numpy"):
        expected, expected_grads = _run(fn, inputs)
    value, grads = _run(fn, inputs)
    np.testing.assert_allclose(value, expected, rtol=1e-6, atol=1e-12)
    for g, e in zip(grads, expected_grads):
        assert (g is None) == (e is None)
        if e is not None:
            np.testing.assert_allclose(g, e, rtol=1e-6, atol=1e-12)
