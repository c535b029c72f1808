"""SimpleRNN, LSTM and GRU: the layer contract, values against a NumPy reference written from the formulas,
finite-difference gradients (float64) with respect to the input and every weight, dropout, masking, shapes, config,
argument errors, and a small learning task through ``model.fit``."""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.autodiff.gradcheck import gradcheck
from tensorlet.autodiff.tensor import Variable
from tensorlet.keras import layers, models
from tensorlet.layers.recurrent.gru import GRU
from tensorlet.layers.recurrent.lstm import LSTM
from tensorlet.layers.recurrent.simple_rnn import SimpleRNN
from tests.helpers.layer_contract import run_layer_test

WEIGHTS = ("kernel", "recurrent_kernel", "bias")


# -- a NumPy reference, written from the formulas ----------------------------------------------------------------
def _sigmoid(v: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-v))


def _simple_step(x_t, states, w, u, b, cfg):
    return [np.tanh(x_t @ w + states[0] @ u + b)]


def _lstm_step(x_t, states, w, u, b, cfg):
    h, c = states
    n = h.shape[1]
    z = x_t @ w + h @ u + b
    i, f, g, o = (z[:, k * n:(k + 1) * n] for k in range(4))
    c = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)
    return [_sigmoid(o) * np.tanh(c), c]


def _gru_step(x_t, states, w, u, b, cfg):
    (h,) = states
    n = h.shape[1]
    if cfg.get("reset_after", True):
        b_in, b_rec = (b[0], b[1]) if np.ndim(b) == 2 else (0.0, 0.0)
        xs, hs = x_t @ w + b_in, h @ u + b_rec
        z = _sigmoid(xs[:, :n] + hs[:, :n])
        r = _sigmoid(xs[:, n:2 * n] + hs[:, n:2 * n])
        hh = np.tanh(xs[:, 2 * n:] + r * hs[:, 2 * n:])
    else:
        xs = x_t @ w + b
        z = _sigmoid(xs[:, :n] + h @ u[:, :n])
        r = _sigmoid(xs[:, n:2 * n] + h @ u[:, n:2 * n])
        hh = np.tanh(xs[:, 2 * n:] + (r * h) @ u[:, 2 * n:])
    return [z * h + (1 - z) * hh]


STEPS = {SimpleRNN: (_simple_step, 1), LSTM: (_lstm_step, 2), GRU: (_gru_step, 1)}


def reference(cls, x, weights, cfg, initial=None, mask=None):
    step, n_states = STEPS[cls]
    w, u = weights[0], weights[1]
    b = weights[2] if len(weights) > 2 else 0.0
    batch, steps, _ = x.shape
    states = list(initial) if initial is not None else [np.zeros((batch, u.shape[0]))] * n_states
    outs = []
    order = range(steps - 1, -1, -1) if cfg.get("go_backwards") else range(steps)
    for t in order:
        new = step(x[:, t], states, w, u, b, cfg)
        out = new[0]
        if mask is not None:  # masked steps carry the states, and the previous output (zeros before the first)
            m = mask[:, t:t + 1].astype(float)
            new = [m * a + (1 - m) * s for a, s in zip(new, states)]
            out = m * out + (1 - m) * (outs[-1] if outs else 0.0)
        states = new
        outs.append(out)
    out = np.stack(outs, axis=1) if cfg.get("return_sequences") else outs[-1]
    return [out] + states if cfg.get("return_state") else out


def _random_weights(layer: Any, seed: int = 0) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(w.shape) * 0.5 for w in layer.get_weights()]


# -- the shared layer contract -------------------------------------------------------------------------------------
CONTRACT = [
    (SimpleRNN, {"units": 3}, (4, 5, 2), (4, 3), 3),
    (SimpleRNN, {"units": 3, "return_sequences": True, "go_backwards": True}, (4, 5, 2), (4, 5, 3), 3),
    (SimpleRNN, {"units": 3, "use_bias": False, "activation": "relu"}, (4, 5, 2), (4, 3), 2),
    (LSTM, {"units": 3}, (4, 5, 2), (4, 3), 3),
    (LSTM, {"units": 3, "return_sequences": True, "unit_forget_bias": False}, (4, 5, 2), (4, 5, 3), 3),
    (LSTM, {"units": 3, "use_bias": False, "go_backwards": True}, (4, 5, 2), (4, 3), 2),
    (LSTM, {"units": 3, "dropout": 0.2, "recurrent_dropout": 0.2, "seed": 1}, (4, 5, 2), (4, 3), 3),
    (GRU, {"units": 3}, (4, 5, 2), (4, 3), 3),
    (GRU, {"units": 3, "reset_after": False, "return_sequences": True}, (4, 5, 2), (4, 5, 3), 3),
    (GRU, {"units": 3, "use_bias": False, "go_backwards": True, "dropout": 0.1}, (4, 5, 2), (4, 3), 2),
]


