"""Overridden train_step/test_step/predict_step (traced as Keras traces them), step functions, compile config,
and the symbolic input/output of models."""
from __future__ import annotations

import warnings

import numpy as np
import pytest

import tensorlet as tf
from tensorlet import keras
from tensorlet.keras import layers


class GAN(keras.Model):
    def __init__(self, latent_dim=4):
        super().__init__()
        self.discriminator = keras.Sequential([layers.Input((8,)), layers.Dense(16, activation="relu"),
                                               layers.Dense(1)])
        self.generator = keras.Sequential([layers.Input((latent_dim,)), layers.Dense(16, activation="relu"),
                                           layers.Dense(8)])
        self.latent_dim = latent_dim
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        self.python_calls = 0

    @property
    def metrics(self):
        return [self.d_loss_tracker, self.g_loss_tracker]

    def compile(self, d_optimizer, g_optimizer, loss_fn, **kwargs):
        super().compile(**kwargs)
        self.d_optimizer, self.g_optimizer, self.loss_fn = d_optimizer, g_optimizer, loss_fn

    def train_step(self, real):
        self.python_calls += 1
        if isinstance(real, tuple):
            real = real[0]
        n = tf.shape(real)[0]
        fake = self.generator(tf.random.normal(shape=(n, self.latent_dim)))
        images = tf.concat([fake, real], axis=0)
        labels = tf.concat([tf.ones((n, 1)), tf.zeros((n, 1))], axis=0)
        with tf.GradientTape() as tape:
            d_loss = self.loss_fn(labels, self.discriminator(images))
        grads = tape.gradient(d_loss, self.discriminator.trainable_weights)
        self.d_optimizer.apply_gradients(zip(grads, self.discriminator.trainable_weights))
        with tf.GradientTape() as tape:
            g_loss = self.loss_fn(tf.zeros((n, 1)), self.discriminator(self.generator(
                tf.random.normal(shape=(n, self.latent_dim)))))
        grads = tape.gradient(g_loss, self.generator.trainable_weights)
        self.g_optimizer.apply_gradients(zip(grads, self.generator.trainable_weights))
        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        return {"d_loss": self.d_loss_tracker.result(), "g_loss": self.g_loss_tracker.result()}


def test_a_gan_train_step_is_traced_once_and_trains_both_models():
    gan = GAN()
    gan.compile(keras.optimizers.Adam(1e-3), keras.optimizers.Adam(1e-3),
                keras.losses.BinaryCrossentropy(from_logits=True))
    x = np.random.default_rng(0).standard_normal((256, 8)).astype("float32")
    g0 = [w.copy() for w in gan.generator.get_weights()]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        history = gan.fit(x, epochs=3, batch_size=32, verbose=0)
    assert gan.python_calls == 1  # 8 full batches an epoch, 3 epochs: one trace
    assert int(gan.d_optimizer.iterations) == 24 and int(gan.g_optimizer.iterations) == 24
    assert not any(np.array_equal(a, b) for a, b in zip(g0, gan.generator.get_weights()))
    assert set(history.history) == {"d_loss", "g_loss"} and len(history.history["d_loss"]) == 3


def test_run_eagerly_calls_the_python_step_every_batch():
    gan = GAN()
    gan.compile(keras.optimizers.Adam(1e-3), keras.optimizers.Adam(1e-3),
                keras.losses.BinaryCrossentropy(from_logits=True), run_eagerly=True)
    gan.fit(np.zeros((64, 8), "float32"), epochs=1, batch_size=32, verbose=0)
    assert gan.python_calls == 2


class Keras2Style(keras.Model):
    """Keras 2's custom train_step with compiled_loss and compiled_metrics."""

    def __init__(self):
        super().__init__()
        self.d1 = layers.Dense(8, activation="relu")
        self.d2 = layers.Dense(3, activation="softmax")

    def call(self, x):
        return self.d2(self.d1(x))

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compiled_loss(y, y_pred, regularization_losses=self.losses)
        grads = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(grads, self.trainable_variables))
        self.compiled_metrics.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}


