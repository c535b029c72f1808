"""TapeGradient: ``tape.gradient(...)`` inside a traced function, as a step that the replays run again.

A backward pass runs on raw arrays (each op's ``backward``), so a trace sees none of it: the gradients of the
tracing run would be frozen into the plan as constants. When a tape computes gradients while a trace records, the
trace also gets one ``TapeGradient`` step: its inputs are the tensors the backward pass reads (the target, the
seeds, and the inputs of the ops it walks, for their shapes); its forward runs that backward pass, compiled once
(``plan_compiler``), over the same op objects, whose saved arrays the replay has just refreshed. Its output is the
list of gradients; one ``Pick`` step per gradient hands each to the ops that use it.
"""
from __future__ import annotations

from typing import Any, Sequence

from tensorlet.autodiff.context import state as _state
from tensorlet.autodiff.function import Function
from tensorlet.autodiff.plan_compiler import compile_backward
from tensorlet.autodiff.tensor import Tensor, _wrap


class TapeGradient(Function):
    """Gradients of one target with respect to some sources, over a recorded segment of ops."""

    differentiable = False

    def __init__(self, schedule: list[Any], n_slots: int, input_slots: list[int], target: int, seed: int | None,
                 source_slots: list[int], dtypes: list[Any]) -> None:
        self.n_slots = n_slots
        self.input_slots = input_slots  # local slot of each input array, in input order
        self.seed_pos = None if seed is None else input_slots.index(seed)
        self.backward_fn = compile_backward(schedule, target, source_slots, dtypes)

    def forward(self, *xs: Any) -> Any:
        vals: list[Any] = [None] * self.n_slots
        for slot, x in zip(self.input_slots, xs):
            vals[slot] = x
        seed = None if self.seed_pos is None else xs[self.seed_pos]
        return self.backward_fn(seed, vals)


class Pick(Function):
    """y = xs[i]: one gradient out of a TapeGradient's list."""

    differentiable = False

    def __init__(self, i: int) -> None:
        self.i = i

    def forward(self, xs: Any) -> Any:
        return xs[self.i]


def record(records: Sequence[tuple[Any, tuple[Tensor, ...], Tensor]], target: Tensor, seed: Tensor | None,
           sources: Sequence[Tensor], grads: Sequence[Tensor | None]) -> None:
    """Record, on this thread's tracing recorder, the steps that recompute ``grads`` (the gradients just computed
    eagerly) on each replay. ``records`` are the tape's own (function, inputs, output), in execution order."""
    from tensorlet.autodiff.plan import _backward_schedule

    slots: dict[int, int] = {}

    def slot(t: Tensor) -> int:
        s = slots.get(id(t))
        if s is None:
            s = slots[id(t)] = len(slots)
        return s

    steps = [(fn, tuple(slot(x) for x in ins), slot(out)) for fn, ins, out in records]
    source_slots = [slot(s) for s in sources]
    target_slot = slot(target)
    schedule = _backward_schedule(steps, set(source_slots))
    needed = {target_slot} | {i for _f, ins, _o, needs in schedule for i, need in zip(ins, needs) if need}
    by_slot = {slots[id(t)]: t for t in _tensors(records, target, sources)}
    inputs = [by_slot[s] for s in sorted(needed)]
    input_slots = sorted(needed)
    if seed is not None:
        seed_slot = slot(seed)
        inputs.append(seed)
        input_slots.append(seed_slot)
    else:
        seed_slot = None
    op = TapeGradient(schedule, len(slots), input_slots, target_slot, seed_slot, source_slots,
                      [s._value.dtype for s in sources])
    bundle = _wrap([None if g is None else g._value for g in grads])  # a list: never seen outside the plan
    for tape in _state.tapes:
        if hasattr(tape, "host_read"):  # the tracing recorder (user tapes do not differentiate through this)
            tape._maybe_record(op, tuple(inputs), bundle)
            for i, g in enumerate(grads):
                if g is not None:
                    tape._maybe_record(Pick(i), (bundle,), g)


def _tensors(records: Sequence[tuple[Any, tuple[Tensor, ...], Tensor]], target: Tensor,
             sources: Sequence[Tensor]) -> list[Tensor]:
    out = [target, *sources]
    for _fn, ins, o in records:
        out.extend(ins)
        out.append(o)
    return out
