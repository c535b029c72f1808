"""Keras weight initializers, with Keras' defaults and fan rules.

An initializer is called as ``init(shape, dtype=None)`` and returns a NumPy array of ``dtype`` (``floatx()``
by default); ``Layer.add_weight`` wraps it in a Variable. TensorFlow-style calls work too and also return a
NumPy array: ``shape`` may be an int, list, ``TensorShape`` or shape Tensor, ``dtype`` a ``tf.float32``-like
DType, and extra keywords such as ``partition_info=`` are ignored.

Seeding, per instance:
    * ``seed=None`` draws through ``tensorlet.random``: each call gives new values, and a program run after
      ``tensorlet.random.set_seed`` (or ``keras.utils.set_random_seed``) draws the same ones again.
    * ``seed=<int>`` makes the initializer deterministic: every call returns the same values, as Keras
      documents for integer-seeded initializers.
    * ``seed=tensorlet.random.Generator(...)`` (or a NumPy ``Generator``) draws the next values from that
      generator at each call, like a Keras ``SeedGenerator``.

Example:
    >>> init = GlorotUniform(seed=0)
    >>> init((784, 256)).shape
    (784, 256)
"""
from __future__ import annotations

from typing import Any

from tensorlet.initializers.constant_initializers import Constant, Identity, Ones, Zeros
from tensorlet.initializers.initializer import Initializer
from tensorlet.initializers.random_initializers import (
    GlorotNormal,
    GlorotUniform,
    HeNormal,
    HeUniform,
    LecunNormal,
    LecunUniform,
    Orthogonal,
    RandomInitializer,
    RandomNormal,
    RandomUniform,
    TruncatedNormal,
    VarianceScaling,
)
from tensorlet.saving.registry import register_builtins
from tensorlet.saving.serialization import deserialize_keras_object, serialize_keras_object

# snake_case aliases, as Keras exports them
zeros, ones, constant = Zeros, Ones, Constant
random_normal, random_uniform, truncated_normal = RandomNormal, RandomUniform, TruncatedNormal
variance_scaling = VarianceScaling
glorot_uniform, glorot_normal = GlorotUniform, GlorotNormal
he_uniform, he_normal = HeUniform, HeNormal
lecun_uniform, lecun_normal = LecunUniform, LecunNormal
orthogonal, identity = Orthogonal, Identity
IdentityInitializer, OrthogonalInitializer = Identity, Orthogonal  # Keras 3 class names

_CLASSES = (Zeros, Ones, Constant, RandomNormal, RandomUniform, TruncatedNormal, VarianceScaling, GlorotUniform,
            GlorotNormal, HeUniform, HeNormal, LecunUniform, LecunNormal, Orthogonal, Identity)
register_builtins("initializers", _CLASSES, aliases={
    "zeros": Zeros, "zero": Zeros, "ones": Ones, "one": Ones, "constant": Constant,
    "random_normal": RandomNormal, "normal": RandomNormal, "random_uniform": RandomUniform,
    "uniform": RandomUniform, "truncated_normal": TruncatedNormal, "variance_scaling": VarianceScaling,
    "glorot_uniform": GlorotUniform, "glorot_normal": GlorotNormal, "he_uniform": HeUniform,
    "he_normal": HeNormal, "lecun_uniform": LecunUniform, "lecun_normal": LecunNormal,
    "orthogonal": Orthogonal, "identity": Identity, "IdentityInitializer": Identity,
    "OrthogonalInitializer": Orthogonal,
})


def serialize(initializer: Any) -> Any:
    """A Keras 3 config dict (``module``, ``class_name``, ``config``, ``registered_name``); a name for a function."""
    return serialize_keras_object(initializer)


def deserialize(config: Any, custom_objects: dict[str, Any] | None = None) -> Any:
    """The initializer described by a name or a ``{"class_name": ..., "config": ...}`` dict."""
    if not isinstance(config, (str, dict)):
        raise ValueError(f"Could not interpret initializer identifier: {config!r}")
    return deserialize_keras_object(config, custom_objects, family="initializers", kind="initializer")


def get(identifier: Any) -> Any:
    """Resolve an initializer: None stays None; a name, config dict or class gives a new instance; an instance
    or other callable is returned as is.

    Raises:
        ValueError: for an unknown name (the message lists the valid ones) or an uninterpretable value.
    """
    if identifier is None or isinstance(identifier, Initializer):
        return identifier
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if isinstance(identifier, type):
        return identifier()
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret initializer identifier: {identifier!r}")


__all__ = ["Initializer", "RandomInitializer", "get", "serialize", "deserialize", "IdentityInitializer",
           "OrthogonalInitializer", "zeros", "ones", "constant", "random_normal", "random_uniform",
           "truncated_normal", "variance_scaling", "glorot_uniform", "glorot_normal", "he_uniform", "he_normal",
           "lecun_uniform", "lecun_normal", "orthogonal", "identity"] + [c.__name__ for c in _CLASSES]
