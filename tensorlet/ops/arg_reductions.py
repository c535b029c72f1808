"""Reductions whose output is an index or a truth value (argmax, argsort, any, all, count_nonzero), as ops whose
input is a traced function's data: replays recompute them. No gradient is defined through them."""
from __future__ import annotations

from typing import Any

from tensorlet.autodiff.function import Function


class ArgMax(Function):
    differentiable = False

    def __init__(self, axis: int | None, keepdims: bool, dtype: Any) -> None:
        self.axis, self.keepdims, self.dtype = axis, keepdims, dtype

    def forward(self, x: Any) -> Any:
        return self.xp.argmax(x, axis=self.axis, keepdims=self.keepdims).astype(self.dtype)


class ArgMin(Function):
    differentiable = False

    def __init__(self, axis: int | None, keepdims: bool, dtype: Any) -> None:
        self.axis, self.keepdims, self.dtype = axis, keepdims, dtype

    def forward(self, x: Any) -> Any:
        return self.xp.argmin(x, axis=self.axis, keepdims=self.keepdims).astype(self.dtype)


class ArgSort(Function):
    """Indices that sort ``x`` along ``axis`` (stable; descending sorts the negated values)."""

    differentiable = False

    def __init__(self, axis: int, descending: bool, dtype: Any) -> None:
        self.axis, self.descending, self.dtype = axis, descending, dtype

    def forward(self, x: Any) -> Any:
        key = -x if self.descending else x
        return self.xp.argsort(key, axis=self.axis, kind="stable").astype(self.dtype)


class ReduceAny(Function):
    differentiable = False

    def __init__(self, axis: Any, keepdims: bool) -> None:
        self.axis, self.keepdims = axis, keepdims

    def forward(self, x: Any) -> Any:
        return self.xp.any(x, axis=self.axis, keepdims=self.keepdims)


class ReduceAll(Function):
    differentiable = False

    def __init__(self, axis: Any, keepdims: bool) -> None:
        self.axis, self.keepdims = axis, keepdims

    def forward(self, x: Any) -> Any:
        return self.xp.all(x, axis=self.axis, keepdims=self.keepdims)


class CountNonzero(Function):
    differentiable = False

    def __init__(self, axis: Any, dtype: Any) -> None:
        self.axis, self.dtype = axis, dtype

    def forward(self, x: Any) -> Any:
        return self.xp.asarray(self.xp.count_nonzero(x, axis=self.axis)).astype(self.dtype)


class Nonzero(Function):
    """The coordinates of nonzero entries, one index array per axis stacked as rows (a data-dependent shape)."""

    differentiable = False

    def forward(self, x: Any) -> Any:
        return self.xp.stack(self.xp.nonzero(x)).astype("int32") if x.ndim else self.xp.zeros((0, 0), "int32")
