"""A table of common mistakes in course code, each with what a good answer looks like.

A case either expects an error (its type, and words its message must hold: the argument or layer, and the value
given) or expects the input to be accepted, as Keras accepts it (then ``check`` judges the result). ``classify``
sorts an outcome into good, vague (an error of another type, or one that does not say what and where) or silent
(no error where one is due, or a wrong result where the input should work). ``test_bad_arguments.py`` asserts
every case is good; ``python -m tests.reliability.bad_arguments`` prints the counts and the cases that are not.
"""
from __future__ import annotations

import contextlib
import io
import os
import tempfile
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass
class Case:
    name: str
    run: Callable[[], Any]
    raises: tuple[type[BaseException], ...] | None = (ValueError, TypeError)  # None: must be accepted
    says: tuple[str, ...] = ()  # words the message must hold (case-insensitive)
    check: Callable[[Any], bool] = field(default=lambda result: True)


def _tf() -> Any:
    import tensorlet as tf

    return tf


def _mlp(classes: int = 3, loss: str = "sparse_categorical_crossentropy", activation: str = "softmax") -> Any:
    tf = _tf()
    m = tf.keras.Sequential([tf.keras.layers.Input(shape=(4,)), tf.keras.layers.Dense(8, activation="relu"),
                             tf.keras.layers.Dense(classes, activation=activation)])
    m.compile(optimizer="adam", loss=loss, metrics=["accuracy"])
    return m


def _binary() -> Any:
    return _mlp(1, "binary_crossentropy", "sigmoid")


def _regressor() -> Any:
    return _mlp(1, "mse", "linear")


def _data(n: int = 12) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(0)
    return rng.random((n, 4)).astype("float32"), np.arange(n) % 3


X, Y = _data()


def _fit(**kwargs: Any) -> Any:
    return _mlp().fit(kwargs.pop("x", X), kwargs.pop("y", Y), verbose=0, **{"epochs": 1, **kwargs})


def _two_inputs() -> Any:
    tf = _tf()
    a = tf.keras.Input(shape=(4,), name="image")
    b = tf.keras.Input(shape=(2,), name="meta")
    out = tf.keras.layers.Dense(1)(tf.keras.layers.Concatenate()([a, b]))
    m = tf.keras.Model({"image": a, "meta": b}, out)
    m.compile(optimizer="sgd", loss="mse")
    return m


def _flat_images() -> Any:
    tf = _tf()
    m = tf.keras.Sequential([tf.keras.layers.Input(shape=(5, 5)), tf.keras.layers.Flatten(),
                             tf.keras.layers.Dense(3, activation="softmax")])
    m.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return m


def _layer_on(shape: tuple[int, ...], layer: Any) -> Any:
    tf = _tf()
    return tf.keras.Sequential([tf.keras.layers.Input(shape=shape), layer]).output_shape


def _save_under_a_file() -> Any:
    folder = tempfile.mkdtemp()
    with open(os.path.join(folder, "notes.txt"), "w") as f:
        f.write("a file")
    return _mlp().save(os.path.join(folder, "notes.txt", "model.keras"))


def _save_unwritable() -> Any:
    """An unwritable folder; as root (who may write anywhere) the refusal is simulated at the open call."""
    folder = tempfile.mkdtemp()
    target = os.path.join(folder, "ro", "model.keras")
    os.makedirs(os.path.dirname(target))
    os.chmod(os.path.dirname(target), 0o555)
    real_open = os.open

    def refuse(path: Any, *args: Any, **kwargs: Any) -> Any:
        if str(path).startswith(os.path.dirname(target)) and (args[0] if args else 0) & os.O_CREAT:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    os.open = refuse
    try:
        return _mlp().save(target)
    finally:
        os.open = real_open
        os.chmod(os.path.dirname(target), 0o755)


def _strings(n: int = 12) -> np.ndarray:
    return np.array([["red", "green", "blue", "red"]] * n)


def _one_hot_fit(**kwargs: Any) -> Any:
    return _mlp(loss="categorical_crossentropy").fit(X, np.eye(3)[Y], verbose=0, **kwargs)


def _history_ok(h: Any) -> bool:
    return hasattr(h, "history") and all(np.isfinite(v).all() for v in h.history.values())


