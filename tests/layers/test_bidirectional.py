"""Bidirectional: the contract, values against two separately run layers, merge modes, states, gradients, config,
saving, bad arguments, and parity with Keras 3 (outputs for copied weights, and .keras files both ways)."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.autodiff.gradcheck import gradcheck
from tensorlet.keras import layers, models
from tests.helpers.layer_contract import run_layer_test

X = np.random.default_rng(0).standard_normal((2, 5, 3)).astype("float32")


@pytest.mark.parametrize("inner,merge_mode,out_shape", [
    (lambda: layers.LSTM(4), "concat", (2, 8)),
    (lambda: layers.GRU(3, return_sequences=True), "sum", (2, 5, 3)),
    (lambda: layers.SimpleRNN(2, return_sequences=True), "ave", (2, 5, 2)),
])
def test_contract(inner, merge_mode, out_shape):
    class Wrapped(layers.Bidirectional):  # the contract builds from kwargs: wrap a fresh inner layer each time
        def __init__(self, layer=None, **kwargs):
            super().__init__(layer if layer is not None else inner(), **kwargs)

    run_layer_test(Wrapped, {"merge_mode": merge_mode}, (2, 5, 3), expected_output_shape=out_shape,
                   expected_num_trainable=6)


def _split(bi):
    """A forward and a backward copy holding the wrapper's weights, run on their own."""
    f = type(bi.forward_layer).from_config(bi.forward_layer.get_config())
    b = type(bi.backward_layer).from_config(bi.backward_layer.get_config())
    f(X), b(X)
    f.set_weights(bi.forward_layer.get_weights())
    b.set_weights(bi.backward_layer.get_weights())
    return f(X).numpy(), b(X).numpy()


@pytest.mark.parametrize("mode", ["concat", "sum", "mul", "ave", None])
@pytest.mark.parametrize("return_sequences", [False, True])
def test_merges_the_forward_and_the_time_ordered_backward_outputs(mode, return_sequences):
    bi = layers.Bidirectional(layers.LSTM(4, return_sequences=return_sequences), merge_mode=mode)
    out = bi(X)
    f, b = _split(bi)
    assert bi.backward_layer.go_backwards and not bi.forward_layer.go_backwards
    if return_sequences:
        b = b[:, ::-1]  # the backward layer returns its sequence in processing order
    expected = {"concat": np.concatenate([f, b], -1), "sum": f + b, "mul": f * b, "ave": (f + b) / 2}
    if mode is None:
        np.testing.assert_allclose(out[0].numpy(), f, rtol=1e-6)
        np.testing.assert_allclose(out[1].numpy(), b, rtol=1e-6)
    else:
        np.testing.assert_allclose(out.numpy(), expected[mode], rtol=1e-6, atol=1e-7)


def test_return_state_lists_forward_then_backward_states_and_takes_initial_states():
    bi = layers.Bidirectional(layers.LSTM(4, return_state=True))
    out, hf, cf, hb, cb = bi(X)
    assert out.shape == (2, 8) and all(s.shape == (2, 4) for s in (hf, cf, hb, cb))
    np.testing.assert_allclose(out.numpy(), np.concatenate([hf.numpy(), hb.numpy()], -1), rtol=1e-6)
    init = [np.full((2, 4), 0.5, "float32")] * 4
    moved = bi(X, initial_state=init)
    assert not np.allclose(moved[0].numpy(), out.numpy())
    assert bi.compute_output_shape((None, 5, 3)) == [(None, 8), (None, 4), (None, 4), (None, 4), (None, 4)]


def test_gradients_finite_differences():
    bi = layers.Bidirectional(layers.GRU(2, return_sequences=True, dtype="float64"), merge_mode="concat",
                              dtype="float64")
    x = np.random.default_rng(1).standard_normal((2, 3, 2))
    bi(tf.constant(x))
    weights = [bi.forward_layer.kernel, bi.backward_layer.recurrent_kernel]
    originals = [w._value.copy() for w in weights]

    def f(xv, wf, wb):
        saved = bi.forward_layer.kernel, bi.backward_layer.recurrent_kernel
        object.__setattr__(bi.forward_layer, "kernel", wf)
        object.__setattr__(bi.backward_layer, "recurrent_kernel", wb)
        try:
            return bi(xv)
        finally:
            object.__setattr__(bi.forward_layer, "kernel", saved[0])
            object.__setattr__(bi.backward_layer, "recurrent_kernel", saved[1])

    gradcheck(f, [x] + originals, name="Bidirectional(GRU)")


