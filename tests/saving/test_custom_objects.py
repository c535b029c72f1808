"""load_model finds user objects, functions as well as classes, in .keras and .h5 files: through custom_objects=
or through register_keras_serializable (issue 25 item 3)."""
from __future__ import annotations

import warnings

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras import layers, losses, metrics, models, saving

pytest.importorskip("h5py")

X = np.random.default_rng(0).standard_normal((16, 3)).astype("float32")
Y = np.random.default_rng(1).standard_normal((16, 2)).astype("float32")


def soft_clip(x):
    return tf.tanh(x) * 2.0


def half_init(shape, dtype=None):
    return np.full(shape, 0.5, dtype=dtype or "float32")


def tiny_l2(w):
    return 0.001 * tf.reduce_sum(tf.square(w))


def clip_half(w):
    return tf.clip_by_value(w, -0.5, 0.5)


def squared_error(y_true, y_pred):
    return tf.reduce_mean(tf.square(y_true - y_pred), axis=-1)


def abs_error(y_true, y_pred):
    return tf.reduce_mean(tf.abs(y_true - y_pred), axis=-1)


FUNCTIONS = {f.__name__: f for f in (soft_clip, half_init, tiny_l2, clip_half, squared_error, abs_error)}


def build(kind: str, fn=None):
    """A small model that uses ``fn`` as its ``kind`` of object, compiled and trained for one epoch."""
    fn = fn or {"activation": soft_clip, "initializer": half_init, "regularizer": tiny_l2, "constraint": clip_half,
                "loss": squared_error, "metric": abs_error}[kind]
    dense = {"activation": {"activation": fn}, "initializer": {"kernel_initializer": fn},
             "regularizer": {"kernel_regularizer": fn}, "constraint": {"kernel_constraint": fn}}.get(kind, {})
    model = models.Sequential([layers.Input(shape=(3,)), layers.Dense(2, name="out", **dense)])
    model.compile(optimizer="sgd", loss=fn if kind == "loss" else "mse", metrics=[fn] if kind == "metric" else None)
    model.fit(X, Y, epochs=1, verbose=0)
    return model


