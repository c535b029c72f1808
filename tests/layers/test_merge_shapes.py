"""Merge layers broadcast symbolic shapes as the arrays broadcast: an unknown size against 1 stays unknown."""
from __future__ import annotations

from tensorlet.keras import layers, models


def test_an_unknown_size_against_one_stays_unknown():
    a, b = layers.Input((None, None, 8)), layers.Input((1, 1, 8))
    assert tuple(layers.Multiply()([a, b]).shape) == (None, None, None, 8)
    assert tuple(layers.Add()([b, a]).shape) == (None, None, None, 8)


def test_a_known_size_wins_over_one_and_over_unknown():
    a, b = layers.Input((5, 1, 8)), layers.Input((None, 4, 8))
    assert tuple(layers.Multiply()([a, b]).shape) == (None, 5, 4, 8)


def test_a_squeeze_excite_gate_keeps_the_feature_map_shape():
    x = layers.Input((None, None, 6))
    gate = layers.GlobalAveragePooling2D(keepdims=True)(x)
    y = layers.Multiply()([x, layers.Conv2D(6, 1, activation="sigmoid")(gate)])
    assert tuple(y.shape) == (None, None, None, 6)
    assert tuple(models.Model(x, y).output_shape) == (None, None, None, 6)
