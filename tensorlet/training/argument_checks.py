"""The checks ``fit``, ``evaluate`` and ``predict`` make on their arguments before any work: each mistake gets a
``ValueError`` or ``TypeError`` naming the argument, what was expected and what was given, instead of a silent
reinterpretation (``batch_size=0`` meaning 32, ``class_weight={-1: 10}`` weighting the last class) or an error
from deep inside NumPy. Input forms Keras accepts are accepted: NumPy integers and whole floats for counts, a list
of rows (lists or tuples of numbers) as one input array, a list of arrays for a model with a dict of inputs.
"""
from __future__ import annotations

import numbers
from collections.abc import Iterable
from typing import Any

import numpy as np

from tensorlet.autodiff.tensor import Tensor


def count(value: Any, name: str, *, allow_none: bool = True, allow_minus_one: bool = False) -> int | None:
    """``value`` as a positive int (``None`` passes when allowed; ``-1`` means None for tf.keras' steps).

    Raises:
        TypeError: not a whole number (a string, a bool, 2.5).
        ValueError: zero or negative.
    """
    if value is None and allow_none:
        return None
    whole = isinstance(value, numbers.Real) and not isinstance(value, bool) and float(value).is_integer()
    if not whole:
        raise TypeError(f"`{name}` must be a positive integer{' or None' if allow_none else ''}; received "
                        f"{name}={value!r} of type {type(value).__name__}")
    if allow_minus_one and int(value) == -1:
        return None
    if int(value) <= 0:
        raise ValueError(f"`{name}` must be a positive integer{' or None' if allow_none else ''}; received "
                         f"{name}={value!r}")
    return int(value)


def verbosity(verbose: Any) -> int:
    """Keras' ``verbose``: "auto" is 1, 0/1/2 as given, anything else by its truth (Keras reads "yes" as on)."""
    if verbose == "auto":
        return 1
    if isinstance(verbose, numbers.Integral) and not isinstance(verbose, bool) and 0 <= int(verbose) <= 2:
        return int(verbose)
    return 1 if verbose else 0


def fit_arguments(epochs: Any, initial_epoch: Any, validation_split: Any, validation_freq: Any) -> tuple[int, int]:
    """Check the epoch counts, ``validation_split``'s type and ``validation_freq``; return (epochs,
    initial_epoch) as ints."""
    epochs_ = count(epochs, "epochs", allow_none=False)
    assert epochs_ is not None
    whole = isinstance(initial_epoch, numbers.Real) and not isinstance(initial_epoch, bool) and \
        float(initial_epoch).is_integer()
    if not whole or initial_epoch < 0:
        raise ValueError(f"`initial_epoch` must be a non-negative integer; received initial_epoch={initial_epoch!r}")
    if isinstance(validation_split, bool) or not isinstance(validation_split, numbers.Real):
        raise TypeError(f"`validation_split` must be a float in [0, 1); received validation_split="
                        f"{validation_split!r} of type {type(validation_split).__name__}")
    if isinstance(validation_freq, Iterable) and not isinstance(validation_freq, (str, bytes)):
        for epoch in validation_freq:
            count(epoch, "validation_freq", allow_none=False)
    else:
        count(validation_freq, "validation_freq", allow_none=False)
    return epochs_, int(initial_epoch)


def is_plain_rows(x: Any) -> bool:
    """A list (or tuple) of Python lists/tuples/numbers: rows of one input, as course code passes them."""
    return isinstance(x, (list, tuple)) and len(x) > 0 and all(
        isinstance(v, (list, tuple, numbers.Number, str, bytes)) for v in x)


def _input_count(model: Any) -> int | None:
    inputs = getattr(model, "inputs", None)
    return len(inputs) if inputs else (1 if hasattr(model, "_stack") else None)


def rows_to_array(x: Any, name: str) -> np.ndarray:
    """Nested lists as one array; ragged ones get an error saying so."""
    try:
        with np.errstate(all="ignore"):
            return np.asarray(x)
    except ValueError:
        lengths = sorted({len(r) for r in x if hasattr(r, "__len__")})
        raise ValueError(f"`{name}` is a ragged list: its rows have different lengths {lengths[:6]}. Give every row "
                         "the same length (e.g. keras.utils.pad_sequences for sequences) or pass a NumPy array "
                         "of shape (samples, features).") from None


