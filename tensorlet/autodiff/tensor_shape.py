"""TensorShape: a tuple of dimensions (None where unknown) that compares equal to tuples and lists."""
from __future__ import annotations

from typing import Any, Sequence


class TensorShape(tuple):
    """A shape: a tuple of ints or None that also equals lists, with TensorFlow's accessors."""

    _tree_leaf = True  # one value for tensorlet.tree, as TensorFlow's TensorShape (no tuple there) is for tf.nest

    def __new__(cls, dims: Any = ()) -> TensorShape:
        if dims is None:
            return super().__new__(cls, ())
        if isinstance(dims, int):
            dims = (dims,)
        return super().__new__(cls, (None if d is None else int(d) for d in dims))

    @property
    def rank(self) -> int:
        return len(self)

    ndims = rank

    @property
    def dims(self) -> list[int | None]:
        return list(self)

    def as_list(self) -> list[int | None]:
        return list(self)

    def num_elements(self) -> int | None:
        if any(d is None for d in self):
            return None
        n = 1
        for d in self:
            n *= d  # type: ignore[operator]
        return n

    def is_fully_defined(self) -> bool:
        return all(d is not None for d in self)

    def concatenate(self, other: Sequence[int | None]) -> TensorShape:
        return TensorShape(tuple(self) + tuple(other))

    def is_compatible_with(self, other: Sequence[int | None]) -> bool:
        other = tuple(other)
        return len(other) == len(self) and all(a is None or b is None or a == b for a, b in zip(self, other))

    def __getitem__(self, key: Any) -> Any:  # type: ignore[override]
        item = tuple.__getitem__(self, key)
        return TensorShape(item) if isinstance(key, slice) else item

    def __add__(self, other: Any) -> TensorShape:  # type: ignore[override]
        return self.concatenate(other)

    def __radd__(self, other: Any) -> TensorShape:
        return TensorShape(tuple(other) + tuple(self))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (tuple, list)):
            return tuple(self) == tuple(other)
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    __hash__ = tuple.__hash__

    def __repr__(self) -> str:
        return f"TensorShape({list(self)})"

    def __str__(self) -> str:
        return "(" + ", ".join("None" if d is None else str(d) for d in self) + ("," if len(self) == 1 else "") + ")"
