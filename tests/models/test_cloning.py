"""clone_model: same architecture, new layers and weights; reachable from its public paths."""
from __future__ import annotations

import numpy as np

import tensorlet as tf
from tensorlet.keras import layers, models


def test_clone_model_public_paths_are_one_function():
    from tensorlet.models import clone_model as from_package
    from tensorlet.models.cloning import clone_model

    assert tf.keras.models.clone_model is clone_model and from_package is clone_model


def test_a_sequential_clone_has_new_layers_and_the_same_shapes():
    model = models.Sequential([layers.Input(shape=(3,)), layers.Dense(4, activation="relu"), layers.Dense(1)])
    clone = models.clone_model(model)
    assert all(a is not b for a, b in zip(clone.layers, model.layers))
    assert [w.shape for w in clone.get_weights()] == [w.shape for w in model.get_weights()]
    assert clone.layers[0].activation is model.layers[0].activation
    assert not all(np.array_equal(a, b) for a, b in zip(clone.get_weights(), model.get_weights()))


def test_clone_function_replaces_the_per_layer_clone():
    a = layers.Input(shape=(3,))
    out = layers.Dense(2, name="head")(layers.Dense(4, name="body")(a))
    model = models.Model(a, out)
    seen = []

    def clone_function(layer):
        seen.append(layer.name)
        return layer.__class__.from_config({**layer.get_config(), "name": f"new_{layer.name}"})

    clone = models.clone_model(model, clone_function=clone_function)
    assert seen == ["body", "head"]
    assert [la.name for la in clone.layers][1:] == ["new_body", "new_head"]
    assert clone.predict(np.ones((2, 3), "float32"), verbose=0).shape == (2, 2)