def conform_x(model: Any, x: Any, name: str = "x") -> Any:
    """Accept a list of rows as one input array (for a model with one input, or with as many inputs as rows is
    unlikely); refuse ragged lists and object arrays with a message that says what to do."""
    if is_plain_rows(x) and (_input_count(model) in (None, 1) or len(x) != _input_count(model)):
        x = rows_to_array(x, name)
    for array in _arrays(x):
        if array.dtype == object and not _all_texts(array):  # texts are one string input (TextVectorization)
            raise ValueError(f"`{name}` is a NumPy object array (shape {array.shape}), usually rows of different "
                             "lengths or mixed types; tensorlet needs numbers in a regular array. Pad sequences "
                             "with keras.utils.pad_sequences, or convert with x.astype('float32').")
    return x


def _all_texts(array: np.ndarray) -> bool:
    return all(isinstance(v, (str, bytes)) for v in array.reshape(-1).tolist())


def _arrays(x: Any) -> list[np.ndarray]:
    if isinstance(x, np.ndarray):
        return [x]
    if isinstance(x, dict):
        return [a for v in x.values() for a in _arrays(v)]
    if isinstance(x, (list, tuple)):
        return [a for v in x for a in _arrays(v)]
    return []


def _input_dtypes(model: Any) -> list[str]:
    return [str(getattr(t, "dtype", "float32")) for t in (getattr(model, "inputs", None) or [])]


def _reads_strings(model: Any) -> bool:
    layers = list(getattr(model, "layers", None) or [])
    if hasattr(model, "_stack"):  # a Sequential: its first layer reads the data
        return bool(layers) and getattr(layers[0], "_reads_strings", False)
    if getattr(model, "inputs", None):
        return False
    return any(getattr(layer, "_reads_strings", False) for layer in layers)  # a subclassed model


def check_features(model: Any, x: Any, name: str = "x") -> None:
    """Strings reach a model only through an input declared for them (``Input(dtype="string")``), or a first
    layer that reads them (TextVectorization, StringLookup, Hashing) in a model without declared inputs."""
    if any(d in ("string", "str", "object") for d in _input_dtypes(model)) or _reads_strings(model):
        return
    for array in _arrays(x):
        if array.dtype.kind in "USO" and array.size:
            sample = array.reshape(-1)[0]
            raise ValueError(f"`{name}` holds strings (e.g. {sample!r}) but the model's inputs expect numbers. Turn "
                             "text or categories into numbers first (keras.preprocessing.text.Tokenizer, "
                             "np.unique(..., return_inverse=True), one-hot encoding), or declare "
                             "Input(dtype='string') with a layer that reads strings.")


def check_dict_keys(model: Any, x: Any, name: str = "x") -> None:
    """A dict of inputs must name every input of the model."""
    structure = getattr(model, "_input_structure", None)
    if not isinstance(x, dict) or not getattr(model, "inputs", None):
        return
    expected = list(structure) if isinstance(structure, dict) else [t.name for t in model.inputs]
    missing = [k for k in expected if k not in x]
    if missing:
        unknown = [k for k in x if k not in expected]
        raise ValueError(f"`{name}` is a dict without the input(s) {missing} the model needs; the model's inputs are "
                         f"{expected}, the dict has {list(x)}" + (f" ({unknown} unknown)" if unknown else ""))


def check_input_shapes(model: Any, x: Any, name: str = "x") -> None:
    """One sample given without its batch axis (``predict(x[0])``) is the mistake a layer's error explains worst
    (it sees a batch of scalars). Other mismatches are left to the layers, whose errors name them, since Keras
    accepts some (a trailing axis of size 1, for one)."""
    inputs = getattr(model, "inputs", None)
    if not inputs or isinstance(x, dict):
        return
    arrays = [a for a in (x if isinstance(x, (list, tuple)) else [x]) if isinstance(a, (np.ndarray, Tensor))]
    if len(arrays) != len(inputs):
        return
    for t, a in zip(inputs, arrays):
        expected = tuple(t.shape)
        if _conformable(tuple(a.shape), expected):
            continue  # a missing trailing axis of size 1 that Keras adds ([10.0] for Input(shape=(1,))): a batch
        if tuple(a.shape) == expected[1:] and None not in expected[1:]:
            raise ValueError(f"`{name}` has shape {tuple(a.shape)}, the shape of one sample of the model's input "
                             f"{t.name!r}, which expects {expected} (the first axis is the batch). Add the batch "
                             f"axis: {name}[None] or np.expand_dims({name}, 0).")


def _conformable(shape: tuple[Any, ...], expected: tuple[Any, ...]) -> bool:
    """Whether ``shape`` plus a trailing axis of size 1 fits ``expected`` (training/input_conforming.py adds it)."""
    if len(shape) != len(expected) - 1 or expected[-1] != 1:
        return False
    return all(e is None or e == d for d, e in zip(shape + (1,), expected))


