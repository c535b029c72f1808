"""keras.saving as Keras 3 code calls it: register_keras_serializable, save_model/load_model, get_custom_objects,
serialize_keras_object/deserialize_keras_object, and enable_unsafe_deserialization for Lambda layers."""
from __future__ import annotations

import numpy as np
import pytest

from tensorlet import keras


@keras.saving.register_keras_serializable(package="Course")
class Scale(keras.layers.Layer):
    def __init__(self, factor=1.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def call(self, x):
        return x * self.factor

    def get_config(self):
        config = super().get_config()
        config.update({"factor": self.factor})
        return config


@keras.saving.register_keras_serializable(package="Course", name="cube")
def cube(x):
    return x * x * x


def test_registered_layer_and_function_round_trip_through_a_keras_file(tmp_path):
    model = keras.Sequential([keras.Input((3,)), Scale(2.0), keras.layers.Dense(2, activation=cube)])
    path = str(tmp_path / "model.keras")
    keras.saving.save_model(model, path)
    loaded = keras.saving.load_model(path)
    x = np.ones((2, 3), np.float32)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)
    assert isinstance(loaded.layers[0], Scale) and loaded.layers[0].factor == 2.0


def test_custom_objects_and_registered_names():
    objects = keras.saving.get_custom_objects()
    assert objects["Course>Scale"] is Scale and objects["Course>cube"] is cube
    assert keras.saving.get_registered_name(Scale) == "Course>Scale"
    assert keras.saving.get_registered_object("Course>Scale") is Scale


def test_serialize_and_deserialize_keras_objects():
    config = keras.saving.serialize_keras_object(Scale(3.0, name="s"))
    assert config["class_name"] == "Scale" and config["registered_name"] == "Course>Scale"
    again = keras.saving.deserialize_keras_object(config)
    assert isinstance(again, Scale) and again.factor == 3.0 and again.name == "s"
    dense = keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(keras.layers.Dense(4)))
    assert isinstance(dense, keras.layers.Dense) and dense.units == 4
    assert keras.saving.deserialize_keras_object(keras.saving.serialize_keras_object(cube)) is cube


def test_custom_object_scope_for_unregistered_classes(tmp_path):
    class Plain(keras.layers.Layer):
        def call(self, x):
            return x + 1.0

    model = keras.Sequential([keras.Input((2,)), Plain()])
    path = str(tmp_path / "plain.keras")
    model.save(path)
    with pytest.raises(ValueError, match="Unknown"):
        keras.saving.load_model(path)
    with keras.saving.custom_object_scope({"Plain": Plain}):
        assert keras.saving.load_model(path).predict(np.zeros((1, 2)), verbose=0).tolist() == [[1.0, 1.0]]


def test_enable_unsafe_deserialization_lets_lambda_layers_load(tmp_path, monkeypatch):
    from tensorlet.saving import serialization

    monkeypatch.setattr(serialization, "_unsafe_enabled", [False])
    model = keras.Sequential([keras.Input((2,)), keras.layers.Lambda(lambda t: t * 3.0)])
    path = str(tmp_path / "lambda.keras")
    model.save(path)
    with pytest.raises(ValueError, match="safe mode"):
        keras.saving.load_model(path)
    keras.config.enable_unsafe_deserialization()
    assert keras.saving.load_model(path).predict(np.ones((1, 2)), verbose=0).tolist() == [[3.0, 3.0]]


def test_save_weights_and_load_weights_functions(tmp_path):
    from tensorlet import keras

    def make():
        inputs = keras.Input((3,))
        return keras.Model(inputs, keras.layers.Dense(2)(inputs))

    model, other = make(), make()
    path = str(tmp_path / "m.weights.h5")
    keras.saving.save_weights(model, path)
    keras.saving.load_weights(other, path)
    x = np.ones((1, 3), np.float32)
    np.testing.assert_allclose(other.predict(x, verbose=0), model.predict(x, verbose=0))