@pytest.mark.parametrize("cls,kwargs,shape,out_shape,n_trainable", CONTRACT,
                         ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(CONTRACT)])
def test_recurrent_layer_contract(cls, kwargs, shape, out_shape, n_trainable):
    run_layer_test(cls, kwargs, shape, expected_output_shape=out_shape, expected_num_trainable=n_trainable)


# -- values against the NumPy reference ----------------------------------------------------------------------------
VALUE_CASES = [
    (SimpleRNN, {}), (SimpleRNN, {"return_sequences": True, "go_backwards": True}), (SimpleRNN, {"use_bias": False}),
    (LSTM, {}), (LSTM, {"return_sequences": True}), (LSTM, {"go_backwards": True, "return_state": True}),
    (LSTM, {"use_bias": False, "return_sequences": True, "go_backwards": True}),
    (GRU, {}), (GRU, {"return_sequences": True, "go_backwards": True}), (GRU, {"reset_after": False}),
    (GRU, {"use_bias": False}), (GRU, {"reset_after": False, "use_bias": False, "return_state": True}),
]


@pytest.mark.parametrize("cls,cfg", VALUE_CASES, ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(VALUE_CASES)])
def test_values_match_numpy_reference(cls, cfg):
    x = np.random.default_rng(1).standard_normal((3, 6, 4))
    layer = cls(5, dtype="float64", **cfg)
    layer(tf.constant(x, dtype="float64"))
    weights = _random_weights(layer)
    layer.set_weights(weights)
    got = layer(tf.constant(x, dtype="float64"))
    want = reference(cls, x, weights, cfg)
    if cfg.get("return_state"):
        assert isinstance(got, list) and len(got) == len(want) == 1 + STEPS[cls][1]
        for g, w in zip(got, want):
            np.testing.assert_allclose(g.numpy(), w, rtol=1e-10, atol=1e-12)
    else:
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("cls", [SimpleRNN, LSTM, GRU])
def test_initial_state_and_mask_match_reference(cls):
    rng = np.random.default_rng(2)
    x = rng.standard_normal((3, 5, 2))
    mask = np.ones((3, 5), bool)
    mask[0, 3:] = False
    mask[1, :2] = False
    mask[2, 2] = False
    cfg = {"return_sequences": True, "return_state": True}
    layer = cls(4, dtype="float64", **cfg)
    layer(tf.constant(x, dtype="float64"))
    weights = _random_weights(layer, 3)
    layer.set_weights(weights)
    initial = [rng.standard_normal((3, 4)) for _ in range(STEPS[cls][1])]
    got = layer(tf.constant(x, dtype="float64"), initial_state=initial, mask=mask)
    want = reference(cls, x, weights, cfg, initial=initial, mask=mask)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g.numpy(), w, rtol=1e-10, atol=1e-12)
    # masked steps carry the previous output: row 0's output freezes after step 2
    seq = got[0].numpy()
    np.testing.assert_array_equal(seq[0, 3], seq[0, 2])
    np.testing.assert_array_equal(seq[1, 0], 0.0)  # a masked first step outputs zeros (Keras 3), not h0


def test_zero_output_for_mask_outputs_zeros_at_masked_steps():
    x = np.random.default_rng(3).standard_normal((2, 4, 3)).astype("float32")
    mask = np.array([[1, 1, 0, 0], [1, 1, 1, 1]], bool)
    seq = LSTM(3, return_sequences=True, zero_output_for_mask=True)(x, mask=mask).numpy()
    np.testing.assert_array_equal(seq[0, 2:], 0.0)
    assert np.all(seq[1] != 0)


def test_lstm_unit_forget_bias_initializes_the_forget_block_to_ones():
    layer = LSTM(3, bias_initializer="ones")
    layer.build((None, 4, 2))
    np.testing.assert_array_equal(layer.bias.numpy(), np.ones(12))
    layer = LSTM(3)
    layer.build((None, 4, 2))
    np.testing.assert_array_equal(layer.bias.numpy(), [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0])
    layer = LSTM(3, unit_forget_bias=False)
    layer.build((None, 4, 2))
    np.testing.assert_array_equal(layer.bias.numpy(), np.zeros(12))


