"""Ops that locate values among others (searchsorted, membership) or count them (bincount), with a traced
function's data as their inputs: replays recompute them. Their outputs are indices, truth values or counts; the
weighted bincount passes a gradient to its weights."""
from __future__ import annotations

from typing import Any

from tensorlet.autodiff.function import Function


class SearchSorted(Function):
    """Where each of ``values`` would go in the 1-D ``sorted_sequence`` to keep it sorted (``side`` breaks ties)."""

    differentiable = False

    def __init__(self, side: str, dtype: Any) -> None:
        self.side, self.dtype = side, dtype

    def forward(self, sorted_sequence: Any, values: Any) -> Any:
        return self.xp.searchsorted(sorted_sequence, values, side=self.side).astype(self.dtype)


class IsIn(Function):
    """Whether each entry of ``x`` occurs in ``test`` (or not, with ``invert``)."""

    differentiable = False

    def __init__(self, invert: bool) -> None:
        self.invert = invert

    def forward(self, x: Any, test: Any) -> Any:
        return self.xp.isin(x, test, invert=self.invert)


class Bincount(Function):
    """How often each value 0, 1, ... occurs in the 1-D ``x`` (at least ``minlength`` counts)."""

    differentiable = False

    def __init__(self, minlength: int, dtype: Any) -> None:
        self.minlength, self.dtype = minlength, dtype

    def forward(self, x: Any) -> Any:
        return self.xp.bincount(x, minlength=self.minlength).astype(self.dtype)


class WeightedBincount(Function):
    """The sum of ``weights`` at each value 0, 1, ... of the 1-D ``x``; dweights = dy[x]."""

    def __init__(self, minlength: int) -> None:
        self.minlength = minlength

    def forward(self, x: Any, weights: Any) -> Any:
        self.saved = x
        return self.xp.bincount(x, weights=weights, minlength=self.minlength).astype(weights.dtype)

    def backward(self, dy: Any) -> Any:
        return None, dy[self.saved]
