"""AutoTrackable: the base of ``tf.Module`` and ``tf.train.Checkpoint``, whose attributes are their checkpoint
children.

Assigning an attribute wraps a plain list or dict (``data_structures``) and lets a pending checkpoint restoration
restore the new child (``deferred``). Keras layers keep their own ``__setattr__`` (they track layers for
``model.layers``); their checkpoint children are read from their weights and attributes when a checkpoint is written
or restored.
"""
from __future__ import annotations

from typing import Any

from tensorlet.trackable import deferred
from tensorlet.trackable.data_structures import wrap


class AutoTrackable:
    """An object whose attributes holding variables, modules, optimizers or containers of them are tracked."""

    # bookkeeping attributes, never checkpoint children (subclasses extend the set)
    _TRACKING_IGNORED: frozenset[str] = frozenset({deferred.ATTRIBUTE})

    def __setattr__(self, name: str, value: Any) -> None:
        if not name.startswith("__") and name not in self._TRACKING_IGNORED:
            value = wrap(value)
        object.__setattr__(self, name, value)
        if deferred.ATTRIBUTE in self.__dict__:
            deferred.notify(self)

    def _tracked_attributes(self) -> list[tuple[str, Any]]:
        """``(name, value)`` of the attributes that may be checkpoint children, in assignment order."""
        ignored = self._TRACKING_IGNORED
        return [(k, v) for k, v in self.__dict__.items() if k not in ignored and not k.startswith("__")]