def test_weight_names_shapes_and_order():
    expected = {SimpleRNN: [(2, 3), (3, 3), (3,)], LSTM: [(2, 12), (3, 12), (12,)], GRU: [(2, 9), (3, 9), (2, 9)]}
    for cls, shapes in expected.items():
        layer = cls(3)
        layer.build((None, 5, 2))
        assert [w.path.rsplit("/", 1)[-1] for w in layer.weights] == list(WEIGHTS)
        assert [tuple(w.shape) for w in layer.weights] == shapes
    layer = GRU(3, reset_after=False)
    layer.build((None, 5, 2))
    assert tuple(layer.bias.shape) == (9,)


def test_recurrent_kernel_is_orthogonal_by_default():
    layer = SimpleRNN(6)
    layer.build((None, 3, 2))
    u = layer.recurrent_kernel.numpy()
    np.testing.assert_allclose(u.T @ u, np.eye(6), atol=1e-5)


# -- finite-difference gradients ----------------------------------------------------------------------------------
def _check_gradients(layer: Any, x: np.ndarray, **call_kwargs: Any) -> None:
    """gradcheck of the outputs w.r.t. the input and every weight (swapped in for the layer's attributes)."""
    layer(tf.constant(x, dtype="float64"), **call_kwargs)
    names = [n for n in WEIGHTS if getattr(layer, n) is not None]
    originals = [getattr(layer, n) for n in names]
    start = _random_weights(layer, 7)

    def f(xv: Any, *wv: Any) -> Any:
        for n, v in zip(names, wv):
            object.__setattr__(layer.cell, n, v)  # the weights live in the layer's cell
        try:
            out = layer(xv, **call_kwargs)
            return tf.concat([tf.reshape(o, (-1,)) for o in out], axis=0) if isinstance(out, list) else out
        finally:
            for n, w in zip(names, originals):
                object.__setattr__(layer.cell, n, w)

    base = f(Variable(x), *[Variable(w) for w in start]).numpy()
    for k in range(len(start)):  # the output must depend on every swapped-in weight
        moved = [Variable(w + 0.5 if j == k else w) for j, w in enumerate(start)]
        assert not np.allclose(f(Variable(x), *moved).numpy(), base), f"output ignores {names[k]}"
    gradcheck(f, [x] + start, name=f"{type(layer).__name__}({layer.get_config()})")


GRAD_CASES = [
    (SimpleRNN, {"return_sequences": True}), (SimpleRNN, {"go_backwards": True, "activation": "sigmoid"}),
    (LSTM, {"return_sequences": True}), (LSTM, {"return_state": True, "go_backwards": True}),
    (LSTM, {"use_bias": False}),
    (GRU, {"return_sequences": True}), (GRU, {"reset_after": False, "return_sequences": True}),
    (GRU, {"go_backwards": True, "use_bias": False}),
]


@pytest.mark.parametrize("cls,cfg", GRAD_CASES, ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(GRAD_CASES)])
def test_gradients_finite_differences(cls, cfg):
    x = np.random.default_rng(4).standard_normal((2, 3, 2))
    _check_gradients(cls(3, dtype="float64", **cfg), x)


@pytest.mark.parametrize("cls", [SimpleRNN, LSTM, GRU])
def test_gradients_with_mask_and_initial_state(cls):
    rng = np.random.default_rng(5)
    x = rng.standard_normal((2, 3, 2))
    mask = np.array([[1, 0, 1], [1, 1, 0]], bool)
    initial = [rng.standard_normal((2, 3)) for _ in range(STEPS[cls][1])]
    _check_gradients(cls(3, dtype="float64", return_sequences=True), x, mask=mask, initial_state=initial)


def test_gradient_flows_into_initial_state():
    h0 = Variable(np.random.default_rng(6).standard_normal((2, 3)))
    layer = SimpleRNN(3, dtype="float64")
    x = tf.constant(np.random.default_rng(7).standard_normal((2, 4, 2)), dtype="float64")
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(layer(x, initial_state=[h0]))
    g = tape.gradient(y, h0)
    assert g is not None and np.abs(g.numpy()).sum() > 0


