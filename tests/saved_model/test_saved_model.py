"""tf.saved_model.save/load: a directory tensorlet reads back; Keras models with callable signatures, tf.Modules
with their variables and a clear error for their functions, TensorFlow's own SavedModels refused by name."""
from __future__ import annotations

import json
import os

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras import layers, models

X = np.random.default_rng(0).normal(size=(5, 4)).astype(np.float32)


def functional():
    inputs = layers.Input((4,), name="features")
    hidden = layers.Dense(8, activation="relu")(inputs)
    outputs = layers.Dense(3, activation="softmax", name="predictions")(hidden)
    return models.Model(inputs, outputs)


def test_keras_model_round_trip_with_default_signature(tmp_path):
    model = functional()
    path = str(tmp_path / "mobilenet" / "1")
    tf.saved_model.save(model, path)
    assert sorted(os.listdir(path)) == ["assets", "model.keras", "tensorlet_saved_model.json", "variables"]
    assert sorted(os.listdir(os.path.join(path, "variables"))) == ["variables.data-00000-of-00001",
                                                                   "variables.index"]
    loaded = tf.saved_model.load(path)
    assert list(loaded.signatures.keys()) == ["serving_default"]
    infer = loaded.signatures["serving_default"]
    assert list(infer.structured_outputs) == ["predictions"]
    out = infer(tf.constant(X))["predictions"]
    np.testing.assert_allclose(out.numpy(), model(X).numpy(), rtol=1e-6)
    np.testing.assert_allclose(infer(features=X)["predictions"].numpy(), model(X).numpy(), rtol=1e-6)
    np.testing.assert_allclose(loaded(X).numpy(), model(X).numpy(), rtol=1e-6)  # the model itself is back
    assert len(loaded.trainable_variables) == 4
    assert tf.saved_model.contains_saved_model(path)


def test_explicit_signature_functions_are_callable_after_loading(tmp_path):
    model = functional()

    @tf.function(input_signature=[tf.TensorSpec(shape=[None, 4], dtype=tf.float32)])
    def serve(x):
        return {"probabilities": model(x)}

    concrete = tf.function(lambda images: model(images)).get_concrete_function(tf.TensorSpec([None, 4], tf.float32))
    path = str(tmp_path / "m")
    tf.saved_model.save(model, path, signatures={"serving_default": serve, "raw": concrete})
    loaded = tf.saved_model.load(path)
    result = loaded.signatures["serving_default"](x=tf.constant(X))
    assert list(result) == ["probabilities"]
    np.testing.assert_allclose(result["probabilities"].numpy(), model(X).numpy(), rtol=1e-6)
    raw = loaded.signatures["raw"](images=X[:2])
    assert list(raw) == ["output_0"] and raw["output_0"].shape == (2, 3)


def test_signature_inputs_are_checked(tmp_path):
    path = str(tmp_path / "m")
    tf.saved_model.save(functional(), path)
    infer = tf.saved_model.load(path).signatures["serving_default"]
    with pytest.raises(ValueError, match=r"input 'features' must have shape \[None, 4\]"):
        infer(features=np.zeros((2, 5), np.float32))
    with pytest.raises(TypeError, match="has no input 'x'"):
        infer(x=X)
    with pytest.raises(TypeError, match="must have dtype float32"):
        infer(tf.constant(X.astype(np.float64)))


def test_signature_computing_more_than_the_model_needs_code(tmp_path):
    model = functional()

    @tf.function(input_signature=[tf.TensorSpec([None, 4], tf.float32)])
    def top_class(x):
        return {"class": tf.argmax(model(x), axis=-1)}

    path = str(tmp_path / "m")
    tf.saved_model.save(model, path, signatures=top_class)
    loaded = tf.saved_model.load(path)
    np.testing.assert_allclose(loaded(X).numpy(), model(X).numpy(), rtol=1e-6)  # the model still loads
    with pytest.raises(RuntimeError, match="needs its Python code"):
        loaded.signatures["serving_default"](x=X)


class CustomModule(tf.Module):
    """TensorFlow's SavedModel guide's module."""

    def __init__(self):
        super().__init__()
        self.v = tf.Variable(1.0)
        self.table = {"scale": tf.Variable([2.0, 3.0]), "frozen": tf.Variable(0.5, trainable=False)}
        self.parts = [tf.Variable(7)]

    @tf.function
    def __call__(self, x):
        return x * self.v

    @tf.function(input_signature=[tf.TensorSpec([], tf.float32)])
    def mutate(self, new_v):
        self.v.assign(new_v)


