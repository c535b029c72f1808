"""Embedding's table gradient: a scatter-add of the output gradient at the looked-up rows (one ``add.at`` over the
flat table), against a NumPy loop, for tables smaller and larger than the batch."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras import layers


@pytest.mark.parametrize("input_dim", [7, 500])
def test_embedding_table_gradient_sums_repeated_rows(input_dim):
    rng = np.random.default_rng(0)
    idx = rng.integers(0, 7, (3, 4))
    idx[0, :2] = 5  # a row looked up more than once
    layer = layers.Embedding(input_dim, 3)
    layer.build((3, 4))
    g = rng.standard_normal((3, 4, 3)).astype("float32")
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(layer(idx) * g)
    (grad,) = tape.gradient(loss, [layer.embeddings])
    want = np.zeros((input_dim, 3))
    for i, row in enumerate(idx.reshape(-1)):
        want[row] += g.reshape(-1, 3)[i]
    assert grad.dtype == tf.float32
    np.testing.assert_allclose(np.asarray(grad), want, rtol=1e-6, atol=1e-6)