def test_a_model_learns_and_round_trips_through_both_file_formats(tmp_path):
    tf.keras.utils.set_random_seed(0)
    rng = np.random.default_rng(2)
    x = rng.standard_normal((64, 6, 2)).astype("float32")
    y = (x[:, 0, 0] - x[:, -1, 1]).reshape(-1, 1).astype("float32")  # needs both ends of the sequence
    m = models.Sequential([layers.Input((6, 2)), layers.Bidirectional(layers.LSTM(8)), layers.Dense(1)])
    m.compile(optimizer=tf.keras.optimizers.Adam(0.02), loss="mse")
    first = m.evaluate(x, y, verbose=0)
    m.fit(x, y, epochs=30, batch_size=16, verbose=0)
    assert m.evaluate(x, y, verbose=0) < 0.2 * first
    for ext in (".keras", ".h5"):
        path = str(tmp_path / f"bi{ext}")
        m.save(path)
        np.testing.assert_allclose(models.load_model(path).predict(x, verbose=0), m.predict(x, verbose=0),
                                   rtol=1e-6, atol=1e-6)


def test_config_keeps_the_inner_layer_and_names():
    bi = layers.Bidirectional(layers.GRU(3, name="enc"), merge_mode="mul")
    assert (bi.forward_layer.name, bi.backward_layer.name) == ("forward_enc", "backward_enc")
    clone = layers.Bidirectional.from_config(bi.get_config())
    assert (clone.forward_layer.name, clone.backward_layer.name) == ("forward_enc", "backward_enc")
    assert clone.merge_mode == "mul" and clone.backward_layer.go_backwards


def test_bad_arguments():
    with pytest.raises(ValueError, match="wraps a recurrent layer"):
        layers.Bidirectional(layers.Dense(3))
    with pytest.raises(ValueError, match="invalid merge_mode 'max'"):
        layers.Bidirectional(layers.LSTM(3), merge_mode="max")
    with pytest.raises(ValueError, match="backward_layer.return_sequences=True differs"):
        layers.Bidirectional(layers.LSTM(3), backward_layer=layers.LSTM(3, return_sequences=True, go_backwards=True))


@pytest.mark.parity
@pytest.mark.parametrize("cls", ["LSTM", "GRU", "SimpleRNN"])
@pytest.mark.parametrize("mode", ["concat", "sum", "mul", "ave", None])
@pytest.mark.parametrize("return_sequences,return_state", [(False, False), (True, False), (True, True)])
def test_parity_with_keras_3(cls, mode, return_sequences, return_state):
    keras = pytest.importorskip("keras")
    theirs = keras.layers.Bidirectional(getattr(keras.layers, cls)(4, return_sequences=return_sequences,
                                                                    return_state=return_state), merge_mode=mode)
    expected = theirs(X)
    ours = layers.Bidirectional(getattr(layers, cls)(4, return_sequences=return_sequences, return_state=return_state),
                                merge_mode=mode)
    ours(X)
    ours.set_weights([np.asarray(w) for w in theirs.get_weights()])
    got = ours(X)
    expected, got = (list(v) if isinstance(v, (list, tuple)) else [v] for v in (expected, got))
    assert len(got) == len(expected)
    for a, b in zip(got, expected):
        np.testing.assert_allclose(a.numpy(), np.asarray(b), rtol=1e-5, atol=1e-6)


@pytest.mark.parity
def test_keras_3_files_both_ways(tmp_path):
    keras = pytest.importorskip("keras")
    pytest.importorskip("h5py")
    tf.keras.utils.set_random_seed(0)
    m = models.Sequential([layers.Input((5, 3)), layers.Bidirectional(layers.LSTM(4, return_sequences=True)),
                           layers.Bidirectional(layers.GRU(2), merge_mode="sum"), layers.Dense(1)])
    expected = m.predict(X, verbose=0)
    ours = str(tmp_path / "ours.keras")
    m.save(ours)
    theirs = keras.models.load_model(ours)
    np.testing.assert_allclose(np.asarray(theirs.predict(X, verbose=0)), expected, rtol=1e-5, atol=1e-6)
    back = str(tmp_path / "theirs.keras")
    theirs.save(back)
    np.testing.assert_allclose(models.load_model(back).predict(X, verbose=0), expected, rtol=1e-5, atol=1e-6)


@pytest.mark.parity
@pytest.mark.filterwarnings("ignore:You are saving your model as an HDF5 file")
@pytest.mark.filterwarnings("ignore:Saving to the legacy HDF5 format")
def test_keras_2_h5_files_both_ways(tmp_path):
    k2 = pytest.importorskip("tf_keras")
    pytest.importorskip("h5py")
    theirs = k2.Sequential([k2.Input((5, 3)), k2.layers.Bidirectional(k2.layers.GRU(3)), k2.layers.Dense(1)])
    path = str(tmp_path / "theirs.h5")
    theirs.save(path)
    loaded = models.load_model(path)
    np.testing.assert_allclose(loaded.predict(X, verbose=0), theirs.predict(X, verbose=0), rtol=1e-5, atol=1e-6)
    ours = str(tmp_path / "ours.h5")
    loaded.save(ours)
    np.testing.assert_allclose(k2.models.load_model(ours).predict(X, verbose=0), theirs.predict(X, verbose=0),
                               rtol=1e-5, atol=1e-6)
