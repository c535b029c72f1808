"""``keras.optimizers``: optimizers resolved from strings, configs or instances, and learning rate schedules.

Example:
    >>> from tensorlet import optimizers
    >>> optimizers.get("adam").get_config()["learning_rate"]
    0.0010000000474974513
"""
from __future__ import annotations

from typing import Any

from tensorlet.optimizers import experimental, legacy, schedules
from tensorlet.optimizers.adadelta import Adadelta
from tensorlet.optimizers.adagrad import Adagrad
from tensorlet.optimizers.adam import Adam
from tensorlet.optimizers.adamax import Adamax
from tensorlet.optimizers.adamw import AdamW
from tensorlet.optimizers.ftrl import Ftrl
from tensorlet.optimizers.lion import Lion
from tensorlet.optimizers.nadam import Nadam
from tensorlet.optimizers.optimizer import Optimizer
from tensorlet.optimizers.rmsprop import RMSprop
from tensorlet.optimizers.sgd import SGD
from tensorlet.saving import registry
from tensorlet.saving.registry import register_builtins
from tensorlet.saving.serialization import serialize_keras_object

__all__ = ["Optimizer", "SGD", "RMSprop", "Adam", "AdamW", "Adagrad", "Adadelta", "Adamax", "Nadam", "Lion",
           "Ftrl", "schedules", "legacy", "experimental", "get", "serialize", "deserialize"]

_CLASSES = (SGD, RMSprop, Adam, AdamW, Adagrad, Adadelta, Adamax, Nadam, Lion, Ftrl)
register_builtins("optimizers", _CLASSES, aliases={cls.__name__.lower(): cls for cls in _CLASSES})


def _unknown(identifier: Any) -> ValueError:
    return ValueError(f"Could not interpret optimizer identifier: {identifier!r}. Valid names are "
                      f"{sorted(c.__name__.lower() for c in _CLASSES)} (or an Optimizer instance, class or config "
                      "dict; a custom one must be passed in custom_objects={...} or registered with "
                      "keras.saving.register_keras_serializable).")


def _class_named(name: Any, custom_objects: dict[str, Any] | None = None) -> Any:
    """Names are case-insensitive ('Adam', 'adam'); tf.keras 2.11-2.15 files name its own optimizers
    'Custom>Adam', which means the built-in one when nothing else is registered under that name."""
    if not isinstance(name, str):
        return None
    found = registry.lookup(name, "optimizers", custom_objects) or registry.lookup(name.lower(), "optimizers")
    if found is None and name.startswith("Custom>"):
        found = registry.lookup(name[len("Custom>"):].lower(), "optimizers")
    return found


def serialize(optimizer: Optimizer) -> dict[str, Any]:
    """Keras 3's ``{"module", "class_name", "config", "registered_name"}`` dict."""
    return serialize_keras_object(optimizer)


def deserialize(config: Any, custom_objects: dict[str, Any] | None = None) -> Optimizer:
    """An optimizer from ``serialize``'s dict, a Keras 2 ``{"class_name", "config"}`` dict, or a name.

    Raises:
        ValueError: for an unknown class name (the message lists the valid ones).
    """
    if isinstance(config, str):
        cls = _class_named(config, custom_objects)
        if cls is None:
            raise _unknown(config)
        return cls() if isinstance(cls, type) else cls
    if not isinstance(config, dict) or "class_name" not in config:
        raise _unknown(config)
    cls = _class_named(config.get("registered_name"), custom_objects) or \
        _class_named(config["class_name"], custom_objects)
    if cls is None:
        raise _unknown(config["class_name"])
    return cls.from_config(dict(config.get("config") or {}), custom_objects=custom_objects)


def get(identifier: Any) -> Optimizer:
    """Resolve ``identifier``: an Optimizer is returned as is; a name ('sgd', 'Adam'...), a config dict or an
    Optimizer class gives a new instance with Keras' defaults.

    Raises:
        ValueError: for an unknown name or an uninterpretable value; the message lists the valid names.
    """
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, (str, dict)):
        return deserialize(identifier)
    if isinstance(identifier, type) and issubclass(identifier, Optimizer):
        return identifier()
    raise _unknown(identifier)