def check_not_empty(x: Any, name: str = "x") -> None:
    arrays = _arrays(x)
    if arrays and arrays[0].ndim and arrays[0].shape[0] == 0:
        raise ValueError(f"`{name}` is empty (0 samples, shape {arrays[0].shape})")


def _loss_names(model: Any) -> list[str]:
    loss = getattr(model, "loss", None)
    items = loss.values() if isinstance(loss, dict) else loss if isinstance(loss, (list, tuple)) else [loss]
    return [str(getattr(v, "name", None) or getattr(v, "__name__", None) or v) for v in items if v is not None]


def check_targets(model: Any, y: Any, what: str = "fit") -> None:
    """Targets must exist for a compiled loss, and be numbers."""
    names = _loss_names(model)
    if y is None:
        if names and not model._has_custom_step("train" if what in ("fit", "train_on_batch") else "test"):
            raise ValueError(f"{what}() received no targets `y`, but the model is compiled with loss {names[0]!r}, "
                             f"which compares predictions with targets. Pass y ({what}(x, y, ...)), or give "
                             "x as a generator or dataset of (x, y) pairs.")
        return
    for array in _arrays(y if isinstance(y, (np.ndarray, list, tuple, dict)) else [np.asarray(y)]):
        if array.dtype.kind in "USO" and array.size:
            sample = array.reshape(-1)[0]
            raise ValueError(f"`y` holds strings (e.g. {sample!r}); losses need numbers. Encode the labels as "
                             "integers 0..n-1, e.g. classes, y = np.unique(y, return_inverse=True), and use "
                             "sparse_categorical_crossentropy.")


def class_weight_table(class_weight: Any, labels: np.ndarray, n_classes: int | None) -> dict[int, float]:
    """``class_weight`` checked: a dict of class index -> non-negative weight, every class one the data or the
    model's output can have.

    Raises:
        TypeError: not a dict, or keys that are not class indices.
        ValueError: negative keys, classes the model cannot output, negative or non-finite weights.
    """
    if not isinstance(class_weight, dict):
        raise TypeError(f"`class_weight` must be a dict mapping class indices to weights, e.g. {{0: 1.0, 1: 5.0}}; "
                        f"received a {type(class_weight).__name__}: {str(class_weight)[:80]}")
    table: dict[int, float] = {}
    for key, weight in class_weight.items():
        if isinstance(key, bool) or not isinstance(key, numbers.Real) or not float(key).is_integer():
            raise TypeError(f"`class_weight` keys must be class indices (integers); received the key {key!r}. "
                            "Map string labels to integers first.")
        if not isinstance(weight, numbers.Real) or not np.isfinite(float(weight)) or weight < 0:
            raise ValueError(f"`class_weight` weights must be non-negative numbers; received class_weight[{key!r}]="
                             f"{weight!r}")
        table[int(float(key))] = float(weight)
    classes = n_classes or (int(labels.max()) + 1 if labels.size else 0)
    bad = sorted(k for k in table if k < 0 or k >= classes)
    if bad:
        raise ValueError(f"`class_weight` has weights for class(es) {bad}, but the classes here are 0..{classes - 1} "
                         f"(from the labels and the model's output); received class_weight={class_weight}")
    return table


def class_count(model: Any) -> int | None:
    """How many classes the model's single output can express (2 for one sigmoid unit); None when unknown."""
    outputs = getattr(model, "outputs", None) or []
    if len(outputs) != 1 or not tuple(outputs[0].shape):
        return None
    last = tuple(outputs[0].shape)[-1]
    return None if last is None else max(int(last), 2)


def class_sample_weights(y: Any, class_weight: Any, n_classes: int | None) -> np.ndarray:
    """Per-sample weights from ``class_weight`` (checked by :func:`class_weight_table`); classes it leaves out
    weigh 1, as in Keras 3. One-hot targets are read by their argmax."""
    y = np.asarray(y[0] if isinstance(y, (list, tuple)) else next(iter(y.values())) if isinstance(y, dict) else y)
    labels = np.argmax(y, axis=-1) if y.ndim > 1 and y.shape[-1] > 1 else y.reshape(len(y), -1)[:, 0]
    labels = np.rint(labels).astype(np.int64)
    table = class_weight_table(class_weight, labels, n_classes)
    weights = np.ones(max(max(table, default=0), int(labels.max(initial=0))) + 1, dtype=np.float32)
    for k, v in table.items():
        weights[k] = v
    return weights[labels]
