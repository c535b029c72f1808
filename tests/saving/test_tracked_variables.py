"""Saving subclassed models whose attributes hold variables, layers and containers (issue 25 item 1)."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras import models, utils

h5py = pytest.importorskip("h5py")

X = np.linspace(-1.0, 1.0, 12, dtype="float32").reshape(4, 3)


def make_classes(keras, variable):
    """The same subclassed model in tensorlet or in Keras 3 (``variable`` makes an attribute variable)."""

    class Inner(keras.layers.Layer):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.d = keras.layers.Dense(2)
            self.v = variable(1.5, "v")
            self.nt = variable(0.25, "nt", trainable=False)

        def build(self, input_shape):
            self.k = self.add_weight(name="k", shape=(1,), initializer="ones")

        def call(self, x):
            return self.d(x) * self.v + self.k + self.nt

    class Outer(keras.Model):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.w = variable(0.5, "w")
            self.inner = Inner()
            self.stack = [keras.layers.Dense(3), keras.layers.Dense(2)]
            self.heads = {"z": keras.layers.Dense(2), "y": keras.layers.Dense(1)}

        def call(self, x):
            h = self.stack[1](self.stack[0](self.inner(x)))
            return self.heads["y"](self.heads["z"](h)) * self.w

    return Outer


def ours():
    return make_classes(tf.keras, lambda v, name, trainable=True: tf.Variable(v, name=name, trainable=trainable))


def _datasets(path):
    out = {}
    with h5py.File(path, "r") as f:
        f.visititems(lambda name, obj: out.__setitem__(name, obj.shape) if isinstance(obj, h5py.Dataset) else None)
    return out


def test_weights_h5_of_a_subclassed_model_uses_keras_3_attribute_paths(tmp_path):
    utils.set_random_seed(1)
    model = ours()()
    model(X)
    path = str(tmp_path / "m.weights.h5")
    model.save_weights(path)
    # the layout Keras 3 writes for the same model (seen with keras 3.15): attributes sorted, `layers` among them,
    # dict items named by class in insertion order, the owner's variables under vars (trainable first)
    assert _datasets(path) == {
        "heads/dense/vars/0": (2, 2), "heads/dense/vars/1": (2,), "heads/dense_1/vars/0": (2, 1),
        "heads/dense_1/vars/1": (1,), "inner/d/vars/0": (3, 2), "inner/d/vars/1": (2,), "inner/vars/0": (),
        "inner/vars/1": (1,), "inner/vars/2": (), "layers/dense/vars/0": (2, 3), "layers/dense/vars/1": (3,),
        "layers/dense_1/vars/0": (3, 2), "layers/dense_1/vars/1": (2,), "vars/0": ()}
    other = ours()()
    other(X)
    other.load_weights(path)
    np.testing.assert_allclose(other.predict(X, verbose=0), model.predict(X, verbose=0), rtol=1e-6)
    assert float(other.w.numpy()) == 0.5 and float(other.inner.nt.numpy()) == 0.25


@pytest.mark.parametrize("name", ["w.h5", "w.weights.h5"])
def test_save_and_load_weights_round_trip_attribute_variables(tmp_path, name):
    model = ours()()
    model(X)
    model.w.assign(2.0)
    model.inner.v.assign(-1.0)
    path = str(tmp_path / name)
    model.save_weights(path)
    other = ours()()
    other(X)
    other.load_weights(path)
    for a, b in zip(other.get_weights(), model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_legacy_h5_keeps_a_models_own_variables_in_top_level_model_weights(tmp_path):
    model = ours()()
    model(X)
    path = str(tmp_path / "w.h5")
    model.save_weights(path)
    with h5py.File(path, "r") as f:  # where tf.keras 2 writes them (seen with tf_keras 2.21)
        names = [n.decode() if isinstance(n, bytes) else n for n in f["top_level_model_weights"].attrs["weight_names"]]
        assert names == ["w:0"]
        assert f["top_level_model_weights"]["w:0"].shape == ()


def test_keras_file_round_trip_of_a_registered_subclassed_model(tmp_path):
    Outer = ours()
    utils.register_keras_serializable(package="tracking_test")(Outer)
    model = Outer()
    model.compile("adam", "mse")
    model.fit(X, np.ones((4, 1), "float32"), epochs=2, verbose=0)
    path = str(tmp_path / "m.keras")
    model.save(path)
    loaded = models.load_model(path)
    np.testing.assert_allclose(loaded.predict(X, verbose=0), model.predict(X, verbose=0), rtol=1e-6)
    assert float(loaded.w.numpy()) == float(model.w.numpy())


@pytest.mark.parity
def test_parity_keras3_weights_files_of_subclassed_models_load_both_ways(tmp_path):
    keras = pytest.importorskip("keras")
    if keras.__version__ < "3":
        pytest.skip("needs Keras 3")
    theirs = make_classes(keras, lambda v, name, trainable=True: keras.Variable(v, name=name, trainable=trainable))()
    theirs(X)
    path = str(tmp_path / "theirs.weights.h5")
    theirs.save_weights(path)
    model = ours()()
    model(X)
    model.load_weights(path)
    expected = np.asarray(theirs.predict(X, verbose=0))
    np.testing.assert_allclose(model.predict(X, verbose=0), expected, rtol=1e-5, atol=1e-6)
    model.w.assign(-0.75)
    back = str(tmp_path / "ours.weights.h5")
    model.save_weights(back)
    theirs.load_weights(back)
    np.testing.assert_allclose(np.asarray(theirs.predict(X, verbose=0)), model.predict(X, verbose=0), rtol=1e-5,
                               atol=1e-6)


@pytest.mark.parity
def test_parity_tf_keras_2_h5_weights_with_top_level_model_weights_load(tmp_path):
    pytest.importorskip("tensorflow")
    tf_keras = pytest.importorskip("tf_keras")
    import tensorflow as real_tf

    theirs = make_classes(tf_keras, lambda v, name, trainable=True: real_tf.Variable(v, name=name,
                                                                                     trainable=trainable))()
    theirs(X)
    path = str(tmp_path / "theirs.h5")
    theirs.save_weights(path)
    model = ours()()
    model(X)
    assert [tuple(w.shape) for w in model.weights] == [tuple(w.shape) for w in theirs.weights]
    model.load_weights(path)
    np.testing.assert_allclose(model.predict(X, verbose=0), theirs.predict(X, verbose=0), rtol=1e-5, atol=1e-6)