def test_keras2_custom_train_step_matches_the_built_in_fit():
    rng = np.random.default_rng(1)
    x, y = rng.standard_normal((96, 5)).astype("float32"), rng.integers(0, 3, 96)
    class Plain(Keras2Style):
        train_step = keras.Model.train_step  # the built-in step, on an identical model

    custom = Keras2Style()
    custom(x[:1])
    plain = Plain()
    plain(x[:1])
    plain.set_weights(custom.get_weights())
    custom.compile(optimizer=keras.optimizers.SGD(0.1), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    plain.compile(optimizer=keras.optimizers.SGD(0.1), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        h1 = custom.fit(x, y, batch_size=32, epochs=3, shuffle=False, verbose=0)
    h2 = plain.fit(x, y, batch_size=32, epochs=3, shuffle=False, verbose=0)
    np.testing.assert_allclose(h1.history["loss"], h2.history["loss"], rtol=1e-5)
    np.testing.assert_allclose(h1.history["accuracy"], h2.history["accuracy"], rtol=1e-6)


class VAELike(keras.Model):
    """An encoder whose KL-like term is an add_loss, and a decoder."""

    def __init__(self):
        super().__init__()
        self.enc = layers.Dense(2)
        self.dec = layers.Dense(6)

    def call(self, x):
        z = self.enc(x)
        self.add_loss(0.01 * tf.reduce_mean(tf.square(z)))
        return self.dec(z)


def test_add_loss_terms_enter_the_trained_loss():
    x = np.random.default_rng(2).standard_normal((64, 6)).astype("float32")
    m = VAELike()
    m.compile(optimizer="adam", loss="mse")
    m(x[:1])
    base = float(tf.reduce_mean(tf.square(m(x) - x)))
    reg = float(m.losses[0])
    assert m.evaluate(x, x, batch_size=64, verbose=0) == pytest.approx(base + reg, rel=1e-5)
    h = m.fit(x, x, epochs=5, batch_size=16, verbose=0)
    assert h.history["loss"][-1] < h.history["loss"][0]


def test_predict_step_override_is_used_by_predict():
    class Doubling(keras.Model):
        def __init__(self):
            super().__init__()
            self.d = layers.Dense(2, kernel_initializer="ones", bias_initializer="zeros")

        def call(self, x):
            return self.d(x)

        def predict_step(self, data):
            return self(data[0] if isinstance(data, tuple) else data) * 2.0

    m = Doubling()
    out = m.predict(np.ones((5, 3), "float32"), batch_size=2, verbose=0)
    np.testing.assert_allclose(out, np.full((5, 2), 6.0))


def test_a_train_step_that_reads_values_runs_eagerly_after_one_warning():
    class Reads(Keras2Style):
        def train_step(self, data):
            logs = super().train_step(data)
            if float(logs["loss"]) > 1e9:  # a Python decision on a computed value
                pass
            return logs

    x, y = np.zeros((64, 5), "float32"), np.zeros(64, "int64")
    m = Reads()
    m.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    with pytest.warns(UserWarning, match="runs eagerly"):
        h = m.fit(x, y, batch_size=32, epochs=2, verbose=0)
    assert len(h.history["loss"]) == 2 and np.isfinite(h.history["loss"]).all()


def test_make_train_function_and_compile_config_round_trip():
    m = Keras2Style()
    m.compile(optimizer=keras.optimizers.Adam(0.01), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    x, y = np.ones((8, 5), "float32"), np.zeros(8, "int64")
    m(x[:1])
    logs = m.make_train_function()((x, y))
    assert set(logs) >= {"loss", "accuracy"} and int(m.optimizer.iterations) == 1
    config = m.get_compile_config()
    other = Keras2Style()
    other.compile_from_config(config)
    assert type(other.optimizer).__name__ == "Adam" and other.loss == "sparse_categorical_crossentropy"
    assert float(other.optimizer.learning_rate) == pytest.approx(0.01)


def test_export_says_what_to_use_instead():
    m = keras.Sequential([layers.Input((2,)), layers.Dense(1)])
    with pytest.raises(NotImplementedError, match=r"\.keras"):
        m.export("served")


def test_functional_input_and_output_build_a_feature_extractor():
    inp = layers.Input((8,), name="x")
    hidden = layers.Dense(4, name="hidden")(inp)
    model = keras.Model(inp, layers.Dense(2)(hidden))
    assert model.input is inp and model.output is model.outputs[0]
    features = keras.Model(model.input, model.get_layer("hidden").output)
    x = np.ones((3, 8), "float32")
    np.testing.assert_allclose(features.predict(x, verbose=0), model.get_layer("hidden")(x).numpy(), rtol=1e-6)
    seq = keras.Sequential([layers.Input((3,)), layers.Dense(2, name="d")])
    assert seq.input is seq.inputs[0] and seq.get_layer("d").output is seq.output
    two = keras.Model(inputs=[inp], outputs=[model.output, hidden])
    assert two.input is inp and isinstance(two.output, list) and len(two.output) == 2
