"""LearningRateSchedule: the base of every schedule, and schedule (de)serialization.

A schedule maps the optimizer's step (``optimizer.iterations`` before the update, starting at 0) to a learning
rate. Optimizers call the private ``_lr_at(step)``, which works on Python floats so that a training step pays
no tensor overhead; ``__call__`` wraps the same number in a float32 Tensor, as Keras returns a scalar tensor.
"""
from __future__ import annotations

from typing import Any

from tensorlet import backend
from tensorlet.saving import registry
from tensorlet.saving.serialization import deserialize_keras_object


class LearningRateSchedule:
    """Base class: subclasses implement ``_lr_at(step) -> float`` and ``get_config()``.

    Example:
        >>> class Halving(LearningRateSchedule):
        ...     def __init__(self, lr): self.lr = lr
        ...     def _lr_at(self, step): return self.lr / 2 ** step
        ...     def get_config(self): return {"lr": self.lr}
        >>> float(Halving(1.0)(3))
        0.125
    """

    def __call__(self, step: Any) -> Any:
        from tensorlet.autodiff.tensor import _wrap

        return _wrap(backend.asarray(self._lr_at(_as_step(step)), dtype="float32"))

    def _lr_at(self, step: float) -> float:
        raise NotImplementedError(f"Learning rate schedule '{type(self).__name__}' must override "
                                  "`_lr_at(step)` (or `__call__(step)`)")

    def get_config(self) -> dict[str, Any]:
        raise NotImplementedError(f"Learning rate schedule '{type(self).__name__}' must override "
                                  "`get_config()` in order to be serializable.")

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> LearningRateSchedule:
        return cls(**config)


def _as_step(step: Any) -> float:
    """A step as a Python float, from an int, a NumPy scalar, a Tensor or a Variable."""
    if isinstance(step, (int, float)):
        return float(step)
    return float(getattr(step, "_value", step))


def _check_positive(name: str, value: Any) -> None:
    if value <= 0:
        raise ValueError(f"Argument `{name}` must be > 0. Received: {name}={value}")


def serialize(schedule: LearningRateSchedule) -> dict[str, Any]:
    """A JSON-ready ``{"module", "class_name", "config", "registered_name"}`` dict, in Keras 3's layout."""
    return {"module": "keras.optimizers.schedules", "class_name": type(schedule).__name__,
            "config": schedule.get_config(), "registered_name": registry.registered_name_of(type(schedule))}


def deserialize(config: Any, custom_objects: dict[str, Any] | None = None) -> LearningRateSchedule:
    """Rebuild a schedule from ``serialize``'s dict (or a Keras 2 ``{"class_name", "config"}`` dict).

    Raises:
        ValueError: for an unknown class name; the message lists the known schedules.
    """
    if isinstance(config, LearningRateSchedule):
        return config
    if not isinstance(config, dict) or "class_name" not in config:
        raise ValueError(f"Could not interpret learning rate schedule config: {config!r}")
    return deserialize_keras_object(config, custom_objects, family="schedules", kind="learning rate schedule")
