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

__all__ = ["Optimizer", "SGD", "RMSprop", "Adam", "AdamW", "Adagrad", "Adadelta", "Adamax", "Nadam", "Lion",
           "Ftrl", "schedules", "legacy", "experimental", "get", "serialize", "deserialize"]

_BY_NAME: dict[str, type[Optimizer]] = {
    "sgd": SGD, "rmsprop": RMSprop, "adam": Adam, "adamw": AdamW, "adagrad": Adagrad, "adadelta": Adadelta,
    "adamax": Adamax, "nadam": Nadam, "lion": Lion, "ftrl": Ftrl,
}


def _unknown(identifier: Any) -> ValueError:
    return ValueError(f"Could not interpret optimizer identifier: {identifier!r}. Valid names are "
                      f"{sorted(_BY_NAME)} (or an Optimizer instance, class or config dict).")


def serialize(optimizer: Optimizer) -> dict[str, Any]:
    """Keras 3's ``{"module", "class_name", "config", "registered_name"}`` dict."""
    return {"module": "keras.optimizers", "class_name": type(optimizer).__name__,
            "config": optimizer.get_config(),
            "registered_name": getattr(type(optimizer), "_registered_name", None)}


def deserialize(config: Any, custom_objects: dict[str, Any] | None = None) -> Optimizer:
    """An optimizer from ``serialize``'s dict, a Keras 2 ``{"class_name", "config"}`` dict, or a name.

    Raises:
        ValueError: for an unknown class name (the message lists the valid ones).
    """
    from tensorlet.saving.serialization import get_custom_objects

    if isinstance(config, str):
        return get(config)
    if not isinstance(config, dict) or "class_name" not in config:
        raise _unknown(config)
    lookup: dict[str, Any] = {cls.__name__: cls for cls in _BY_NAME.values()}
    lookup.update(get_custom_objects())
    lookup.update(custom_objects or {})
    cls = lookup.get(config.get("registered_name") or "") or lookup.get(config["class_name"]) \
        or _BY_NAME.get(str(config["class_name"]).lower())
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
    if isinstance(identifier, str):
        cls = _BY_NAME.get(identifier.lower())
        if cls is None:
            raise _unknown(identifier)
        return cls()
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if isinstance(identifier, type) and issubclass(identifier, Optimizer):
        return identifier()
    raise _unknown(identifier)
