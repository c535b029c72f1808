"""What the trainer matches by key and passes on in its own structure: dict outputs, tuple and dict inputs."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras import layers, models


def keyed_model():
    """Dict outputs whose keys differ from the layer names, declared out of sorted order."""
    inp = layers.Input(shape=(3,), name="x")
    return models.Model(inp, {"second": layers.Dense(1, name="zeta")(inp),
                              "first": layers.Dense(2, name="alpha")(inp)})


def keyed_data(n=16):
    rng = np.random.default_rng(0)
    x = rng.standard_normal((n, 3)).astype("float32")
    return x, {"second": x[:, :1] * 2.0, "first": np.zeros((n, 2), "float32")}


def test_dict_outputs_take_losses_metrics_and_targets_by_key():
    model = keyed_model()
    model.compile("sgd", loss={"second": "mse", "first": "mae"}, loss_weights={"first": 0.0, "second": 1.0},
                  metrics={"second": ["mae"]})
    x, y = keyed_data()
    history = model.fit(x, y, epochs=1, verbose=0)
    # loss trackers and metric prefixes carry the layer names, as in tf.keras 2
    assert list(history.history) == ["loss", "alpha_loss", "zeta_loss", "zeta_mae"]
    logs = model.evaluate(x, y, verbose=0, return_dict=True)
    pred = model.predict(x, verbose=0)
    assert list(pred) == ["second", "first"]
    mse = float(np.mean((pred["second"] - y["second"]) ** 2))
    assert logs["zeta_loss"] == pytest.approx(mse, rel=1e-4) and logs["loss"] == pytest.approx(mse, rel=1e-4)


def test_dict_outputs_unknown_loss_key_names_the_keys():
    model = keyed_model()
    with pytest.raises(ValueError, match=r"Unknown output name\(s\) in loss: \['zeta'\].*\['first', 'second'\]"):
        model.compile("sgd", loss={"zeta": "mse", "first": "mse"})
        model.fit(*keyed_data(), epochs=1, verbose=0)


def test_dict_outputs_sample_weight_by_key():
    model = keyed_model()
    model.compile("sgd", loss={"second": "mse", "first": "mse"})
    x, y = keyed_data()
    zero = model.evaluate(x, y, sample_weight={"second": np.zeros(16), "first": np.ones(16)}, verbose=0,
                          return_dict=True)
    assert zero["zeta_loss"] == 0.0 and zero["alpha_loss"] > 0.0


class Recording(tf.keras.Model):
    """A subclassed two-input model that remembers the container type it was called with."""

    def __init__(self):
        super().__init__()
        self.dense = layers.Dense(1)
        self.seen = set()

    def call(self, inputs, training=None):
        self.seen.add(type(inputs).__name__)
        a, b = (inputs["a"], inputs["b"]) if isinstance(inputs, dict) else inputs
        return self.dense(tf.concat([a, b], axis=-1))


@pytest.mark.parametrize("eager", [False, True])
def test_fit_and_predict_pass_a_tuple_of_inputs_as_a_tuple(eager):
    model = Recording()
    model.compile("sgd", "mse", run_eagerly=eager)
    rng = np.random.default_rng(0)
    x = (rng.standard_normal((8, 2)).astype("float32"), rng.standard_normal((8, 3)).astype("float32"))
    model.fit(x, np.zeros((8, 1), "float32"), batch_size=4, epochs=1, verbose=0)
    assert model.predict(x, verbose=0).shape == (8, 1)
    assert model.seen == {"tuple"}


def test_fit_dict_inputs_in_any_insertion_order():
    a, b = layers.Input(shape=(2,), name="a"), layers.Input(shape=(3,), name="b")
    model = models.Model({"a": a, "b": b}, layers.Dense(1)(layers.Concatenate()([a, b])))
    model.compile("sgd", "mse")
    rng = np.random.default_rng(0)
    xa, xb = rng.standard_normal((8, 2)).astype("float32"), rng.standard_normal((8, 3)).astype("float32")
    y = np.zeros((8, 1), "float32")
    first = model.evaluate({"a": xa, "b": xb}, y, verbose=0)
    assert model.evaluate({"b": xb, "a": xa}, y, verbose=0) == pytest.approx(first)
    np.testing.assert_allclose(model.predict({"b": xb, "a": xa}, verbose=0),
                               model.predict({"a": xa, "b": xb}, verbose=0))


@pytest.mark.parity
def test_parity_dict_output_logs_and_predict_with_tf_keras():
    tf_keras = pytest.importorskip("tf_keras")
    x, y = keyed_data()
    names = {}
    for lib, build in (("ours", keyed_model), ("theirs", None)):
        if build is None:
            inp = tf_keras.Input((3,), name="x")
            model = tf_keras.Model(inp, {"second": tf_keras.layers.Dense(1, name="zeta")(inp),
                                         "first": tf_keras.layers.Dense(2, name="alpha")(inp)})
        else:
            model = build()
        model.compile("sgd", loss={"second": "mse", "first": "mse"}, metrics={"second": "mae"})
        history = model.fit(x, y, epochs=1, verbose=0)
        names[lib] = (list(history.history), list(model.predict(x, verbose=0)))
    assert names["ours"] == names["theirs"]


def test_compiled_loss_takes_dict_targets_by_key():
    model = keyed_model()
    model.compile("sgd", loss={"second": "mse", "first": "mse"}, loss_weights={"first": 0.0, "second": 1.0})
    x, y = keyed_data()
    pred = model(x)
    expected = float(np.mean((pred["second"].numpy() - y["second"]) ** 2))
    assert float(model.compiled_loss(y, pred)) == pytest.approx(expected, rel=1e-5)
    assert float(model.compiled_loss({"first": y["first"], "second": y["second"]}, pred)) == pytest.approx(
        expected, rel=1e-5)


def test_predictions_do_not_depend_on_the_batch_split():
    rng = np.random.default_rng(0)
    model = models.Sequential([layers.Input((20,)), layers.Dense(300, activation="relu"), layers.Dense(7)])
    x = rng.standard_normal((257, 20)).astype("float32")
    full = model.predict(x, verbose=0)
    for start, n in [(0, 1), (7, 2), (3, 13), (200, 33), (100, 100)]:
        np.testing.assert_array_equal(model.predict(x[start:start + n], verbose=0), full[start:start + n])
    perm = rng.permutation(len(x))
    np.testing.assert_array_equal(model.predict(x[perm], verbose=0), full[perm])
    for batch_size in (32, 100, 257):
        np.testing.assert_array_equal(model.predict(x, batch_size=batch_size, verbose=0), full)
