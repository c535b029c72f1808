"""The whole-sequence LSTM and GRU ops: finite-difference gradients of every input, and the same outputs and
gradients as the layers' step-by-step loop of ops."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.autodiff.gradcheck import gradcheck
from tensorlet.keras import layers
from tensorlet.layers.recurrent.gate_cell import GateCell
from tensorlet.ops.recurrent import gru_sequence, lstm_sequence


def _inputs(batch, steps, units, gates, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.uniform(-1.5, 1.5, (batch, steps, gates * units)), rng.uniform(-0.8, 0.8, (units, gates * units)),
            rng.uniform(-1, 1, (gates * units,)), rng.uniform(-1, 1, (batch, units)),
            rng.uniform(-1, 1, (batch, units)))


def _lstm_inputs(batch, steps, features, units, seed=0):
    rng = np.random.default_rng(seed)
    return [rng.uniform(-1.5, 1.5, (batch, steps, features)), rng.uniform(-0.8, 0.8, (features, 4 * units)),
            rng.uniform(-0.8, 0.8, (units, 4 * units)), rng.uniform(-1, 1, (4 * units,)),
            rng.uniform(-1, 1, (batch, units)), rng.uniform(-1, 1, (batch, units))]


@pytest.mark.parametrize("part", [0, 1, 2])
@pytest.mark.parametrize("sequences", [True, False])
def test_lstm_sequence_gradients_match_finite_differences(part, sequences):
    if part == 0 and not sequences:
        pytest.skip("no output sequence to differentiate")
    args = _lstm_inputs(2, 3, 3, 2)
    gradcheck(lambda *a: lstm_sequence(*a, return_sequences=sequences)[part], args,
              name=f"lstm_sequence[{part}]")


def test_lstm_sequence_gradients_without_a_bias():
    x, k, w, _b, h0, c0 = _lstm_inputs(2, 3, 2, 3, seed=4)
    gradcheck(lambda x, k, w, h0, c0: lstm_sequence(x, k, w, None, h0, c0)[1], [x, k, w, h0, c0],
              name="lstm_sequence without bias")


def test_lstm_sequence_is_the_keras_recurrence():
    x, k, w, b, h0, c0 = _lstm_inputs(3, 4, 2, 3, seed=6)
    seq, h_last, c_last = (v.numpy() for v in lstm_sequence(x, k, w, b, h0, c0))
    sigmoid = lambda v: 1 / (1 + np.exp(-v))  # noqa: E731
    h, c = h0, c0
    for t in range(x.shape[1]):
        z = x[:, t] @ k + h @ w + b
        i, f, g, o = np.split(z, 4, axis=1)
        c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
        h = sigmoid(o) * np.tanh(c)
        np.testing.assert_allclose(seq[:, t], h, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(h_last, h, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(c_last, c, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("part", [0, 1])
def test_gru_sequence_gradients_match_finite_differences(part):
    xw, w, b, h0, _c0 = _inputs(2, 3, 2, 3, seed=1)
    gradcheck(lambda *a: gru_sequence(*a)[part], [xw, w, b, h0], name=f"gru_sequence[{part}]")


def test_lstm_sequence_gradient_of_every_output_at_once():
    args = _lstm_inputs(3, 4, 2, 3, seed=2)

    def f(*a):
        seq, h, c = lstm_sequence(*a)
        return tf.reduce_sum(seq * seq) + tf.reduce_sum(h * 2.0) + tf.reduce_sum(c * c)

    gradcheck(f, args, name="lstm_sequence all outputs")


@pytest.mark.parametrize("op", [lstm_sequence, gru_sequence])
def test_sequence_op_without_steps_is_an_error(op):
    if op is gru_sequence:
        args = [np.zeros((2, 0, 6), "float32"), np.zeros((2, 6), "float32"), np.zeros((6,), "float32"),
                np.zeros((2, 2), "float32")]
    else:
        args = [np.zeros((2, 0, 3), "float32"), np.zeros((3, 8), "float32"), np.zeros((2, 8), "float32"), None,
                np.zeros((2, 2), "float32"), np.zeros((2, 2), "float32")]
    with pytest.raises(ValueError, match="no time steps"):
        op(*args)


CONFIGS = [{}, {"go_backwards": True}, {"return_sequences": True}, {"use_bias": False, "return_state": True},
           {"return_sequences": True, "return_state": True, "go_backwards": True}, {"return_state": True}]


@pytest.mark.parametrize("config", CONFIGS, ids=[str(c) for c in CONFIGS])
@pytest.mark.parametrize("cls", [layers.LSTM, layers.GRU])
def test_fused_layer_matches_the_step_loop(cls, config, monkeypatch):
    x = tf.constant(np.random.default_rng(3).standard_normal((4, 6, 5)).astype("float32"))
    layer = cls(7, **config)
    layer(x)

    def run():
        with tf.GradientTape() as tape:
            out = layer(x)
            outs = out if isinstance(out, list) else [out]
            loss = sum(tf.reduce_sum(o * o) for o in outs)
        return [o.numpy() for o in outs], [g.numpy() for g in tape.gradient(loss, layer.trainable_weights)]

    fused_out, fused_grads = run()
    monkeypatch.setattr(type(layer.cell), "fusable", GateCell.fusable)  # the step-by-step loop
    loop_out, loop_grads = run()
    for a, b in zip(fused_out + fused_grads, loop_out + loop_grads):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)


def test_fused_path_is_used_only_with_the_default_activations():
    layers_ = (layers.LSTM(3), layers.LSTM(3, recurrent_activation="hard_sigmoid"), layers.GRU(3),
               layers.GRU(3, reset_after=False), layers.GRU(3, activation="relu"), layers.SimpleRNN(3))
    assert [layer.cell.fusable() for layer in layers_] == [True, False, True, False, False, False]


@pytest.mark.parametrize("cls", [layers.LSTM, layers.GRU])
def test_fused_layer_is_not_used_with_a_mask_or_recurrent_dropout(cls, monkeypatch):
    x = np.random.default_rng(5).standard_normal((3, 4, 2)).astype("float32")
    calls = []
    original = type(cls(2).cell).sequence
    monkeypatch.setattr(type(cls(2).cell), "sequence", lambda self, *a: calls.append(1) or original(self, *a))
    cls(2)(x)
    cls(2)(x, mask=np.array([[1, 1, 0, 0]] * 3, bool))
    cls(2, recurrent_dropout=0.5)(x, training=True)
    cls(2, recurrent_dropout=0.5)(x, training=False)
    assert len(calls) == 2