def save(model, tmp_path, ext):
    path = str(tmp_path / f"model{ext}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # the legacy .h5 notice
        model.save(path)
    return path


def uses(model, kind):
    """The object of ``kind`` the loaded model holds."""
    dense = model.get_layer("out")
    if kind == "loss":
        return model._compile_args[0]
    if kind == "metric":
        return model._compile_args[1][0].fn
    return {"activation": dense.activation, "initializer": dense.kernel_initializer,
            "regularizer": dense.kernel_regularizer, "constraint": dense.kernel_constraint}[kind]


KINDS = ["activation", "initializer", "regularizer", "constraint", "loss", "metric"]


@pytest.mark.parametrize("ext", [".keras", ".h5"])
@pytest.mark.parametrize("kind", KINDS)
def test_custom_functions_resolve_through_custom_objects(tmp_path, kind, ext):
    model = build(kind)
    path = save(model, tmp_path, ext)
    loaded = models.load_model(path, custom_objects=FUNCTIONS)
    expected = {"activation": soft_clip, "initializer": half_init, "regularizer": tiny_l2, "constraint": clip_half,
                "loss": squared_error, "metric": abs_error}[kind]
    assert uses(loaded, kind) is expected
    np.testing.assert_allclose(loaded.predict(X, verbose=0), model.predict(X, verbose=0), rtol=1e-6)
    logs = loaded.evaluate(X, Y, verbose=0, return_dict=True)
    np.testing.assert_allclose(logs["loss"], model.evaluate(X, Y, verbose=0, return_dict=True)["loss"], rtol=1e-5)
    if kind == "metric":
        assert "abs_error" in logs
    loaded.fit(X, Y, epochs=1, verbose=0)  # names resolved at load, not at the first batch after it


@pytest.mark.parametrize("ext", [".keras", ".h5"])
@pytest.mark.parametrize("kind", KINDS)
def test_registered_functions_resolve_without_custom_objects(tmp_path, kind, ext):
    def fresh(x, *rest, **kwargs):  # a function the loader could not find by its plain name
        return original(x, *rest, **kwargs)

    original = {"activation": soft_clip, "initializer": half_init, "regularizer": tiny_l2, "constraint": clip_half,
                "loss": squared_error, "metric": abs_error}[kind]
    fresh.__name__ = f"course_{kind}"
    saving.register_keras_serializable(package="course")(fresh)
    path = save(build(kind, fresh), tmp_path, ext)
    loaded = models.load_model(path)
    assert uses(loaded, kind) is fresh
    loaded.fit(X, Y, epochs=1, verbose=0)


@pytest.mark.parametrize("ext", [".keras", ".h5"])
def test_a_missing_custom_function_is_named_with_the_way_to_pass_it(tmp_path, ext):
    path = save(build("regularizer"), tmp_path, ext)
    with pytest.raises(ValueError, match="Unknown regularizer: 'tiny_l2'.*custom_objects"):
        models.load_model(path)


@pytest.mark.parametrize("ext", [".keras", ".h5"])
def test_custom_objects_take_precedence_over_scopes_and_registered_objects(tmp_path, ext):
    path = save(build("activation"), tmp_path, ext)

    def registered(x):
        return x

    def scoped(x):
        return x

    saving.register_keras_serializable(package="course", name="soft_clip")(registered)
    assert models.load_model(path).get_layer("out").activation is registered
    with saving.custom_object_scope({"soft_clip": scoped}):
        assert models.load_model(path).get_layer("out").activation is scoped
        loaded = models.load_model(path, custom_objects={"soft_clip": soft_clip})
        assert loaded.get_layer("out").activation is soft_clip


@saving.register_keras_serializable(package="course")
class Scale(layers.Layer):
    """y = factor * x, with a trainable factor."""

    def __init__(self, initial: float = 2.0, **kwargs):
        super().__init__(**kwargs)
        self.initial = initial

    def build(self, input_shape):
        self.factor = self.add_weight(name="factor", shape=(), initializer=tf.keras.initializers.Constant(self.initial))

    def call(self, x):
        return x * self.factor

    def get_config(self):
        return {**super().get_config(), "initial": self.initial}


@saving.register_keras_serializable(package="course")
class ScaledMSE(losses.Loss):
    def __init__(self, scale: float = 1.0, **kwargs):
        super().__init__(**kwargs)
        self.scale = scale

    def call(self, y_true, y_pred):
        return self.scale * tf.reduce_mean(tf.square(y_true - y_pred), axis=-1)

    def get_config(self):
        return {**super().get_config(), "scale": self.scale}


@saving.register_keras_serializable(package="course")
def shifted_relu(x):
    return tf.nn.relu(x - 0.1)


class Worst(metrics.MeanMetricWrapper):
    def __init__(self, name="worst", dtype=None):
        super().__init__(abs_error, name=name, dtype=dtype)


@pytest.mark.parametrize("ext", [".keras", ".h5"])
def test_a_custom_layer_loss_metric_and_activation_round_trip(tmp_path, ext):
    model = models.Sequential([layers.Input(shape=(3,)), layers.Dense(4, activation=shifted_relu),
                               Scale(1.5, name="scale"), layers.Dense(2)])
    model.compile(optimizer="adam", loss=ScaledMSE(2.0), metrics=[Worst()])
    model.fit(X, Y, epochs=2, verbose=0)
    path = save(model, tmp_path, ext)
    loaded = models.load_model(path, custom_objects={"Worst": Worst})  # Scale, ScaledMSE, shifted_relu: registered
    assert type(loaded.get_layer("scale")) is Scale and loaded.layers[0].activation is shifted_relu
    assert type(loaded._compile_args[0]) is ScaledMSE and loaded._compile_args[0].scale == 2.0
    assert type(loaded._compile_args[1][0]) is Worst
    np.testing.assert_allclose(loaded.predict(X, verbose=0), model.predict(X, verbose=0), rtol=1e-6)
    np.testing.assert_allclose(loaded.evaluate(X, Y, verbose=0), model.evaluate(X, Y, verbose=0), rtol=1e-5)
    with pytest.raises(ValueError, match="Worst"):
        models.load_model(path)


def test_model_from_json_takes_custom_objects():
    model = models.Sequential([layers.Input(shape=(3,)), layers.Dense(2, activation=soft_clip)])
    rebuilt = models.model_from_json(model.to_json(), custom_objects={"soft_clip": soft_clip})
    assert rebuilt.layers[0].activation is soft_clip
    with saving.custom_object_scope({"soft_clip": soft_clip}):
        assert models.model_from_config(tf.keras.utils.serialize_keras_object(model)).layers[0].activation \
            is soft_clip


@pytest.mark.parity
def test_keras3_files_with_custom_functions_load(tmp_path):
    """Keras 3 writes functions as {"class_name": "function", "config": name} dicts, in layers and compile."""
    keras = pytest.importorskip("keras")
    if keras.__version__ < "3":
        pytest.skip("needs Keras 3")

    def k_soft_clip(x):
        return keras.ops.tanh(x) * 2.0

    def k_squared_error(y_true, y_pred):
        return keras.ops.mean(keras.ops.square(y_true - y_pred), axis=-1)

    def k_abs_error(y_true, y_pred):
        return keras.ops.mean(keras.ops.abs(y_true - y_pred), axis=-1)

    for fn, name in ((k_soft_clip, "soft_clip"), (k_squared_error, "squared_error"), (k_abs_error, "abs_error")):
        fn.__name__ = name
    k = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2, activation=k_soft_clip, name="out")])
    k.compile(optimizer="sgd", loss=k_squared_error, metrics=[k_abs_error])
    k.fit(X, Y, epochs=1, verbose=0)
    path = str(tmp_path / "theirs.keras")
    k.save(path)
    loaded = models.load_model(path, custom_objects=FUNCTIONS)
    assert loaded.get_layer("out").activation is soft_clip and loaded._compile_args[0] is squared_error
    np.testing.assert_allclose(loaded.predict(X, verbose=0), np.asarray(k.predict(X, verbose=0)), rtol=1e-5,
                               atol=1e-6)
    assert "abs_error" in loaded.evaluate(X, Y, verbose=0, return_dict=True)
