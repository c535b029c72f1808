"""The model kinds that files must carry between tensorlet and Keras, each built by one function from a Keras
namespace (``tensorlet.keras``, ``keras`` or ``tf_keras``), so that every library builds the same model.

``KINDS[name](K)`` returns a compiled model; ``inputs(name)`` and ``targets(name)`` give fixed data for it.
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

_RNG = np.random.default_rng(24)
_DATA = {
    "vector": _RNG.standard_normal((16, 8)).astype("float32"),
    "vector5": _RNG.standard_normal((16, 5)).astype("float32"),
    "image": _RNG.standard_normal((16, 8, 8, 3)).astype("float32"),
    "sequence": _RNG.standard_normal((16, 7, 3)).astype("float32"),
    "tokens": _RNG.integers(1, 20, size=(16, 7)).astype("int32"),
    "y4": _RNG.standard_normal((16, 4)).astype("float32"),
    "y2": _RNG.standard_normal((16, 2)).astype("float32"),
}


def _compile(model: Any, K: Any, loss: Any = "mse") -> Any:
    model.compile(optimizer=K.optimizers.Adam(0.01), loss=loss)
    return model


def mlp(K: Any) -> Any:
    return _compile(K.Sequential([K.Input((8,)), K.layers.Dense(16, activation="relu"), K.layers.Dense(4)]), K)


def multi_io(K: Any) -> Any:
    a, b = K.Input((8,), name="a"), K.Input((5,), name="b")
    h = K.layers.Dense(16, activation="tanh")(K.layers.Concatenate()([a, b]))
    out1, out2 = K.layers.Dense(4, name="out1")(h), K.layers.Dense(2, name="out2")(h)
    return _compile(K.Model([a, b], [out1, out2]), K, loss=["mse", "mse"])


def shared(K: Any) -> Any:
    a, b = K.Input((8,)), K.Input((8,))
    dense = K.layers.Dense(4, activation="tanh")
    return _compile(K.Model([a, b], K.layers.Add()([dense(a), dense(b)])), K)


def cnn_bn(K: Any) -> Any:
    return _compile(K.Sequential([K.Input((8, 8, 3)), K.layers.Conv2D(4, 3, use_bias=False),
                                  K.layers.BatchNormalization(),
                                  K.layers.Activation("relu"), K.layers.MaxPooling2D(), K.layers.Flatten(),
                                  K.layers.Dense(4)]), K)


def conv1d(K: Any) -> Any:
    return _compile(K.Sequential([K.Input((7, 3)), K.layers.Conv1D(4, 3, activation="relu"),
                                  K.layers.GlobalAveragePooling1D(), K.layers.Dense(4)]), K)


def embedding_lstm(K: Any) -> Any:
    return _compile(K.Sequential([K.Input((7,), dtype="int32"), K.layers.Embedding(20, 6), K.layers.LSTM(5),
                                  K.layers.Dense(4)]), K)


def gru(K: Any) -> Any:
    return _compile(K.Sequential([K.Input((7, 3)), K.layers.GRU(5), K.layers.Dense(4)]), K)


def bidirectional(K: Any) -> Any:
    return _compile(K.Sequential([K.Input((7, 3)), K.layers.Bidirectional(K.layers.LSTM(4)), K.layers.Dense(4)]), K)


def layernorm(K: Any) -> Any:
    return _compile(K.Sequential([K.Input((8,)), K.layers.Dense(16), K.layers.LayerNormalization(),
                                  K.layers.Dense(4)]), K)


_SUBCLASSES: dict[tuple[str, bool], dict[str, type]] = {}


def subclassed_classes(K: Any, registered: bool = True) -> dict[str, type]:
    """The classes of a subclassed model of library ``K`` by class name, made once per library: ``Subclassed``
    holds a Dense in an attribute, a nested custom layer (``ScaledBlock``: its own weight, a Dense and a
    BatchNormalization) and a list of heads. ``registered`` registers both as ``interop>...``; otherwise they load
    only with ``custom_objects`` (this dict)."""
    key = (K.__name__, registered)
    if key in _SUBCLASSES:
        return _SUBCLASSES[key]
    register = K.utils.register_keras_serializable(package="interop") if registered else (lambda cls: cls)

    class ScaledBlock(K.layers.Layer):
        def __init__(self, units: int = 8, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.units = units
            self.dense = K.layers.Dense(units, activation="tanh")
            self.norm = K.layers.BatchNormalization()

        def build(self, input_shape: Any) -> None:
            self.scale = self.add_weight(name="scale", shape=(self.units,), initializer="ones")

        def call(self, x: Any, training: Any = None) -> Any:
            return self.norm(self.dense(x), training=training) * self.scale

        def get_config(self) -> dict[str, Any]:
            return {**super().get_config(), "units": self.units}

    class Subclassed(K.Model):
        def __init__(self, units: int = 16, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            self.units = units
            self.d1 = K.layers.Dense(units, activation="relu")
            self.block = ScaledBlock(8)
            self.heads = [K.layers.Dense(4), K.layers.Dense(4, use_bias=False)]

        def call(self, x: Any, training: Any = None) -> Any:
            h = self.block(self.d1(x), training=training)
            return self.heads[0](h) + self.heads[1](h)

        def get_config(self) -> dict[str, Any]:
            return {**super().get_config(), "units": self.units}

    _SUBCLASSES[key] = {"ScaledBlock": register(ScaledBlock), "Subclassed": register(Subclassed)}
    return _SUBCLASSES[key]


def subclassed(K: Any, registered: bool = True) -> Any:
    model = subclassed_classes(K, registered)["Subclassed"]()
    model(_DATA["vector"][:2])  # built before compile, as a user calls it once to see its weights
    return _compile(model, K)


KINDS: dict[str, Callable[[Any], Any]] = {
    "mlp": mlp, "multi_io": multi_io, "shared": shared, "cnn_bn": cnn_bn, "conv1d": conv1d,
    "embedding_lstm": embedding_lstm, "gru": gru, "bidirectional": bidirectional, "layernorm": layernorm,
    "subclassed": subclassed,
}

_INPUTS = {"multi_io": ("vector", "vector5"), "shared": ("vector", "vector"), "cnn_bn": ("image",),
           "conv1d": ("sequence",), "embedding_lstm": ("tokens",), "gru": ("sequence",),
           "bidirectional": ("sequence",)}


def inputs(kind: str) -> Any:
    names = _INPUTS.get(kind, ("vector",))
    return [_DATA[n] for n in names] if len(names) > 1 else _DATA[names[0]]


def targets(kind: str) -> Any:
    return [_DATA["y4"], _DATA["y2"]] if kind == "multi_io" else _DATA["y4"]
