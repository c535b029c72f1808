"""Functional models fed and answering in nested structures (dicts, nested lists), through tensorlet.tree."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras import layers, models
from tensorlet.models.functional import Functional


def dict_model():
    a, b = layers.Input(shape=(3,), name="a"), layers.Input(shape=(2,), name="b")
    h = layers.Concatenate()([a, b])
    return models.Model({"b": b, "a": a}, {"zeta": layers.Dense(1, name="zeta")(h),
                                           "alpha": layers.Dense(2, name="alpha")(h)})


def test_dict_outputs_keep_their_key_order_and_outputs_are_sorted():
    m = dict_model()
    out = m({"a": np.ones((4, 3), "float32"), "b": np.ones((4, 2), "float32")})
    assert list(out) == ["zeta", "alpha"]
    assert [tuple(t.shape) for t in m.outputs] == [(None, 2), (None, 1)]  # tree order: alpha, zeta
    assert m.input_names == ["a", "b"]


def test_dict_inputs_matched_by_key_whatever_their_order():
    m = dict_model()
    xa, xb = np.random.default_rng(0).standard_normal((4, 3)), np.random.default_rng(1).standard_normal((4, 2))
    first = m({"a": xa, "b": xb})
    with pytest.warns(UserWarning, match=r"\['unused'\] which did not match any input"):  # as tf.keras 2 warns
        second = m({"b": xb, "a": xa, "unused": np.zeros(1)})
    np.testing.assert_allclose(first["zeta"].numpy(), second["zeta"].numpy())
    with pytest.raises(ValueError, match=r"expects inputs keyed \['b', 'a'\].*lacks \['a'\]"):
        m({"b": xb})


def test_list_inputs_accept_a_dict_keyed_by_input_name():
    a, b = layers.Input(shape=(3,), name="left"), layers.Input(shape=(2,), name="right")
    m = models.Model([a, b], layers.Concatenate()([a, b]))
    xa, xb = np.ones((2, 3), "float32"), np.zeros((2, 2), "float32")
    np.testing.assert_allclose(m({"right": xb, "left": xa}).numpy(), m([xa, xb]).numpy())


def test_nested_list_inputs_and_outputs():
    a, b, c = (layers.Input(shape=(2,)) for _ in range(3))
    s = layers.Add()([a, b])
    m = models.Model([[a, b], c], [s, (layers.Multiply()([s, c]),)])
    x = [[np.ones((1, 2), "float32"), np.full((1, 2), 2.0, "float32")], np.full((1, 2), 3.0, "float32")]
    first, (second,) = m(x)
    np.testing.assert_allclose(first.numpy(), [[3.0, 3.0]])
    np.testing.assert_allclose(second.numpy(), [[9.0, 9.0]])


def test_clone_model_keeps_input_and_output_structures():
    m = dict_model()
    clone = models.clone_model(m)
    assert list(clone._input_structure) == ["b", "a"] and list(clone._output_structure) == ["zeta", "alpha"]
    clone.set_weights(m.get_weights())
    x = {"a": np.ones((2, 3), "float32"), "b": np.ones((2, 2), "float32")}
    np.testing.assert_allclose(clone(x)["alpha"].numpy(), m(x)["alpha"].numpy())


def test_config_round_trip_keeps_dict_structures():
    m = dict_model()
    again = models.model_from_json(m.to_json())
    assert list(again._output_structure) == ["zeta", "alpha"] and list(again._input_structure) == ["b", "a"]


def test_one_element_output_list_predicts_an_array_as_keras_does():
    inputs = layers.Input(shape=(3,))
    model = models.Model(inputs, [layers.Dense(2)(inputs)])
    x = np.ones((4, 3), "float32")
    assert isinstance(model.predict(x, verbose=0), np.ndarray)
    assert model.predict(x, verbose=0).shape == (4, 2)
    assert model.output is model.outputs[0]


class _LoggedModel(models.Model):
    """A Model subclass that overrides train_step and metrics only: built with inputs and outputs, as in Chollet's
    'Deep Learning with Python', chapter 7."""

    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.keras.losses.sparse_categorical_crossentropy(y, self(x, training=True)))
        grads = tape.gradient(loss, self.trainable_weights)
        self.optimizer.apply_gradients(zip(grads, self.trainable_weights))
        self.tracker.update_state(loss)
        return {"loss": self.tracker.result()}

    @property
    def metrics(self):
        return [self.tracker]


def test_a_model_subclass_given_inputs_and_outputs_is_functional_of_its_own_class(tmp_path):
    inputs = layers.Input(shape=(8,))
    outputs = layers.Dense(3, activation="softmax")(layers.Dense(16, activation="relu")(inputs))
    model = _LoggedModel(inputs, outputs)
    model.tracker = tf.keras.metrics.Mean(name="loss")
    assert isinstance(model, _LoggedModel) and isinstance(model, Functional) and len(model.layers) == 3
    model.compile(optimizer="rmsprop")
    x = np.random.default_rng(0).random((64, 8)).astype("float32")
    y = np.arange(64) % 3
    history = model.fit(x, y, epochs=3, verbose=0)
    assert list(history.history) == ["loss"] and history.history["loss"][-1] < history.history["loss"][0]
    named = _LoggedModel(inputs=inputs, outputs=outputs)  # by keyword as well
    assert isinstance(named, Functional) and type(named) is type(model)
    path = str(tmp_path / "m.keras")
    model.save(path)
    loaded = tf.keras.models.load_model(path, custom_objects={"_LoggedModel": _LoggedModel})
    assert isinstance(loaded, _LoggedModel) and isinstance(loaded, Functional)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)


def test_a_model_subclass_with_two_arguments_of_its_own_stays_subclassed():
    class Scaled(models.Model):
        def __init__(self, units, scale):
            super().__init__()
            self.dense, self.scale = layers.Dense(units), scale

        def call(self, x):
            return self.dense(x) * self.scale

    model = Scaled(2, 3.0)
    assert not isinstance(model, Functional) and model(np.ones((4, 5), "float32")).shape == (4, 2)