def test_module_comes_back_as_its_variables_and_its_functions_raise(tmp_path):
    module = CustomModule()
    module.mutate(tf.constant(4.0))
    path = str(tmp_path / "module_no_signatures")
    tf.saved_model.save(module, path)
    meta = json.loads(open(os.path.join(path, "tensorlet_saved_model.json")).read())
    assert meta["kind"] == "trackable" and set(meta["functions"]) == {"__call__", "mutate"}
    assert "saved_model.pb" not in os.listdir(path)
    imported = tf.saved_model.load(path)
    assert float(imported.v) == 4.0 and imported.table["scale"].numpy().tolist() == [2.0, 3.0]
    assert int(imported.parts[0]) == 7
    assert len(imported.trainable_variables) == 3 and len(imported.non_trainable_variables) == 1
    with pytest.raises(RuntimeError, match=r"'__call__' of the saved .*CustomModule is a tf\.function.*Python code"):
        imported(tf.constant(3.0))
    with pytest.raises(RuntimeError, match="tf.train.Checkpoint"):
        imported.mutate(tf.constant(2.0))
    # the documented way back: the class in Python, its variables from the directory
    fresh = CustomModule()
    tf.train.Checkpoint(root=fresh).read(os.path.join(path, "variables", "variables")).assert_consumed()
    assert float(fresh(tf.constant(3.0))) == 12.0
    again = CustomModule()
    tf.train.Checkpoint(root=again).restore(path).assert_nontrivial_match()  # restore accepts the directory
    assert float(again.v) == 4.0


def test_module_default_signature_is_its_only_function_with_an_input_signature(tmp_path):
    class Scaler(tf.Module):
        def __init__(self):
            super().__init__()
            self.v = tf.Variable(2.0)

        @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
        def scale(self, x):
            self.v.assign_add(1.0)  # not run by save
            return x * self.v

    module = Scaler()
    path = str(tmp_path / "m")
    tf.saved_model.save(module, path)
    assert float(module.v) == 2.0
    loaded = tf.saved_model.load(path)
    assert list(loaded.signatures) == ["serving_default"]
    assert loaded.signatures["serving_default"].structured_input_signature[1]["x"].shape == (None,)
    with pytest.raises(RuntimeError, match="cannot be called after loading"):
        loaded.signatures["serving_default"](x=[1.0])
    assert list(tf.saved_model.load(_saved(CustomModule(), tmp_path / "two")).signatures) == []  # two functions


def _saved(obj, path):
    tf.saved_model.save(obj, str(path))
    return str(path)


def test_keras_load_model_reads_the_directory(tmp_path):
    model = functional()
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    path = str(tmp_path / "saved")
    tf.saved_model.save(model, path)
    again = tf.keras.models.load_model(path)
    np.testing.assert_allclose(again.predict(X, verbose=0), model.predict(X, verbose=0), rtol=1e-6)


def test_subclassed_keras_model_keeps_its_variables(tmp_path):
    class Net(models.Model):
        def __init__(self):
            super().__init__()
            self.d = layers.Dense(2)

        def call(self, x):
            return self.d(x)

    net = Net()
    net(X)
    path = str(tmp_path / "net")
    tf.saved_model.save(net, path)
    loaded = tf.saved_model.load(path)
    np.testing.assert_array_equal(loaded.d.kernel.numpy(), net.d.kernel.numpy())


def test_tensorflow_savedmodel_and_missing_directories_are_named(tmp_path):
    tf_dir = tmp_path / "tf_written"
    tf_dir.mkdir()
    (tf_dir / "saved_model.pb").write_bytes(b"\x08\x01")
    with pytest.raises(ValueError, match="written by TensorFlow.*does not read TensorFlow's SavedModel graph"):
        tf.saved_model.load(str(tf_dir))
    with pytest.raises(tf.errors.NotFoundError, match="SavedModel file does not exist"):
        tf.saved_model.load(str(tmp_path / "nothing"))
    assert not tf.saved_model.contains_saved_model(str(tf_dir))


def test_damaged_description_is_named(tmp_path):
    path = str(tmp_path / "m")
    tf.saved_model.save(functional(), path)
    meta_path = os.path.join(path, "tensorlet_saved_model.json")
    meta = json.loads(open(meta_path).read())
    meta["signatures"]["serving_default"]["model_outputs"] = ["zero"]
    open(meta_path, "w").write(json.dumps(meta))
    with pytest.raises(ValueError, match="signature 'serving_default' is malformed"):
        tf.saved_model.load(path)
    open(meta_path, "w").write("{")
    with pytest.raises(ValueError, match="corrupted"):
        tf.saved_model.load(path)


def test_signature_without_specs_is_refused(tmp_path):
    model = functional()
    with pytest.raises(ValueError, match="has no input_signature"):
        tf.saved_model.save(model, str(tmp_path / "m"), signatures=tf.function(lambda x: model(x)))
    with pytest.raises(ValueError, match="trackable object"):
        tf.saved_model.save(object(), str(tmp_path / "o"))
