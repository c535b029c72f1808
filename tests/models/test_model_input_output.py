"""``model.input`` / ``model.output`` of Sequential and Functional models are their graph tensors (the feature-map
notebooks build ``Model(inputs=model.input, outputs=[layer.output for layer in model.layers])``)."""
from __future__ import annotations

import numpy as np
import pytest

from tensorlet.keras import layers, models


def test_a_sequential_models_input_and_output_build_an_activation_model():
    model = models.Sequential([layers.Conv2D(4, 3, activation="relu", input_shape=(28, 28, 1)),
                               layers.MaxPooling2D(2), layers.Flatten(), layers.Dense(2)])
    assert tuple(model.input.shape) == (None, 28, 28, 1) and tuple(model.output.shape) == (None, 2)
    activation_model = models.Model(inputs=model.input, outputs=[layer.output for layer in model.layers])
    maps = activation_model.predict(np.ones((1, 28, 28, 1), "float32"), verbose=0)
    assert [m.shape for m in maps] == [(1, 26, 26, 4), (1, 13, 13, 4), (1, 676), (1, 2)]
    np.testing.assert_allclose(maps[-1], model.predict(np.ones((1, 28, 28, 1), "float32"), verbose=0), rtol=1e-6)


def test_functional_input_and_output_keep_the_structure_given():
    a, b = layers.Input((3,)), layers.Input((2,))
    out = layers.Concatenate()([a, b])
    model = models.Model([a, b], out)
    assert model.input == [a, b] and model.output is out


def test_a_sequential_without_an_input_shape_has_no_input_yet():
    with pytest.raises(AttributeError, match="has never been called"):
        _ = models.Sequential([layers.Dense(2)]).input