# -- shapes, config, Functional use ---------------------------------------------------------------------------------
def test_compute_output_shape_with_unknown_timesteps():
    assert LSTM(4).compute_output_shape((None, None, 3)) == (None, 4)
    assert GRU(4, return_sequences=True).compute_output_shape((None, None, 3)) == (None, None, 4)
    assert LSTM(4, return_state=True).compute_output_shape((2, None, 3)) == [(2, 4), (2, 4), (2, 4)]
    assert SimpleRNN(4, return_state=True, return_sequences=True).compute_output_shape((2, 7, 3)) == [
        (2, 7, 4), (2, 4)]


def test_variable_length_sequences_in_a_functional_model():
    inp = layers.Input(shape=(None, 3))
    out = LSTM(4, return_state=True)(inp)
    assert [tuple(o.shape) for o in out] == [(None, 4)] * 3
    model = models.Model(inp, out[0])
    for steps in (2, 6):
        x = np.random.default_rng(steps).standard_normal((2, steps, 3)).astype("float32")
        np.testing.assert_allclose(model.predict(x, verbose=0), out_layer_eager(model, x), rtol=1e-6)


def out_layer_eager(model: Any, x: np.ndarray) -> np.ndarray:
    return np.asarray(model.layers[-1](x)[0])


def test_keras2_input_dim_and_input_length():
    model = models.Sequential([SimpleRNN(4, input_dim=3, input_length=5), layers.Dense(1)])
    assert tuple(model.input_shape) == (None, 5, 3)
    assert model.predict(np.zeros((2, 5, 3), "float32"), verbose=0).shape == (2, 1)
    assert tuple(models.Sequential([GRU(2, input_shape=(None, 3))]).output_shape) == (None, 2)


@pytest.mark.parametrize("cls", [SimpleRNN, LSTM, GRU])
def test_get_config_round_trips_with_keras_keys(cls):
    layer = cls(3, return_sequences=True, go_backwards=True, dropout=0.1, recurrent_dropout=0.2, seed=4,
                kernel_regularizer="l2", recurrent_constraint="non_neg", activation="relu")
    config = layer.get_config()
    keys = {"units", "activation", "use_bias", "kernel_initializer", "recurrent_initializer", "bias_initializer",
            "kernel_regularizer", "recurrent_regularizer", "bias_regularizer", "activity_regularizer",
            "kernel_constraint", "recurrent_constraint", "bias_constraint", "dropout", "recurrent_dropout",
            "return_sequences", "return_state", "go_backwards", "stateful", "unroll", "zero_output_for_mask"}
    keys |= {LSTM: {"recurrent_activation", "unit_forget_bias"}, GRU: {"recurrent_activation", "reset_after"},
             SimpleRNN: set()}[cls]
    assert keys <= set(config)
    clone = cls.from_config(config)
    assert clone.get_config() == config
    assert config["activation"] == "relu" and config["recurrent_dropout"] == 0.2


def test_regularizers_add_losses():
    layer = LSTM(3, kernel_regularizer="l2", recurrent_regularizer="l1", bias_regularizer="l2")
    layer(np.ones((2, 3, 2), "float32"))
    assert len(layer.losses) == 3


def test_keras2_only_arguments_are_accepted():
    assert GRU(3, implementation=1, time_major=False).units == 3


# -- errors --------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("cls", [SimpleRNN, LSTM, GRU])
def test_non_3d_input_raises_naming_the_layer(cls):
    layer = cls(3, name="my_rnn")
    with pytest.raises(ValueError, match=r'"my_rnn".*expected ndim=3.*found ndim=2'):
        layer(np.zeros((2, 4), "float32"))
    with pytest.raises(ValueError, match="my_rnn"):
        cls(3, name="my_rnn").compute_output_shape((None, 4, 5, 2))


@pytest.mark.parametrize("kwargs,match", [
    ({"units": 0}, "units"), ({"units": -2}, "units"), ({"units": 2.5}, "units"),
    ({"units": 3, "dropout": 1.0}, "dropout"), ({"units": 3, "recurrent_dropout": -0.1}, "recurrent_dropout"),
    ({"units": 3, "time_major": True}, "time_major"),
    ({"units": 3, "bogus": 1}, "bogus"),
])
def test_bad_arguments_raise(kwargs, match):
    with pytest.raises((ValueError, TypeError), match=match):
        LSTM(**kwargs)


def test_bad_initial_state_and_mask_raise():
    x = np.zeros((2, 4, 3), "float32")
    with pytest.raises(ValueError, match="expects 2 initial state"):
        LSTM(3, name="l")(x, initial_state=[np.zeros((2, 3))])
    with pytest.raises(ValueError, match=r"\(batch, units\)"):
        GRU(3)(x, initial_state=[np.zeros((2, 4))])
    with pytest.raises(ValueError, match="mask"):
        SimpleRNN(3)(x, mask=np.ones((2, 5), bool))


