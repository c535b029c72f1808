"""ListWrapper and DictWrapper: the containers ``tf.Module`` and ``tf.train.Checkpoint`` keep in their attributes.

Assigning a list or dict to an attribute of a ``tf.Module`` or ``tf.train.Checkpoint`` stores a wrapper, as
TensorFlow does (``print(ckpt.listed)`` shows ``ListWrapper([])``). A wrapper is a real ``list`` or ``dict``; what
it adds is that appending or setting an item tells a pending checkpoint restoration about the new element, so that
``ckpt.listed.append(v)`` restores ``v`` at once when ``ckpt.restore(...)`` ran before (TensorFlow's checkpoint
guide does this). One difference from TensorFlow: the wrapper holds a copy of the assigned list, so mutating the
original list afterwards does not change the attribute.
"""
from __future__ import annotations

from typing import Any, Iterable

from tensorlet.trackable import deferred


def wrap(value: Any) -> Any:
    """Plain lists and dicts (nested ones too) as wrappers; anything else as it is."""
    if type(value) is list:
        return ListWrapper(value)
    if type(value) is dict:
        return DictWrapper(value)
    return value


class ListWrapper(list):
    """A list that reports new elements to pending checkpoint restorations."""

    def __init__(self, values: Any = ()) -> None:
        super().__init__(wrap(v) for v in values)

    def append(self, value: Any) -> None:
        super().append(wrap(value))
        deferred.notify(self)

    def extend(self, values: Any) -> None:
        super().extend(wrap(v) for v in values)
        deferred.notify(self)

    def insert(self, index: Any, value: Any) -> None:
        super().insert(index, wrap(value))
        deferred.notify(self)

    def __setitem__(self, index: Any, value: Any) -> None:
        super().__setitem__(index, [wrap(v) for v in value] if isinstance(index, slice) else wrap(value))
        deferred.notify(self)

    # list.__iadd__ itself takes any iterable; mypy compares this with list's overloaded __add__ and rejects it
    def __iadd__(self, values: Iterable[Any]) -> ListWrapper:  # type: ignore[misc]
        self.extend(values)
        return self

    def __repr__(self) -> str:
        return f"ListWrapper({list.__repr__(self)})"

    def __reduce__(self) -> Any:
        return (ListWrapper, (list(self),))

    def __copy__(self) -> ListWrapper:
        return ListWrapper(list(self))

    def __deepcopy__(self, memo: Any) -> ListWrapper:
        import copy

        return ListWrapper(copy.deepcopy(list(self), memo))


class DictWrapper(dict):
    """A dict that reports new values to pending checkpoint restorations."""

    def __init__(self, values: Any = (), **kwargs: Any) -> None:
        super().__init__()
        for k, v in dict(values, **kwargs).items():
            dict.__setitem__(self, k, wrap(v))

    def __setitem__(self, key: Any, value: Any) -> None:
        super().__setitem__(key, wrap(value))
        deferred.notify(self)

    def update(self, *args: Any, **kwargs: Any) -> None:  # type: ignore[override]
        for k, v in dict(*args, **kwargs).items():
            dict.__setitem__(self, k, wrap(v))
        deferred.notify(self)

    def setdefault(self, key: Any, default: Any = None) -> Any:
        if key not in self:
            self[key] = default
        return self[key]

    def __repr__(self) -> str:
        return f"DictWrapper({dict.__repr__(self)})"

    def __reduce__(self) -> Any:
        return (DictWrapper, (dict(self),))

    def __copy__(self) -> DictWrapper:
        return DictWrapper(dict(self))

    def __deepcopy__(self, memo: Any) -> DictWrapper:
        import copy

        return DictWrapper(copy.deepcopy(dict(self), memo))
