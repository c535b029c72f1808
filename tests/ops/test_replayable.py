"""Every op replays in a traced function: its data inputs are op inputs, never values read at trace time and frozen
into the plan. Each case runs under ``tf.function`` on two inputs of one signature; the second call (a replay)
must equal the eager result, and the function must not have fallen back to eager execution.

New ops add a row to CASES: ``(name, function, make_args)``, where ``make_args(seed)`` returns the positional
arguments (tensors for the data inputs; Python values are part of the signature and stay fixed).
"""
from __future__ import annotations

import warnings

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.ops.conv import conv2d
from tensorlet.ops.recurrent import gru_sequence, lstm_sequence


def floats(*shape):
    return lambda rng: tf.constant(rng.standard_normal(shape).astype("float32"))


def ints(high, *shape):
    return lambda rng: tf.constant(rng.integers(0, high, shape).astype("int32"))


def bools(*shape):
    return lambda rng: tf.constant(rng.random(shape) > 0.5)


def args(*makers):
    return lambda seed: [m(np.random.default_rng(seed)) for m in makers]


CASES = [
    ("add", tf.add, args(floats(3, 4), floats(4))),
    ("matmul", tf.matmul, args(floats(3, 4), floats(4, 2))),
    ("reduce_sum axis", lambda x: tf.reduce_sum(x, axis=1), args(floats(3, 4))),
    ("reduce_max", tf.reduce_max, args(floats(3, 4))),
    ("argmax", lambda x: tf.argmax(x, axis=1), args(floats(3, 4))),
    ("argsort", lambda x: tf.argsort(x, axis=-1), args(floats(3, 5))),
    ("sort", lambda x: tf.sort(x, axis=-1), args(floats(3, 5))),
    ("top_k", lambda x: tf.math.top_k(x, k=2).values, args(floats(3, 5))),
    ("top_k indices", lambda x: tf.math.top_k(x, k=2).indices, args(floats(3, 5))),
    ("cumsum", lambda x: tf.cumsum(x, axis=1), args(floats(3, 4))),
    ("gather", lambda p, i: tf.gather(p, i), args(floats(5, 3), ints(5, 4))),
    ("gather axis", lambda p, i: tf.gather(p, i, axis=1), args(floats(2, 5), ints(5, 3))),
    ("one_hot", lambda i: tf.one_hot(i, 4), args(ints(4, 6))),
    ("boolean_mask", lambda x, m: tf.reduce_sum(tf.boolean_mask(x, m)), args(floats(6), bools(6))),
    ("where 3", tf.where, args(bools(3, 4), floats(3, 4), floats(3, 4))),
    ("clip_by_value tensors", tf.clip_by_value, args(floats(4), floats(4), floats(4))),
    ("cast", lambda x: tf.cast(x, tf.int32), args(floats(4))),
    ("pad", lambda x: tf.pad(x, [[1, 0], [0, 2]]), args(floats(2, 3))),
    ("tile", lambda x: tf.tile(x, [2, 1]), args(floats(2, 3))),
    ("reshape", lambda x: tf.reshape(x, (3, 2)), args(floats(2, 3))),
    ("getitem slice", lambda x: x[1:, ::2], args(floats(3, 4))),
    ("getitem tensor index", lambda x, i: x[i], args(floats(5, 2), ints(5))),
    ("transpose", tf.transpose, args(floats(2, 3))),
    ("concat", lambda a, b: tf.concat([a, b], 0), args(floats(2, 3), floats(1, 3))),
    ("stack", lambda a, b: tf.stack([a, b]), args(floats(3), floats(3))),
    ("split", lambda x: tf.split(x, 2, axis=1)[1], args(floats(2, 4))),
    ("unstack", lambda x: tf.unstack(x)[1], args(floats(3, 2))),
    ("squeeze", tf.squeeze, args(floats(1, 3, 1))),
    ("expand_dims", lambda x: tf.expand_dims(x, 0), args(floats(3))),
    ("broadcast_to", lambda x: tf.broadcast_to(x, (2, 3)), args(floats(3))),
    ("zeros_like", tf.zeros_like, args(floats(3))),
    ("ones_like plus", lambda x: tf.ones_like(x) + x, args(floats(3))),
    ("fill value", lambda v: tf.fill((2, 2), v), args(floats())),
    ("norm", tf.norm, args(floats(3, 4))),
    ("reduce_std", tf.reduce_std, args(floats(3, 4))),
    ("reduce_logsumexp", tf.reduce_logsumexp, args(floats(3, 4))),
    ("logical_and", tf.logical_and, args(bools(4), bools(4))),
    ("equal", tf.equal, args(ints(3, 5), ints(3, 5))),
    ("pow", lambda a, b: tf.pow(tf.abs(a) + 0.5, b), args(floats(3), floats(3))),
    ("math ops", lambda x: tf.math.log1p(tf.abs(x)) + tf.math.expm1(x) + tf.math.reciprocal(x + 10.0),
     args(floats(4))),
    ("floormod", tf.math.floormod, args(ints(9, 4), lambda rng: tf.constant(rng.integers(1, 4, 4).astype("int32")))),
    ("softmax", tf.nn.softmax, args(floats(2, 5))),
    ("sparse xent", lambda y, z: tf.nn.sparse_softmax_cross_entropy_with_logits(y, z), args(ints(5, 3), floats(3, 5))),
    ("sigmoid xent", lambda y, z: tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=z),
     args(floats(3, 2), floats(3, 2))),
    ("random normal of a traced shape", lambda x: tf.shape(tf.random.normal(tf.shape(x))), args(floats(3, 2))),
    ("shape", lambda x: tf.shape(x), args(floats(3, 2))),
    ("size", tf.size, args(floats(3, 2))),
    ("rank", tf.rank, args(floats(3, 2))),
    ("clip_by_norm", lambda x: tf.clip_by_norm(x, 1.0), args(floats(5))),
    ("stop_gradient", tf.stop_gradient, args(floats(3))),
    ("identity", tf.identity, args(floats(3))),
    ("range of a tensor limit", lambda n: tf.reduce_sum(tf.range(n)),
     args(lambda rng: tf.constant(int(rng.integers(2, 60))))),
    ("zeros_like then add", lambda x: tf.zeros_like(x) + x * 2.0, args(floats(3))),
    ("where of a mask", lambda m: tf.reduce_sum(tf.where(m)), args(bools(6))),
    ("conv2d bias relu", lambda x, k, b: conv2d(x, k, bias=b, activation="relu"),
     args(floats(2, 5, 5, 3), floats(3, 3, 3, 4), floats(4))),
    ("lstm_sequence", lambda x, k, w, b, h, c: lstm_sequence(x, k, w, b, h, c)[0],
     args(floats(2, 3, 5), floats(5, 8), floats(2, 8), floats(8), floats(2, 2), floats(2, 2))),
    ("gru_sequence", lambda *a: gru_sequence(*a)[0], args(floats(2, 3, 6), floats(2, 6), floats(6), floats(2, 2))),
]


@pytest.mark.parametrize("name,fn,make", CASES, ids=[c[0] for c in CASES])
def test_op_replays_with_new_values(name, fn, make):
    traced = tf.function(fn)
    first, second = make(1), make(2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # falling back to eager execution warns: not allowed here
        traced(*first)
        replayed = traced(*second)
    expected = fn(*second)
    np.testing.assert_allclose(tf.convert_to_tensor(replayed).numpy(), expected.numpy(), rtol=1e-6, atol=1e-6)
    assert traced.experimental_get_tracing_count() == 1
