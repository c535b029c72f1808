"""fit / evaluate / predict on tf.data datasets: Keras' element formats, iterator rules and errors."""
from __future__ import annotations

import logging

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras import layers, models


def data(n=256, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 8)).astype("float32")
    return x, (x[:, 0] > 0).astype("int64")


def model(inputs=None):
    m = models.Sequential(([layers.Input((8,))] if inputs else []) + [layers.Dense(16, activation="relu"),
                                                                      layers.Dense(2, activation="softmax")])
    m.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    return m


def test_fit_on_a_dataset_learns_and_matches_the_arrays():
    x, y = data()
    tf.random.set_seed(1)
    m = model(inputs=True)
    ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(32)
    history = m.fit(ds, epochs=8, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert history.history["accuracy"][-1] > 0.8
    loss, acc = m.evaluate(ds, verbose=0)
    assert loss == pytest.approx(m.evaluate(x, y, batch_size=32, verbose=0)[0], rel=1e-5)
    np.testing.assert_allclose(m.predict(ds, verbose=0), m.predict(x, verbose=0), rtol=1e-5)


def test_fit_builds_an_unbuilt_model_from_the_first_batch():
    x, y = data()
    m = model()
    history = m.fit(tf.data.Dataset.from_tensor_slices((x, y)).shuffle(256).batch(32), epochs=4, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_validation_data_and_steps():
    x, y = data()
    m = model(inputs=True)
    train = tf.data.Dataset.from_tensor_slices((x, y)).batch(32)
    history = m.fit(train.repeat(), epochs=2, steps_per_epoch=3, verbose=0,
                    validation_data=tf.data.Dataset.from_tensor_slices((x[:64], y[:64])).batch(16).repeat(),
                    validation_steps=2)
    assert set(history.history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert m.evaluate(train.repeat(), steps=2, verbose=0)[0] > 0
    assert m.predict(tf.data.Dataset.from_tensor_slices(x).batch(10), steps=3, verbose=0).shape == (30, 2)


def test_steps_per_epoch_continues_the_iterator_and_stops_when_it_runs_out(caplog):
    x, y = data(64)
    m = model(inputs=True)
    seen = []

    class Count(tf.keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            seen.append(epoch)

    ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(16)  # 4 batches
    with caplog.at_level(logging.WARNING, logger="tensorflow"):
        m.fit(ds, epochs=5, steps_per_epoch=3, verbose=0, callbacks=[Count()])
    assert seen == [0] or seen == [0, 1]
    assert "ran out of data" in caplog.text
    seen.clear()
    m.fit(ds, epochs=3, steps_per_epoch=4, verbose=0, callbacks=[Count()])  # = its length: a new pass each epoch
    assert seen == [0, 1, 2]


def test_sample_weights_and_class_weights_from_a_dataset():
    x, y = data()
    m = model(inputs=True)
    w = np.where(y == 1, 2.0, 0.0).astype("float32")
    weighted = tf.data.Dataset.from_tensor_slices((x, y, w)).batch(64)
    loss_weighted = m.evaluate(weighted, verbose=0)[0]
    assert loss_weighted == pytest.approx(m.evaluate(x, y, sample_weight=w, batch_size=64, verbose=0)[0], rel=1e-5)
    assert loss_weighted != pytest.approx(m.evaluate(x, y, batch_size=64, verbose=0)[0], rel=1e-3)
    m.fit(tf.data.Dataset.from_tensor_slices((x, y)).batch(64), class_weight={0: 1.0, 1: 3.0}, epochs=1, verbose=0)


def test_dict_inputs_are_matched_by_input_name():
    x, y = data()
    a, b = layers.Input((4,), name="left"), layers.Input((4,), name="right")
    out = layers.Dense(2, activation="softmax")(layers.Concatenate()([a, b]))
    m = models.Model([a, b], out)
    m.compile("adam", "sparse_categorical_crossentropy")
    ds = tf.data.Dataset.from_tensor_slices(({"right": x[:, 4:], "left": x[:, :4]}, y)).batch(32)
    m.fit(ds, epochs=1, verbose=0)
    bad = tf.data.Dataset.from_tensor_slices(({"lft": x[:, :4], "right": x[:, 4:]}, y)).batch(32)
    with pytest.raises(ValueError, match=r"expects inputs named \['left', 'right'\].*element_spec"):
        m.fit(bad, epochs=1, verbose=0)


def test_keras_errors_for_datasets():
    x, y = data()
    m = model(inputs=True)
    ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(32)
    with pytest.raises(ValueError, match="`validation_split` is only supported for Tensors or NumPy arrays"):
        m.fit(ds, validation_split=0.2, verbose=0)
    with pytest.raises(ValueError, match="`y` argument is not supported when using dataset as input."):
        m.fit(ds, y, verbose=0)
    with pytest.raises(ValueError, match="`sample_weight` argument is not supported"):
        m.evaluate(ds, sample_weight=np.ones(256), verbose=0)
    with pytest.raises(ValueError, match="When providing an infinite dataset, you must specify the number of steps"):
        m.fit(ds.repeat(), epochs=1, verbose=0)
    with pytest.raises(ValueError, match=r"Target data is missing.*element_spec=TensorSpec\(shape=\(None, 8\)"):
        m.fit(tf.data.Dataset.from_tensor_slices(x).batch(32), verbose=0)
    with pytest.raises(ValueError, match=r"look unbatched.*\.batch\(batch_size\)"):
        m.fit(tf.data.Dataset.from_tensor_slices((x, y)), verbose=0)
    with pytest.raises(ValueError, match="4-tuples"):
        m.fit(tf.data.Dataset.from_tensor_slices((x, y, y, y)).batch(8), verbose=0)


def test_custom_train_step_receives_dataset_batches():
    x, y = data()

    class Custom(tf.keras.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(2)
            self.seen = []

        def call(self, inputs):
            return self.dense(inputs)

        def train_step(self, batch):
            bx, by = batch
            self.seen.append(tuple(bx.shape))
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(tf.keras.losses.sparse_categorical_crossentropy(by, self(bx), from_logits=True))
            grads = tape.gradient(loss, self.trainable_variables)
            self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
            return {"loss": loss}

    m = Custom()
    m.compile(optimizer="sgd", run_eagerly=True)
    history = m.fit(tf.data.Dataset.from_tensor_slices((x, y)).batch(100), epochs=1, verbose=0)
    assert m.seen == [(100, 8), (100, 8), (56, 8)] and "loss" in history.history