def test_symbolic_initial_state_feeds_the_functional_graph():
    # the encoder-decoder pattern: the decoder starts from the encoder's final states
    enc_in, dec_in = layers.Input((4, 3)), layers.Input((5, 2))
    _, h, c = LSTM(6, return_state=True)(enc_in)
    dec = LSTM(6, return_sequences=True)(dec_in, initial_state=[h, c])
    model = models.Model([enc_in, dec_in], dec)
    rng = np.random.default_rng(0)
    xe, xd = rng.standard_normal((2, 4, 3)).astype("float32"), rng.standard_normal((2, 5, 2)).astype("float32")
    enc, dec_layer = model.layers[2], model.layers[3]
    _, h0, c0 = enc(xe)
    want = dec_layer(xd, initial_state=[h0, c0]).numpy()
    np.testing.assert_allclose(model.predict([xe, xd], verbose=0), want, rtol=1e-6)


def test_features_must_match_the_built_layer():
    layer = GRU(3, name="g")
    layer(np.zeros((2, 4, 3), "float32"))
    with pytest.raises(ValueError, match='"g"'):
        layer(np.zeros((2, 4, 5), "float32"))


# -- learning ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("cls", [LSTM, GRU, SimpleRNN])
def test_learns_the_sum_of_a_short_sequence(cls):
    tf.keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = rng.uniform(-1, 1, (256, 5, 1)).astype("float32")
    y = x.sum(axis=(1, 2))[:, None]
    model = models.Sequential([layers.Input((5, 1)), cls(8), layers.Dense(1)])
    model.compile(optimizer=tf.keras.optimizers.Adam(0.02), loss="mse")
    before = model.evaluate(x, y, verbose=0)
    history = model.fit(x, y, epochs=15, batch_size=32, verbose=0)
    after = model.evaluate(x, y, verbose=0)
    assert after < 0.1 * before, (before, history.history["loss"], after)


@pytest.mark.parametrize("ext", [".keras", ".h5"])
def test_save_and_load_round_trip(tmp_path, ext):
    pytest.importorskip("h5py")
    tf.keras.utils.set_random_seed(0)
    inp = layers.Input((5, 3))
    h = LSTM(4, return_sequences=True, go_backwards=True)(inp)
    h = GRU(3, return_sequences=True, reset_after=False)(GRU(3, return_sequences=True)(h))
    model = models.Model(inp, layers.Dense(1)(SimpleRNN(2)(h)))
    model.compile(optimizer="adam", loss="mse")
    x = np.random.default_rng(9).standard_normal((4, 5, 3)).astype("float32")
    model.fit(x, np.ones((4, 1), "float32"), epochs=1, verbose=0)
    path = str(tmp_path / f"rnn{ext}")
    model.save(path)
    loaded = models.load_model(path)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)
    assert [type(layer).__name__ for layer in loaded.layers[1:-1]] == ["LSTM", "GRU", "GRU", "SimpleRNN"]


def test_a_mask_zero_embedding_upstream_masks_the_padding():
    ids = np.array([[3, 4, 0, 0], [5, 0, 0, 0]])
    model = models.Sequential([layers.Input((4,), dtype="int32"), layers.Embedding(10, 4, mask_zero=True),
                               layers.Dropout(0.1), GRU(3)])
    emb, gru = model.layers[0], model.layers[2]
    out = model.predict(ids, verbose=0)
    vectors = emb(ids)
    np.testing.assert_allclose(out, gru(vectors, mask=ids != 0).numpy(), rtol=1e-6)
    # without mask_zero, and eagerly with an explicit mask, the same stack works
    ok = models.Sequential([layers.Input((6,), dtype="int32"), layers.Embedding(10, 4), GRU(3)])
    assert ok.predict(np.zeros((2, 6), "int32"), verbose=0).shape == (2, 3)
    ids = np.array([[3, 4, 0, 0], [5, 0, 0, 0]])
    vectors = layers.Embedding(10, 4)(ids)
    rnn = SimpleRNN(3)
    out = rnn(vectors, mask=ids != 0).numpy()  # trailing padding: the output is that of the unpadded prefix
    np.testing.assert_allclose(out[0], rnn(vectors[:, :2]).numpy()[0], rtol=1e-6)
    np.testing.assert_allclose(out[1], rnn(vectors[:, :1]).numpy()[1], rtol=1e-6)
