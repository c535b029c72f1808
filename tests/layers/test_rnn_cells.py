"""RNN(cell) with the built-in cells, StackedRNNCells and user-written cells; stateful RNNs and reset_states;
TimeDistributed."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.autodiff.gradcheck import gradcheck
from tensorlet.keras import callbacks, layers, models

X = np.random.default_rng(0).standard_normal((3, 5, 4)).astype("float32")
MASK = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1], [0, 1, 1, 1, 0]], bool)


@pytest.mark.parametrize("cell,layer", [(layers.SimpleRNNCell, layers.SimpleRNN), (layers.LSTMCell, layers.LSTM),
                                        (layers.GRUCell, layers.GRU)])
def test_rnn_over_a_builtin_cell_equals_the_layer(cell, layer):
    fused = layer(6, return_sequences=True, return_state=True)
    want = fused(X, mask=MASK)
    rnn = layers.RNN(cell(6), return_sequences=True, return_state=True)
    rnn(X)
    rnn.set_weights(fused.get_weights())
    got = rnn(X, mask=MASK)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g.numpy(), w.numpy(), rtol=1e-6, atol=1e-7)
    # one step of the cell by hand
    c = rnn.cell
    states = c.get_initial_state(batch_size=3)
    out, new = c(X[:, 0], states)
    np.testing.assert_allclose(out.numpy(), rnn(X[:, :1])[0].numpy()[:, 0], rtol=1e-6)
    assert len(new) == (2 if cell is layers.LSTMCell else 1)


def test_stacked_cells_equal_two_layers():
    stacked = layers.RNN([layers.GRUCell(5), layers.SimpleRNNCell(3)], return_sequences=True, return_state=True)
    out, h1, h2 = stacked(X)
    assert tuple(h1.shape) == (3, 5) and tuple(h2.shape) == (3, 3)
    first, second = layers.GRU(5, return_sequences=True), layers.SimpleRNN(3, return_sequences=True)
    second(first(X))
    first.set_weights(stacked.cell.cells[0].get_weights())
    second.set_weights(stacked.cell.cells[1].get_weights())
    np.testing.assert_allclose(out.numpy(), second(first(X)).numpy(), rtol=1e-6, atol=1e-7)
    config = stacked.get_config()
    clone = layers.RNN.from_config(config)
    clone(X)
    clone.set_weights(stacked.get_weights())
    np.testing.assert_allclose(clone(X)[0].numpy(), out.numpy(), rtol=1e-6)


class MinimalRNNCell(layers.Layer):
    """The user-written cell of Keras' RNN documentation."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), initializer="glorot_uniform",
                                      name="kernel")
        self.recurrent_kernel = self.add_weight(shape=(self.units, self.units), initializer="orthogonal",
                                                name="recurrent_kernel")

    def call(self, inputs, states):
        prev_output = states[0]
        h = tf.matmul(inputs, self.kernel)
        output = h + tf.matmul(prev_output, self.recurrent_kernel)
        return output, [output]

    def get_config(self):
        return {**super().get_config(), "units": self.units}


def test_a_user_written_cell_runs_masks_and_trains():
    rnn = layers.RNN(MinimalRNNCell(4), return_sequences=True)
    out = rnn(X, mask=MASK).numpy()
    w, u = rnn.cell.kernel.numpy(), rnn.cell.recurrent_kernel.numpy()
    h, prev, want = np.zeros((3, 4)), np.zeros((3, 4)), []
    for t in range(5):
        new = X[:, t] @ w + h @ u
        m = MASK[:, t:t + 1]
        h = np.where(m, new, h)
        prev = np.where(m, new, prev)
        want.append(prev)
    np.testing.assert_allclose(out, np.stack(want, 1), rtol=1e-5, atol=1e-6)
    model = models.Sequential([layers.Input((5, 4)), layers.RNN(MinimalRNNCell(4)), layers.Dense(1)])
    model.compile(optimizer=tf.keras.optimizers.SGD(0.005), loss="mse")
    y = np.full((3, 1), 0.5, "float32")
    before = model.evaluate(X * 0.3, y, verbose=0)
    model.fit(X * 0.3, y, epochs=5, verbose=0)
    assert model.evaluate(X * 0.3, y, verbose=0) < before


def test_a_two_state_user_cell_with_get_initial_state():
    class Counter(layers.Layer):
        state_size = [2, 1]

        def call(self, inputs, states):
            total, count = states
            return inputs[:, :2] + total, [inputs[:, :2] + total, count + 1.0]

        def get_initial_state(self, batch_size=None):
            return [tf.zeros((batch_size, 2)), tf.ones((batch_size, 1))]

    out, total, count = layers.RNN(Counter(), return_state=True)(X)
    np.testing.assert_allclose(total.numpy(), X[:, :, :2].sum(1), rtol=1e-5)
    np.testing.assert_allclose(count.numpy(), 6.0)


def test_rnn_cell_gradients_finite_differences():
    x = np.random.default_rng(1).standard_normal((2, 3, 2))
    rnn = layers.RNN([layers.LSTMCell(2, dtype="float64"), layers.GRUCell(2, dtype="float64")], dtype="float64")
    rnn(tf.constant(x))
    gradcheck(lambda v: rnn(v), [x], name="stacked LSTM+GRU cells")