def cases() -> list[Case]:
    tf = _tf()
    L, models = tf.keras.layers, tf.keras.models  # noqa: N806 - the Keras spelling
    gen = lambda: ((X[:4], Y[:4]) for _ in range(100))  # noqa: E731
    return [
        # -- fit: batch_size, epochs, steps ------------------------------------------------------------------
        Case("fit batch_size=0", lambda: _fit(batch_size=0), (ValueError,), ("batch_size", "0")),
        Case("fit batch_size=-1", lambda: _fit(batch_size=-1), (ValueError,), ("batch_size", "-1")),
        Case("fit batch_size=2.5", lambda: _fit(batch_size=2.5), (TypeError, ValueError), ("batch_size", "2.5")),
        Case("fit batch_size='32'", lambda: _fit(batch_size="32"), (TypeError,), ("batch_size", "'32'")),
        Case("fit batch_size=True", lambda: _fit(batch_size=True), (TypeError,), ("batch_size", "True")),
        Case("fit batch_size=np.int64(4) works", lambda: _fit(batch_size=np.int64(4)), None, check=_history_ok),
        Case("fit batch_size=4.0 works", lambda: _fit(batch_size=4.0), None, check=_history_ok),
        Case("fit epochs=0", lambda: _fit(epochs=0), (ValueError,), ("epochs", "0")),
        Case("fit epochs=-2", lambda: _fit(epochs=-2), (ValueError,), ("epochs", "-2")),
        Case("fit epochs=2.5", lambda: _fit(epochs=2.5), (TypeError, ValueError), ("epochs", "2.5")),
        Case("fit epochs='5'", lambda: _fit(epochs="5"), (TypeError,), ("epochs", "'5'")),
        Case("fit steps_per_epoch=0", lambda: _fit(steps_per_epoch=0), (ValueError,), ("steps_per_epoch", "0")),
        Case("fit steps_per_epoch=-3", lambda: _fit(steps_per_epoch=-3), (ValueError,), ("steps_per_epoch", "-3")),
        Case("fit steps_per_epoch=1.5", lambda: _fit(steps_per_epoch=1.5), (TypeError, ValueError),
             ("steps_per_epoch", "1.5")),
        Case("fit initial_epoch=-1", lambda: _fit(initial_epoch=-1), (ValueError,), ("initial_epoch", "-1")),
        Case("fit validation_split=1.0", lambda: _fit(validation_split=1.0), (ValueError,), ("validation_split",)),
        Case("fit validation_split=-0.2", lambda: _fit(validation_split=-0.2), (ValueError,),
             ("validation_split", "-0.2")),
        Case("fit validation_split='0.2'", lambda: _fit(validation_split="0.2"), (TypeError,),
             ("validation_split", "'0.2'")),
        Case("fit validation_split=0.5 on one row", lambda: _fit(x=X[:1], y=Y[:1], validation_split=0.5),
             (ValueError,), ("validation_split",)),
        Case("fit validation_data=(x,)", lambda: _fit(validation_data=(X,)), (ValueError,), ("validation_data",)),
        Case("fit validation_data=x", lambda: _fit(validation_data=X), (ValueError, TypeError),
             ("validation_data",)),
        Case("fit validation_freq=0", lambda: _fit(validation_data=(X, Y), validation_freq=0), (ValueError,),
             ("validation_freq", "0")),
        Case("fit validation_batch_size=0", lambda: _fit(validation_data=(X, Y), validation_batch_size=0),
             (ValueError,), ("validation_batch_size", "0")),
        Case("fit validation_steps=0", lambda: _fit(validation_data=(X, Y), validation_steps=0), (ValueError,),
             ("validation_steps", "0")),
        Case("fit verbose='yes' works (Keras reads it as true)", lambda: _mlp().fit(X, Y, verbose="yes"), None,
             check=_history_ok),
        Case("fit with an unknown keyword", lambda: _fit(batchsize=8), (TypeError,), ("batchsize",)),
        Case("fit before compile", lambda: tf.keras.Sequential([L.Input(shape=(4,)), L.Dense(1)]).fit(X, Y),
             (RuntimeError,), ("compile",)),
        Case("fit with a generator and batch_size works (Keras ignores it)", lambda: _mlp().fit(
            gen(), batch_size=4, steps_per_epoch=2, verbose=0), None, check=_history_ok),
        Case("fit with a generator and validation_split", lambda: _mlp().fit(
            gen(), validation_split=0.2, steps_per_epoch=2, verbose=0), (ValueError,), ("validation_split",)),
        # -- fit: class_weight and sample_weight ---------------------------------------------------------------
        Case("class_weight={-1: 10}", lambda: _fit(class_weight={-1: 10.0}), (ValueError,),
             ("class_weight", "-1")),
        Case("class_weight with an unknown class", lambda: _fit(class_weight={0: 1.0, 1: 1.0, 2: 1.0, 7: 3.0}),
             (ValueError,), ("class_weight", "7")),
        Case("class_weight as a list", lambda: _fit(class_weight=[1.0, 2.0, 3.0]), (TypeError, ValueError),
             ("class_weight", "dict")),
        Case("class_weight with string keys", lambda: _fit(class_weight={"cat": 1.0}), (TypeError, ValueError),
             ("class_weight", "cat")),
        Case("class_weight with a negative weight", lambda: _fit(class_weight={0: -1.0, 1: 1.0, 2: 1.0}),
             (ValueError,), ("class_weight", "-1")),
        Case("class_weight missing a class works", lambda: _fit(class_weight={0: 1.0, 1: 2.0}), None,
             check=_history_ok),
        Case("class_weight with one-hot targets works", lambda: _one_hot_fit(class_weight={0: 1.0, 1: 2.0, 2: 1.0}),
             None, check=_history_ok),
        Case("class_weight for a sigmoid output works", lambda: _binary().fit(X, Y % 2, verbose=0,
                                                                              class_weight={0: 1.0, 1: 3.0}),
             None, check=_history_ok),
        Case("class_weight with class 1 on a sigmoid output of labels 0..2", lambda: _binary().fit(
            X, Y, verbose=0, class_weight={0: 1.0, 1: 2.0, 2: 5.0}), (ValueError,), ("2",)),
        Case("sample_weight of the wrong length", lambda: _fit(sample_weight=np.ones(5)), (ValueError,),
             ("sample_weight", "5")),
        # -- fit: the data --------------------------------------------------------------------------------------
        Case("fit(x.tolist(), y) works", lambda: _fit(x=X.tolist()), None, check=_history_ok),
        Case("fit(x, y.tolist()) works", lambda: _fit(y=Y.tolist()), None, check=_history_ok),
        Case("fit(list of tuples) works", lambda: _fit(x=[tuple(r) for r in X.tolist()]), None, check=_history_ok),
        Case("fit on ragged lists", lambda: _fit(x=[[1.0, 2.0, 3.0, 4.0], [1.0, 2.0]] * 6), (ValueError,),
             ("ragged", "x")),
        Case("fit on an object array", lambda: _fit(x=np.array([np.zeros(4), np.zeros(3)] * 6, dtype=object)),
             (ValueError, TypeError), ("object", "x")),
        Case("fit on string labels", lambda: _fit(y=np.array(["cat", "dog", "bird"] * 4)), (ValueError,),
             ("y", "string", "cat")),
        Case("fit on string labels in a list", lambda: _fit(y=["cat", "dog", "bird"] * 4), (ValueError,),
             ("y", "string")),
        Case("fit on string features", lambda: _fit(x=_strings()), (ValueError,), ("x", "string", "red")),
        Case("fit(x) without y for a loss that needs targets", lambda: _mlp().fit(X, verbose=0), (ValueError,),
             ("y", "sparse_categorical_crossentropy")),
        Case("evaluate(x) without y", lambda: _mlp().evaluate(X, verbose=0), (ValueError,), ("y",)),
        Case("fit with x and y of different lengths", lambda: _fit(y=Y[:5]), (ValueError,), ("12", "5")),
        Case("fit with too few features", lambda: _fit(x=X[:, :3]), (ValueError,), ("4", "3")),
        # an extra trailing axis of size 1 is removed as tf.keras 2 does (training/input_conforming.py); others fail
        Case("fit with an extra dimension", lambda: _fit(x=np.repeat(X[:, :, None], 2, axis=2)), (ValueError,),
             ("4", "(12, 4, 2)")),
        Case("fit on images with a trailing channel axis works (Keras accepts it)", lambda: _flat_images().fit(
            np.zeros((6, 5, 5, 1), "f4"), Y[:6], verbose=0), None, check=_history_ok),
        Case("fit with labels out of range", lambda: _fit(y=Y + 5), (ValueError,), ("label", "3")),
        Case("fit with one-hot targets and a sparse loss", lambda: _fit(y=np.eye(3)[Y]), (ValueError,),
             ("one-hot",)),
        Case("fit with integer labels and categorical_crossentropy", lambda: _mlp(
            loss="categorical_crossentropy").fit(X, Y, verbose=0), (ValueError,), ("one-hot",)),
        Case("fit on a dict with a wrong key", lambda: _two_inputs().fit(
            {"image": X, "metadata": X[:, :2]}, Y, verbose=0), (ValueError,), ("metadata", "meta")),
        Case("fit on a dict missing a key", lambda: _two_inputs().fit({"image": X}, Y, verbose=0), (ValueError,),
             ("meta",)),
        Case("fit on a list for a dict model works", lambda: _two_inputs().fit([X, X[:, :2]], Y, verbose=0), None,
             check=_history_ok),
        Case("fit with x=None", lambda: _mlp().fit(None, Y, verbose=0), (ValueError,), ("x",)),
        Case("fit on an empty array", lambda: _fit(x=X[:0], y=Y[:0]), (ValueError,), ("empty",)),
        Case("fit with NaN in x warns", lambda: _warns(lambda: _fit(x=np.where(X > 0.5, np.nan, X))), None,
             check=lambda w: w),
        # -- compile ----------------------------------------------------------------------------------------------
        Case("compile with a misspelt loss", lambda: _mlp().compile("adam", loss="sparse_categorical_crossentropyy"),
             (ValueError,), ("sparse_categorical_crossentropyy",)),
        Case("compile with a misspelt optimizer", lambda: _mlp().compile("adamm", loss="mse"), (ValueError,),
             ("adamm",)),
        Case("compile with a misspelt metric, at fit", lambda: _compile_fit(metrics=["acuracy"]), (ValueError,),
             ("acuracy",)),
        Case("compile metrics='accuracy' works (tf.keras)", lambda: _compile_fit(metrics="accuracy"), None,
             check=_history_ok),
        Case("compile with an unknown keyword", lambda: _mlp().compile("adam", loss="mse", lr=0.1), (TypeError,),
             ("lr",)),
        Case("fit after compile without a loss", lambda: _compile_fit(loss=None), (ValueError,), ("loss",)),
        # -- predict and evaluate --------------------------------------------------------------------------------
        Case("predict batch_size=0", lambda: _mlp().predict(X, batch_size=0, verbose=0), (ValueError,),
             ("batch_size", "0")),
        Case("predict batch_size=-8", lambda: _mlp().predict(X, batch_size=-8, verbose=0), (ValueError,),
             ("batch_size", "-8")),
        Case("predict batch_size='8'", lambda: _mlp().predict(X, batch_size="8", verbose=0), (TypeError,),
             ("batch_size", "'8'")),
        Case("predict steps=0", lambda: _mlp().predict(X, steps=0, verbose=0), (ValueError,), ("steps", "0")),
        Case("evaluate batch_size=0", lambda: _mlp().evaluate(X, Y, batch_size=0, verbose=0), (ValueError,),
             ("batch_size", "0")),
        Case("predict(x.tolist()) works", lambda: _mlp().predict(X.tolist(), verbose=0), None,
             check=lambda p: np.shape(p) == (12, 3)),
        Case("predict on one sample without the batch axis", lambda: _mlp().predict(X[0], verbose=0),
             (ValueError,), ("(None, 4)",)),
        Case("predict on string features", lambda: _mlp().predict(_strings(), verbose=0), (ValueError,),
             ("string",)),
        Case("predict on ragged lists", lambda: _mlp().predict([[1.0, 2.0, 3.0, 4.0], [1.0]], verbose=0),
             (ValueError,), ("ragged",)),
        # -- Input and shapes -------------------------------------------------------------------------------------
        Case("Input(shape=(-3,))", lambda: L.Input(shape=(-3,)), (ValueError,), ("shape", "-3")),
        Case("Input(shape=(28, -1))", lambda: L.Input(shape=(28, -1)), (ValueError,), ("shape", "-1")),
        Case("Input(shape='784')", lambda: L.Input(shape="784"), (TypeError, ValueError), ("shape", "784")),
        Case("Input(shape=(2.5,))", lambda: L.Input(shape=(2.5,)), (TypeError, ValueError), ("shape", "2.5")),
        Case("Input(shape=784) works (tf.keras)", lambda: L.Input(shape=784), None,
             check=lambda t: tuple(t.shape) == (None, 784)),
        Case("Dense(3, input_shape=784)", lambda: L.Dense(3, input_shape=784), (TypeError, ValueError),
             ("input_shape", "784", "tuple")),
        Case("Dense(3, input_shape=(784,)) works", lambda: tf.keras.Sequential([L.Dense(3, input_shape=(784,))]),
             None, check=lambda m: m.output_shape == (None, 3)),
        Case("Dense(3, input_dim=784) works", lambda: tf.keras.Sequential([L.Dense(3, input_dim=784)]),
             None, check=lambda m: m.output_shape == (None, 3)),
        # -- layer arguments --------------------------------------------------------------------------------------
        Case("Dense(0)", lambda: L.Dense(0), (ValueError,), ("units", "0")),
        Case("Dense(-4)", lambda: L.Dense(-4), (ValueError,), ("units", "-4")),
        Case("Dense(2.5)", lambda: L.Dense(2.5), (TypeError, ValueError), ("units", "2.5")),
        Case("Dense('10')", lambda: L.Dense("10"), (TypeError, ValueError), ("units", "'10'")),
        Case("Dense(10, activation='relux')", lambda: L.Dense(10, activation="relux"), (ValueError,), ("relux",)),
        Case("Conv2D(kernel_size=0)", lambda: L.Conv2D(4, kernel_size=0), (ValueError,), ("kernel_size", "0")),
        Case("Conv2D(kernel_size=(3,))", lambda: L.Conv2D(4, kernel_size=(3,)), (ValueError,), ("kernel_size",)),
        Case("Conv2D(filters=0)", lambda: L.Conv2D(0, 3), (ValueError,), ("filters", "0")),
        Case("Conv2D(strides=0)", lambda: L.Conv2D(4, 3, strides=0), (ValueError,), ("strides", "0")),
        Case("Conv2D(padding='sam')", lambda: L.Conv2D(4, 3, padding="sam"), (ValueError,), ("padding", "sam")),
        Case("Conv2D kernel larger than its input", lambda: _layer_on((2, 2, 1), L.Conv2D(1, 3)), (ValueError,),
             ("conv2d", "3", "(None, 2, 2, 1)")),
        Case("Conv2D on images without a channel axis", lambda: _layer_on((28, 28), L.Conv2D(4, 3)),
             (ValueError,), ("ndim",)),
        Case("Conv1D(kernel_size=0)", lambda: L.Conv1D(4, kernel_size=0), (ValueError,), ("kernel_size", "0")),
        Case("MaxPooling2D window larger than its input", lambda: _layer_on((2, 2, 1), L.MaxPooling2D(3)),
             (ValueError,), ("max_pooling2d", "3", "(None, 2, 2, 1)")),
        Case("AveragePooling2D window larger than its input", lambda: _layer_on((4, 4, 1), L.AveragePooling2D(5)),
             (ValueError,), ("average_pooling2d", "5")),
        Case("MaxPooling1D window larger than its input", lambda: _layer_on((2, 3), L.MaxPooling1D(4)),
             (ValueError,), ("max_pooling1d", "4")),
        Case("MaxPooling2D(pool_size=0)", lambda: L.MaxPooling2D(0), (ValueError,), ("pool_size", "0")),
        Case("MaxPooling2D(strides=0)", lambda: L.MaxPooling2D(2, strides=0), (ValueError,), ("strides", "0")),
        Case("MaxPooling2D(padding='full')", lambda: L.MaxPooling2D(2, padding="full"), (ValueError,),
             ("padding", "full")),
        Case("Dropout(1.5)", lambda: L.Dropout(1.5), (ValueError,), ("rate", "1.5")),
        Case("Dropout(-0.1)", lambda: L.Dropout(-0.1), (ValueError,), ("rate", "-0.1")),
        Case("Embedding(input_dim=0)", lambda: L.Embedding(0, 8), (ValueError,), ("input_dim", "0")),
        Case("Embedding(output_dim=0)", lambda: L.Embedding(10, 0), (ValueError,), ("output_dim", "0")),
        Case("LSTM(0)", lambda: L.LSTM(0), (ValueError,), ("units", "0")),
        Case("GRU(-1)", lambda: L.GRU(-1), (ValueError,), ("units", "-1")),
        Case("LSTM on 2-D input", lambda: _layer_on((4,), L.LSTM(3)), (ValueError,), ("ndim",)),
        Case("Reshape((-1, -1))", lambda: L.Reshape((-1, -1)), (ValueError,), ("-1",)),
        Case("Reshape to the wrong size", lambda: _layer_on((4,), L.Reshape((3, 3))), (ValueError,), ("9",)),
        Case("Sequential.add('dense')", lambda: tf.keras.Sequential().add("dense"), (TypeError, ValueError),
             ("dense",)),
        Case("Sequential([Dense(3), 'relu'])", lambda: tf.keras.Sequential([L.Dense(3), "relu"]),
             (TypeError, ValueError), ("relu",)),
        Case("Concatenate of mismatched shapes", lambda: L.Concatenate()([L.Input(shape=(2, 3)),
                                                                         L.Input(shape=(4, 5))]),
             (ValueError,), ("concatenate",)),
        # -- files ------------------------------------------------------------------------------------------------
        Case("save() onto a path under a file", _save_under_a_file, (NotADirectoryError,),
             ("notes.txt", "model.keras")),
        Case("save() into an unwritable folder", _save_unwritable, (PermissionError,),
             ("cannot save to", "ro/model.keras")),
        Case("load_model of a missing file", lambda: models.load_model("no/such/model.keras"),
             (FileNotFoundError, OSError), ("no/such/model.keras",)),
        Case("load_model of a text file", lambda: models.load_model(_text_file()), (ValueError,), ("notes",)),
        Case("load_weights of the wrong shape", lambda: _wrong_weights(), (ValueError,), ("shape",)),
        Case("to_categorical with a label past num_classes", lambda: tf.keras.utils.to_categorical([0, 5], 3),
             (ValueError,), ("5", "num_classes")),
    ]


