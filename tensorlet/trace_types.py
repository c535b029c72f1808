"""``tf.types.experimental``: ``TraceType``, how an argument of a user's class asks ``tf.function`` to share traces.

An object whose class defines ``__tf_tracing_type__(context)`` is keyed, in a traced function's signature, by the
hashable value that method returns instead of by the object's identity: two objects with equal trace types reuse
one trace (TensorFlow's documented protocol; the ``context`` argument is None here).
"""
from __future__ import annotations

from types import SimpleNamespace
from typing import Any, Sequence


class TraceType:
    """Base class of a user's trace type: equal and hashable values share a trace."""

    def is_subtype_of(self, other: Any) -> bool:
        return self == other

    def most_specific_common_supertype(self, others: Sequence[Any]) -> Any:
        return self if all(self == other for other in others) else None

    def placeholder_value(self, placeholder_context: Any = None) -> Any:
        raise NotImplementedError(f"{type(self).__name__} defines no placeholder_value")

    def __eq__(self, other: Any) -> bool:
        return self is other

    def __hash__(self) -> int:
        return id(self)


experimental = SimpleNamespace(TraceType=TraceType)