def _char_rnn(batch, stateful=True):
    tf.random.set_seed(3)
    model = models.Sequential([
        layers.Input(batch_shape=(batch, None, 4)),
        layers.GRU(6, return_sequences=True, stateful=stateful),
        layers.TimeDistributed(layers.Dense(4, activation="softmax"))])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return model


def test_stateful_layers_carry_states_across_batches_until_reset():
    model = _char_rnn(3)
    whole = model.predict(X, batch_size=3, verbose=0)
    model.reset_states()
    parts = [model.predict(X[:, :2], verbose=0), model.predict(X[:, 2:], verbose=0)]
    np.testing.assert_allclose(np.concatenate(parts, axis=1), whole, rtol=1e-5, atol=1e-6)
    gru = model.layers[0]
    assert np.abs(gru.states[0].numpy()).sum() > 0
    model.reset_states()
    np.testing.assert_array_equal(gru.states[0].numpy(), 0.0)
    gru.reset_states([np.ones((3, 6))])
    np.testing.assert_array_equal(gru.states[0].numpy(), 1.0)
    with pytest.raises(ValueError, match="batch size of its states"):
        model.predict(X[:2], verbose=0)
    with pytest.raises(AttributeError, match="not stateful"):
        layers.GRU(2).reset_states()


def test_stateful_training_updates_the_states_once_per_batch():
    # the traced training step (replayed per batch) must agree with eager execution batch after batch
    y = np.random.default_rng(2).integers(0, 4, (3, 5))

    class ResetStates(callbacks.Callback):
        def on_epoch_begin(self, epoch, logs=None):
            self.model.reset_states()

    histories = []
    for eager in (False, True):
        model = _char_rnn(3)
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", run_eagerly=eager)
        seq = np.concatenate([X, X[:, ::-1]], axis=1)
        labels = np.concatenate([y, y], axis=1)
        h = model.fit(seq[:, :5], labels[:, :5], epochs=3, batch_size=3, shuffle=False, verbose=0,
                      callbacks=[ResetStates()])
        histories.append(h.history["loss"])
    np.testing.assert_allclose(histories[0], histories[1], rtol=1e-5)


def test_time_distributed_applies_the_layer_at_every_step():
    td = layers.TimeDistributed(layers.Dense(3))
    y = td(X).numpy()
    dense = td.layer
    np.testing.assert_allclose(y, np.stack([dense(X[:, t]).numpy() for t in range(5)], 1), rtol=1e-6)
    conv = layers.TimeDistributed(layers.Conv2D(2, 3))
    assert tuple(conv(np.zeros((2, 3, 8, 8, 1), "float32")).shape) == (2, 3, 6, 6, 2)
    masked = layers.TimeDistributed(layers.Dense(2))(layers.Embedding(5, 3, mask_zero=True)(np.array([[1, 0]])))
    np.testing.assert_array_equal(masked._keras_mask.numpy(), [[True, False]])
    with pytest.raises(ValueError, match="at least 3-D"):
        layers.TimeDistributed(layers.Dense(2))(np.zeros((2, 3), "float32"))
    with pytest.raises(ValueError, match="Layer instance"):
        layers.TimeDistributed("dense")


@pytest.mark.parametrize("ext", [".keras", ".h5"])
def test_cells_stacks_and_time_distributed_save_and_load(tmp_path, ext):
    pytest.importorskip("h5py")
    inp = layers.Input((5, 4))
    x = layers.RNN(layers.LSTMCell(3), return_sequences=True)(inp)
    x = layers.RNN([layers.GRUCell(3), layers.SimpleRNNCell(2)], return_sequences=True)(x)
    model = models.Model(inp, layers.TimeDistributed(layers.Dense(2))(x))
    path = str(tmp_path / f"cells{ext}")
    model.save(path)
    np.testing.assert_allclose(models.load_model(path).predict(X, verbose=0), model.predict(X, verbose=0),
                               rtol=1e-6)


def test_conv_lstm_2d_shapes_masks_channels_first_and_gradients():
    x = np.random.default_rng(4).standard_normal((2, 3, 5, 4, 2)).astype("float32")
    layer = layers.ConvLSTM2D(3, 2, return_sequences=True, return_state=True)
    seq, h, c = layer(x)
    assert tuple(seq.shape) == (2, 3, 4, 3, 3) and tuple(h.shape) == (2, 4, 3, 3)
    np.testing.assert_allclose(seq.numpy()[:, -1], h.numpy(), rtol=1e-6)
    assert [tuple(w.shape) for w in layer.weights] == [(2, 2, 2, 12), (2, 2, 3, 12), (12,)]
    first = layers.ConvLSTM2D(3, 2, data_format="channels_first")
    first(np.transpose(x, (0, 1, 4, 2, 3)))
    first.set_weights(layer.get_weights())
    np.testing.assert_allclose(first(np.transpose(x, (0, 1, 4, 2, 3))).numpy(), np.transpose(h.numpy(), (0, 3, 1, 2)),
                               rtol=1e-5, atol=1e-6)
    masked = layer(x, mask=np.array([[1, 1, 0], [1, 1, 1]], bool))[1].numpy()
    np.testing.assert_allclose(masked[0], layer(x[:1, :2])[1].numpy()[0], rtol=1e-5, atol=1e-6)
    small = layers.ConvLSTM2D(1, 2, padding="same", dtype="float64")
    xs = np.random.default_rng(5).standard_normal((1, 2, 3, 3, 1))
    small(tf.constant(xs))
    gradcheck(lambda v: small(v), [xs], name="ConvLSTM2D")
