"""Inputs conformed to the model's Input layers as Keras does: a missing or extra trailing axis of size 1, dicts
keyed by input names, tuples and dicts for subclassed models (issue 25 items 4 and 5)."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras import layers, models, optimizers, utils

XS = np.array([-1.0, 0.0, 1.0, 2.0, 3.0, 4.0], dtype=float)
YS = np.array([-3.0, -1.0, 1.0, 3.0, 5.0, 7.0], dtype=float)


def test_1d_inputs_for_an_input_of_shape_1_train_and_predict():
    """The first notebook of many courses, unchanged."""
    utils.set_random_seed(0)
    model = models.Sequential([layers.Dense(units=1, input_shape=[1])])
    model.compile(optimizer="sgd", loss="mean_squared_error")
    history = model.fit(XS, YS, epochs=300, verbose=0)
    assert history.history["loss"][-1] < 0.01
    prediction = model.predict(np.array([10.0]), verbose=0)
    assert prediction.shape == (1, 1) and abs(float(prediction[0, 0]) - 19.0) < 0.5
    assert model.predict([10.0], verbose=0).shape == (1, 1)
    assert tuple(model(np.array([10.0])).shape) == (1, 1)
    assert np.isfinite(model.evaluate(XS, YS, verbose=0))


def test_images_without_a_channel_axis_feed_a_conv2d_input_of_one_channel():
    rng = np.random.default_rng(0)
    images, labels = rng.random((16, 28, 28)).astype("float32"), rng.integers(0, 10, 16)
    model = models.Sequential([layers.Input(shape=(28, 28, 1)), layers.Conv2D(2, 3, activation="relu"),
                               layers.Flatten(), layers.Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(images, labels, epochs=1, batch_size=8, verbose=0, validation_data=(images, labels))
    assert model.predict(images, verbose=0).shape == (16, 10)
    np.testing.assert_allclose(model.predict(images[..., None], verbose=0), model.predict(images, verbose=0))
    functional = models.Model(model.inputs[0], model.outputs[0])
    assert tuple(functional(images[:2]).shape) == (2, 10)


def test_an_extra_trailing_axis_of_size_1_is_removed():
    model = models.Sequential([layers.Input(shape=(5,)), layers.Dense(1)])
    x = np.ones((2, 5), "float32")
    np.testing.assert_allclose(model.predict(x[..., None], verbose=0), model.predict(x, verbose=0))


@pytest.mark.parametrize("shape,expected", [((2, 5, 2), (None, 5)), ((2,), (None, 5)), ((2, 28), (None, 28, 28, 1))])
def test_other_rank_mismatches_raise_naming_the_input_and_both_shapes(shape, expected):
    model = models.Sequential([layers.Input(shape=expected[1:]), layers.Flatten(), layers.Dense(1)])
    with pytest.raises(ValueError, match=rf"input \"input.*\" of model \"{model.name}\": expected shape "
                                         rf"{str(expected).replace('(', '[(]').replace(')', '[)]')}"):
        model.predict(np.zeros(shape, "float32"), verbose=0)


def test_gradients_flow_through_the_added_axis():
    model = models.Sequential([layers.Input(shape=(1,)), layers.Dense(1)])
    x = tf.constant([1.0, 2.0, 3.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(model(x))
    dx = tape.gradient(y, x)
    np.testing.assert_allclose(dx.numpy(), np.full(3, float(model.layers[0].kernel.numpy()[0, 0])), rtol=1e-6)


def two_input_model():
    a, b = layers.Input((2,), name="a"), layers.Input((3,), name="b")
    out = layers.Dense(1)(layers.Concatenate()([a, b]))
    return models.Model([a, b], out)


def test_dict_inputs_keyed_by_input_names_in_fit_evaluate_predict_and_calls():
    model = two_input_model()
    model.compile(optimizer="sgd", loss="mse")
    xa, xb, y = np.ones((4, 2)), np.ones((4, 3)), np.zeros((4, 1))
    model.fit({"b": xb, "a": xa}, y, epochs=1, verbose=0, validation_data=({"a": xa, "b": xb}, y))
    assert np.isfinite(model.evaluate({"a": xa, "b": xb}, y, verbose=0))
    expected = model.predict([xa, xb], verbose=0)
    np.testing.assert_allclose(model.predict({"b": xb, "a": xa}, verbose=0), expected)
    np.testing.assert_allclose(model({"a": xa, "b": xb}).numpy(), expected, rtol=1e-6)
    single = models.Model(*(lambda i: (i, layers.Dense(1)(i)))(layers.Input((1,), name="x")))
    assert single.predict({"x": XS}, verbose=0).shape == (6, 1)


def test_a_wrong_dict_key_names_the_expected_keys_and_extra_keys_warn():
    model = two_input_model()
    with pytest.raises(ValueError, match=r"without the input\(s\) \['b'\].*inputs are \['a', 'b'\], the dict has "
                                         r"\['a', 'c'\]"):
        model.predict({"a": np.ones((4, 2)), "c": np.ones((4, 3))}, verbose=0)
    with pytest.raises(ValueError, match=r"Missing data for input \"b\".*keys \['a', 'c'\]. Expected the "
                                         r"following keys: \['a', 'b'\]"):
        model({"a": np.ones((4, 2)), "c": np.ones((4, 3))})
    with pytest.warns(UserWarning, match=r"keys \['zz'\] which did not match any input"):
        out = model.predict({"a": np.ones((4, 2)), "b": np.ones((4, 3)), "zz": np.ones((4, 1))}, verbose=0)
    assert out.shape == (4, 1)


def test_a_model_built_from_a_dict_of_inputs_takes_a_dict():
    inputs = {"age": layers.Input((1,), name="age"), "income": layers.Input((1,), name="income")}
    model = models.Model(inputs, layers.Dense(1)(layers.Concatenate()([inputs["age"], inputs["income"]])))
    model.compile(optimizer="sgd", loss="mse")
    x = {"income": XS, "age": XS * 2}  # 1-D columns, as pandas gives them
    model.fit(x, YS, epochs=2, verbose=0)
    assert model.predict(x, verbose=0).shape == (6, 1)


class PairModel(models.Model):
    def __init__(self):
        super().__init__()
        self.dense = layers.Dense(1)

    def call(self, inputs):
        first, second = inputs
        return self.dense(tf.concat([first, second], axis=-1))


class DictModel(models.Model):
    def __init__(self):
        super().__init__()
        self.dense = layers.Dense(1)

    def call(self, inputs):
        return self.dense(tf.concat([inputs["a"], inputs["b"]], axis=-1))


def test_subclassed_models_take_tuples_and_dicts_of_inputs_and_build_from_them():
    xa, xb, y = np.ones((4, 2), "float32"), np.ones((4, 3), "float32"), np.zeros((4, 1), "float32")
    pair = PairModel()
    assert tuple(pair((xa, xb)).shape) == (4, 1)
    pair.compile(optimizer=optimizers.SGD(0.1), loss="mse")
    history = pair.fit((xa, xb), y, epochs=3, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]
    built = PairModel()
    built.build([(None, 2), (None, 3)])
    assert built.count_params() == 6
    by_dict = DictModel()
    by_dict.build({"a": (None, 2), "b": (None, 3)})
    assert by_dict.count_params() == 6
    by_dict.compile(optimizer="sgd", loss="mse")
    by_dict.fit({"a": xa, "b": xb}, y, epochs=1, verbose=0)
    assert by_dict.predict({"a": xa, "b": xb}, verbose=0).shape == (4, 1)


@pytest.mark.parity
def test_parity_tf_keras_2_conforms_1d_inputs_and_channel_less_images_the_same_way():
    tf_keras = pytest.importorskip("tf_keras")
    rng = np.random.default_rng(1)
    images = rng.random((3, 8, 8)).astype("float32")
    for build, x in ((lambda k: k.Sequential([k.layers.Dense(1, input_shape=[1])]), XS),
                     (lambda k: k.Sequential([k.Input((8, 8, 1)), k.layers.Conv2D(2, 3), k.layers.Flatten()]),
                      images)):
        theirs, ours = build(tf_keras), build(tf.keras)
        ours.set_weights(theirs.get_weights())
        np.testing.assert_allclose(ours.predict(x, verbose=0), theirs.predict(x, verbose=0), rtol=1e-5, atol=1e-6)


class WideAndDeep(models.Model):
    """Two inputs and two outputs, as in Hands-On ML chapter 10."""

    def __init__(self):
        super().__init__()
        self.hidden = layers.Dense(4, activation="relu")
        self.main_output = layers.Dense(1)
        self.aux_output = layers.Dense(1)

    def call(self, inputs):
        wide, deep = inputs
        hidden = self.hidden(deep)
        return self.main_output(tf.concat([wide, hidden], axis=-1)), self.aux_output(hidden)


def test_a_subclassed_model_with_two_outputs_names_them_output_1_and_output_2():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((32, 8)).astype("float32")
    y = x[:, 0] * 2.0
    wide, deep = x[:, :5], x[:, 2:]
    model = WideAndDeep()
    model.compile(loss=["mse", "mse"], loss_weights=[0.9, 0.1], optimizer="adam", metrics=["mae"])
    history = model.fit((wide, deep), (y, y), epochs=2, verbose=0, validation_data=((wide, deep), (y, y)))
    assert {"loss", "output_1_loss", "output_2_loss", "output_1_mae", "output_2_mae",
            "val_output_2_mae"} <= set(history.history)
    results = model.evaluate((wide, deep), (y, y), verbose=0, return_dict=True)
    assert results["loss"] == pytest.approx(0.9 * results["output_1_loss"] + 0.1 * results["output_2_loss"],
                                            rel=1e-5)
    main, aux = model.predict((wide[:3], deep[:3]), verbose=0)
    assert main.shape == aux.shape == (3, 1)