def _warns(fn: Callable[[], Any]) -> bool:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fn()
    return any("NaN" in str(w.message) for w in caught)


def _compile_fit(**compile_kwargs: Any) -> Any:
    tf = _tf()
    m = tf.keras.Sequential([tf.keras.layers.Input(shape=(4,)), tf.keras.layers.Dense(3, activation="softmax")])
    m.compile(optimizer="adam", **{"loss": "sparse_categorical_crossentropy", **compile_kwargs})
    return m.fit(X, Y, verbose=0)


def _text_file() -> str:
    path = os.path.join(tempfile.mkdtemp(), "notes.keras")
    with open(path, "w") as f:
        f.write("just some notes")
    return path


def _wrong_weights() -> Any:
    tf = _tf()
    path = os.path.join(tempfile.mkdtemp(), "w.weights.h5")
    _mlp().save_weights(path)
    other = tf.keras.Sequential([tf.keras.layers.Input(shape=(4,)), tf.keras.layers.Dense(5, activation="relu"),
                                 tf.keras.layers.Dense(3)])
    return other.load_weights(path)


def classify(case: Case) -> tuple[str, str]:
    """('good' | 'vague' | 'silent', what happened)."""
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            result = case.run()
    except Exception as e:  # noqa: BLE001 - the outcome being classified
        text = f"{type(e).__name__}: {e}"
        if case.raises is None:
            return "vague", f"raised where Keras accepts the input: {text[:300]}"
        missing = [w for w in case.says if w.lower() not in str(e).lower()]
        if isinstance(e, case.raises) and not missing:
            return "good", text[:300]
        why = f"not {'/'.join(t.__name__ for t in case.raises)}" if not isinstance(e, case.raises) else \
            f"does not say {missing}"
        return "vague", f"{why}: {text[:300]}"
    if case.raises is not None:
        return "silent", f"accepted, returned {str(result)[:120]}"
    return ("good", "accepted") if case.check(result) else ("silent", f"accepted with a wrong result: {result!r}"[:300])


def main() -> None:
    import sys
    from collections import Counter

    verbose = "-v" in sys.argv
    counts: Counter[str] = Counter()
    for case in cases():
        outcome, what = classify(case)
        counts[outcome] += 1
        if outcome != "good" or verbose:
            print(f"{outcome:>6}  {case.name}: {what}")
    print(f"\n{sum(counts.values())} cases: {counts['good']} good, {counts['vague']} vague, {counts['silent']} silent")


if __name__ == "__main__":
    main()
