"""Models: the three APIs, inspection, config round trips, and bad input named clearly."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras import layers, models


def test_sequential_forms_and_layers():
    m = models.Sequential([layers.Dense(4, input_shape=(3,)), layers.Dense(2)])
    assert [la.__class__.__name__ for la in m.layers] == ["Dense", "Dense"] and m.count_params() == 26
    m2 = models.Sequential()
    m2.add(layers.Dense(4, input_dim=3))
    m2.add(layers.Dense(2))
    assert m2.count_params() == 26 and m2.output_shape == (None, 2)
    popped = m2.pop()
    assert popped.units == 2 and m2.output_shape == (None, 4)
    deferred = models.Sequential([layers.Dense(5)])
    assert deferred(np.ones((2, 7), "float32")).shape == (2, 5) and deferred.count_params() == 40
    m3 = models.Sequential([layers.InputLayer(input_shape=(6,)), layers.Dense(1)])
    assert m3.input_shape == (None, 6)


def test_functional_multiple_io_shared_and_nested():
    a, b = layers.Input(shape=(3,)), layers.Input(shape=(3,))
    shared = layers.Dense(2, name="shared")
    inner = models.Sequential([layers.Input(shape=(2,)), layers.Dense(1, name="inner_out")], name="inner")
    out = layers.Add()([inner(shared(a)), inner(shared(b))])
    m = models.Model(inputs=[a, b], outputs=[out, shared(a)])
    y1, y2 = m([np.ones((4, 3), "float32"), np.zeros((4, 3), "float32")])
    assert y1.shape == (4, 1) and y2.shape == (4, 2)
    assert m.get_layer("shared") is shared and m.get_layer(index=0).__class__.__name__ == "InputLayer"
    assert len(m.trainable_weights) == 4


def test_subclassed_model_tracks_lists_and_dicts():
    class M(tf.keras.Model):
        def __init__(self):
            super().__init__(name="sub")
            self.blocks = [layers.Dense(3), layers.Dense(3)]
            self.heads = {"out": layers.Dense(1)}

        def call(self, x, training=None):
            for blk in self.blocks:
                x = blk(x)
            return self.heads["out"](x)

    m = M()
    assert m(np.ones((2, 4), "float32")).shape == (2, 1)
    assert len(m.trainable_weights) == 6 and len(m.layers) == 3


def test_config_round_trip_json_and_clone():
    m = models.Sequential([layers.Input(shape=(3,)), layers.Dense(4, activation="relu"), layers.Dropout(0.2),
                           layers.Dense(2, activation="softmax")], name="seq")
    again = models.model_from_json(m.to_json())
    assert [type(la).__name__ for la in again.layers] == ["Dense", "Dropout", "Dense"]
    clone = models.clone_model(m)
    assert clone.count_params() == m.count_params()
    assert not np.array_equal(clone.get_weights()[0], m.get_weights()[0])
    renamed = models.clone_model(m, clone_function=lambda la: la.__class__.from_config(
        {**la.get_config(), "name": la.name + "_c"}))
    assert [la.name for la in renamed.layers][0].endswith("_c")


def test_dense_called_with_wrong_width_names_layer_and_shapes():
    layer = layers.Dense(3, name="dense_in")
    layer(np.ones((2, 784), "float32"))
    with pytest.raises(ValueError, match=r'dense_in.*784.*\(2, 785\)'):
        layer(np.ones((2, 785), "float32"))


def test_set_weights_mismatch_is_named():
    layer = layers.Dense(3, name="d")
    layer(np.ones((1, 4), "float32"))
    with pytest.raises(ValueError, match=r'"d" expects 2 weight.*1'):
        layer.set_weights([np.zeros((4, 3))])
    with pytest.raises(ValueError, match=r'"d".*expected shape \(4, 3\), received shape \(5, 3\)'):
        layer.set_weights([np.zeros((5, 3)), np.zeros(3)])


def test_graph_disconnected_names_the_missing_input():
    a, b = layers.Input(shape=(2,), name="first"), layers.Input(shape=(2,), name="second")
    out = layers.Add()([layers.Dense(2)(a), layers.Dense(2)(b)])
    with pytest.raises(ValueError, match="second"):
        models.Model(inputs=a, outputs=out)


def test_unknown_identifiers_list_valid_names():
    for kwargs in ({"activation": "relux"}, {"kernel_initializer": "glorot_unifrm"},
                   {"kernel_regularizer": "l3"}):
        with pytest.raises(ValueError, match="relu|glorot_uniform|l1"):
            layers.Dense(2, **kwargs)
    with pytest.raises(TypeError, match="unexpected keyword"):
        layers.Dense(2, unitz=3)


def test_to_categorical_normalize_and_backend():
    from tensorlet.keras import backend, utils

    oh = utils.to_categorical([0, 2, 1], num_classes=3)
    assert oh.dtype == np.float32 and oh.tolist() == [[1, 0, 0], [0, 0, 1], [0, 1, 0]]
    np.testing.assert_allclose(np.linalg.norm(utils.normalize(np.array([[3.0, 4.0]])), axis=-1), 1.0)
    assert backend.epsilon() == 1e-7 and backend.floatx() == "float32"
    v = tf.Variable([1.0, 2.0])
    backend.set_value(v, [5.0, 6.0])
    assert backend.get_value(v).tolist() == [5.0, 6.0] and backend.int_shape(v) == (2,)


def test_plot_model_needs_pydot_and_graphviz(tmp_path):
    from tensorlet.keras.utils import plot_model

    m = models.Sequential([layers.Input(shape=(3,)), layers.Dense(2)])
    try:
        import shutil

        import pydot  # noqa: F401

        have = shutil.which("dot") is not None
    except ImportError:
        have = False
    if not have:
        with pytest.raises(ImportError, match="graphviz|pydot"):
            plot_model(m, to_file=str(tmp_path / "m.png"))
    else:
        plot_model(m, to_file=str(tmp_path / "m.png"), show_shapes=True)
        assert (tmp_path / "m.png").stat().st_size > 0


def test_sequential_starting_with_a_sequential_that_knows_its_input_is_built():
    import tensorlet as tf

    augmentation = tf.keras.Sequential([tf.keras.layers.RandomFlip("horizontal", input_shape=(8, 8, 3)),
                                        tf.keras.layers.RandomRotation(0.1)])
    model = tf.keras.Sequential([augmentation, tf.keras.layers.Flatten(), tf.keras.layers.Dense(2)])
    assert model.built and model.input_shape == (None, 8, 8, 3) and model.output_shape == (None, 2)
    assert model.count_params() == 8 * 8 * 3 * 2 + 2


def test_sequential_starting_with_a_sequential_built_by_a_call_stays_unbuilt_until_called():
    import numpy as np

    import tensorlet as tf

    rescale = tf.keras.Sequential([tf.keras.layers.Rescaling(1 / 255)])
    rescale(np.zeros((6, 5, 3), "float32"))  # called on one unbatched image: no declared input
    model = tf.keras.Sequential([rescale, tf.keras.layers.Conv2D(2, 3)])
    assert not model.built
    assert model(np.zeros((1, 6, 5, 3), "float32")).shape == (1, 4, 3, 2)
    declared = tf.keras.Sequential([tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(3)]),
                                    tf.keras.layers.Dense(1)])
    assert declared.built and declared.input_shape == (None, 4)
