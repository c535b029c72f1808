"""SimpleRNN, LSTM and GRU dropout: one mask per sequence, fixed over time, training only; with recurrent dropout
one mask per gate for the inputs and the state, as Keras draws them; seeded masks reproduce."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.layers.recurrent.gru import GRU
from tensorlet.layers.recurrent.lstm import LSTM
from tensorlet.layers.recurrent.simple_rnn import SimpleRNN
from tests.layers.test_recurrent import _random_weights, _sigmoid


def test_input_dropout_mask_is_fixed_over_time_and_training_only():
    # linear SimpleRNN with an identity kernel and no recurrence: each output step is x_t * mask
    layer = SimpleRNN(8, activation=None, use_bias=False, dropout=0.5, seed=0, kernel_initializer="identity",
                      recurrent_initializer="zeros")
    x = np.ones((4, 5, 8), "float32")
    np.testing.assert_array_equal(layer(x, training=False).numpy(), 1.0)
    seq = SimpleRNN.from_config({**layer.get_config(), "return_sequences": True, "name": "seq"})
    seq(x)
    seq.set_weights(layer.get_weights())
    y = seq(x, training=True).numpy()
    assert set(np.unique(y)) <= {0.0, 2.0} and 0 < (y == 0).mean() < 1
    for t in range(1, 5):
        np.testing.assert_array_equal(y[:, t], y[:, 0])


def test_recurrent_dropout_mask_is_fixed_over_time():
    # identity kernels, linear: h_0 = x_0, h_t = h_{t-1} * m (x_t = 0), so h_2 = h_1 * 2 exactly where m kept
    layer = SimpleRNN(8, activation=None, use_bias=False, recurrent_dropout=0.5, seed=3, return_sequences=True,
                      kernel_initializer="identity", recurrent_initializer="identity")
    x = np.zeros((4, 3, 8), "float32")
    x[:, 0] = 1.0
    y = layer(x, training=True).numpy()
    np.testing.assert_array_equal(y[:, 0], 1.0)
    assert 0 < (y[:, 1] == 0).mean() < 1
    np.testing.assert_array_equal(y[:, 2], y[:, 1] * 2.0)
    np.testing.assert_array_equal(layer(x, training=False).numpy(), np.ones_like(y))


def _per_gate_dropout_reference(cls, x, weights, in_masks, rec_masks, reset_after=True):
    """Keras' recurrent-dropout variant: each gate projects its own masked copy of x_t and of h."""
    w, u, b = weights
    n = u.shape[0]
    h = c = np.zeros((x.shape[0], n))
    b_in, b_rec = (b[0], b[1]) if b.ndim == 2 else (b, np.zeros_like(b))
    for t in range(x.shape[1]):
        xg = [(x[:, t] * in_masks[g]) @ w[:, g * n:(g + 1) * n] + b_in[g * n:(g + 1) * n]
              for g in range(len(in_masks))]

        def hg(g, hv):
            return (hv * rec_masks[g]) @ u[:, g * n:(g + 1) * n] + b_rec[g * n:(g + 1) * n]

        if cls is LSTM:
            i, f, g_, o = (xg[k] + hg(k, h) for k in range(4))
            c = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g_)
            h = _sigmoid(o) * np.tanh(c)
        else:
            z, r = _sigmoid(xg[0] + hg(0, h)), _sigmoid(xg[1] + hg(1, h))
            hh = np.tanh(xg[2] + (r * hg(2, h) if reset_after else hg(2, r * h)))
            h = z * h + (1 - z) * hh
    return h


@pytest.mark.parametrize("cls,kwargs", [(LSTM, {}), (GRU, {}), (GRU, {"reset_after": False})])
def test_recurrent_dropout_draws_one_mask_per_gate_as_keras(cls, kwargs):
    rng = np.random.default_rng(12)
    x = rng.standard_normal((3, 4, 2))
    layer = cls(3, dropout=0.5, recurrent_dropout=0.5, dtype="float64", **kwargs)
    layer(tf.constant(x, dtype="float64"))
    weights = _random_weights(layer, 13)
    layer.set_weights(weights)
    gates = 4 if cls is LSTM else 3
    in_masks = [rng.integers(0, 2, (3, 2)) * 2.0 for _ in range(gates)]
    rec_masks = [rng.integers(0, 2, (3, 3)) * 2.0 for _ in range(gates)]
    draws = iter(in_masks + rec_masks)  # the layer draws the input masks first, then the recurrent ones
    object.__setattr__(layer, "_dropout_mask", lambda batch, width, rate: tf.constant(next(draws), "float64"))
    got = layer(tf.constant(x, dtype="float64"), training=True).numpy()
    want = _per_gate_dropout_reference(cls, x, weights, in_masks, rec_masks, **kwargs)
    np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)


def test_seeded_dropout_is_reproducible():
    x = np.random.default_rng(8).standard_normal((3, 4, 2)).astype("float32")
    outs = []
    for _ in range(2):
        layer = GRU(3, dropout=0.3, recurrent_dropout=0.3, seed=11, kernel_initializer="ones",
                    recurrent_initializer="ones")
        outs.append(layer(x, training=True).numpy())
    np.testing.assert_array_equal(outs[0], outs[1])
