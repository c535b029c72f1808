"""tensorlet's top-level namespace: TF 2 aliases of the Keras families, lazy names, missing names."""
from __future__ import annotations

import pytest

import tensorlet as tf


def test_tf2_top_level_aliases_of_keras_families():
    from tensorlet import activations, initializers, losses, metrics, optimizers

    assert tf.optimizers is optimizers and tf.losses is losses and tf.metrics is metrics
    assert tf.initializers is initializers and tf.activations is activations
    assert tf.optimizers.Adam is tf.keras.optimizers.Adam


def test_missing_namespace_is_named():
    with pytest.raises(AttributeError, match="tensorflow.estimator is not provided by tensorlet"):
        tf.estimator  # noqa: B018
    assert "distribute" in dir(tf) and "executing_eagerly" in dir(tf)


@pytest.mark.parametrize("name, says", [
    ("Session", "tensorflow.Session is TensorFlow 1 graph mode (tf.compat.v1.Session in TensorFlow 2)"),
    ("placeholder", "which tensorlet does not provide: it runs eagerly"),
    ("enable_eager_execution", "TensorFlow 1 name, removed from TensorFlow 2; use tf.compat.v1.enable_eager_"),
    ("set_random_seed", "use tf.compat.v1.set_random_seed"),
    ("contrib", "tensorflow.contrib was removed in TensorFlow 2"),
    ("estimator", "tensorflow.estimator is not provided by tensorlet")])
def test_tensorflow1_names_say_where_they_went(name, says):
    with pytest.raises(AttributeError, match=says.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        getattr(tf, name)
