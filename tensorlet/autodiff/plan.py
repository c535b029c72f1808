"""Plan: one traced step, replayed on new input arrays without creating Tensor objects.

``trace(fn, feeds, variables)`` runs ``fn`` once with every op recorded, then turns the record into a list of
``(function, input slots, output slot)``. ``Plan.run`` replays the forward functions on raw arrays, and
``Plan.run_backward`` walks them in reverse for the gradients of the first output with respect to the
variables; both run as straight-line Python compiled once per plan (``plan_compiler``). This is the role
``tf.function`` plays for a training step: the Python that built the graph (layer ``__call__``, shape checks,
dispatch) runs once per input signature.

Caveat, as with ``tf.function``: values read back to Python during tracing (``.numpy()``, ``float()``, ``if t:``)
on data-dependent tensors would be frozen, so such a read marks the trace unusable and callers fall back to
eager execution.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

from tensorlet.autodiff.context import recording_only
from tensorlet.autodiff.context import state as _context
from tensorlet.autodiff.plan_compiler import CONST, FEED, VAR, compile_backward, compile_forward
from tensorlet.autodiff.tensor import Tensor, Variable


class _Recorder:
    """A tape-like recorder that keeps every op (nothing needs watching)."""

    _recording = True

    def __init__(self) -> None:
        self.records: list[tuple[Any, tuple[Tensor, ...], Tensor]] = []
        self.derived: set[int] = set()
        self.broken: str | None = None

    def _maybe_record(self, fn: Any, inputs: tuple[Tensor, ...], out: Tensor) -> None:
        self.records.append((fn, inputs, out))
        self.derived.add(id(out))

    def host_read(self, t: Tensor) -> None:
        if id(t) in self.derived and self.broken is None:
            self.broken = "a tensor computed in the step was read back to Python during tracing"


class Plan:
    """A replayable step: forward on raw arrays, and optionally the backward pass to the variables."""

    def __init__(self, steps: list[tuple[Any, tuple[int, ...], int]], n_slots: int, sources: list[tuple[int, int, Any]],
                 outputs: list[int], var_slots: list[int], variables: list[Variable]) -> None:
        self.steps = steps
        self.n_slots = n_slots
        self.sources = sources          # (slot, kind, feed index | variable | constant array)
        self.outputs = outputs
        self.var_slots = var_slots
        self.variables = variables
        self._values: list[Any] = [None] * n_slots
        self._backward = _backward_schedule(steps, set(var_slots))
        self._sinks = _sink_schedule(steps, var_slots, outputs, variables)
        self.sink_vars = {k for _, positions in self._sinks for k in positions.values()}
        kept = {i for _, ins, _, needs in self._backward for i, need in zip(ins, needs) if need}
        self._backward_fn = None
        if outputs:  # the backward pass reads the target's shape (for a ones seed) and each input's
            kept.add(outputs[0])
            self._backward_fn = compile_backward(self._backward, outputs[0], var_slots,
                                                 [v._value.dtype for v in variables])
        self._forward_fn = compile_forward(steps, sources, outputs, kept)

    def run(self, feeds: Sequence[Any]) -> list[Any]:
        """Forward replay; returns the output arrays."""
        return self._forward_fn(feeds, self._values)

    def run_backward(self, seed: Any = None, sink_into: Sequence[Any] | None = None) -> list[Any]:
        """Gradients of output 0 (seeded with ones) for each variable, in ``variables`` order (None if unused).

        ``sink_into`` (one array per variable): ops that accept sinks add the gradients of the variables in
        ``sink_vars`` straight into these arrays, and None comes back for them. Only for an update that is the
        gradient itself (plain SGD seeded with -lr); each such variable feeds exactly one op, so no later op of
        the backward pass reads a weight that was already updated.
        """
        if sink_into is None or not self._sinks:
            return self._backward_pass(seed)
        for fn, positions in self._sinks:
            fn.sinks = {pos: sink_into[k] for pos, k in positions.items()}
        try:
            return self._backward_pass(seed)
        finally:
            for fn, _ in self._sinks:
                del fn.sinks  # back to the class default (no sinks) for eager use and other replays

    def _backward_pass(self, seed: Any) -> list[Any]:
        if self._backward_fn is None:
            raise ValueError("This plan has no output to differentiate")
        return self._backward_fn(seed, self._values)


def _backward_schedule(steps: list[tuple[Any, tuple[int, ...], int]], var_slots: set[int]) -> list[Any]:
    """Reverse step list with, per step, which inputs lead back to a variable (only those need gradients)."""
    requires = set(var_slots)
    needs_per_step = []
    for fn, ins, out in steps:
        needs = tuple(i in requires for i in ins)
        if any(needs) and getattr(fn, "differentiable", True) is not False:
            requires.add(out)
        elif any(needs):
            requires.add(out)  # reaching it in backward raises the op's clear "not differentiable" error
        needs_per_step.append(needs)
    return [(fn, ins, out, needs) for (fn, ins, out), needs in zip(reversed(steps), reversed(needs_per_step))
            if any(needs)]


SINK_MIN_SIZE = 4096  # elements: below this, sinking saves less than the bookkeeping costs


def _sink_schedule(steps: list[tuple[Any, tuple[int, ...], int]], var_slots: list[int], outputs: list[int],
                   variables: Sequence[Variable]) -> list[tuple[Any, dict[int, int]]]:
    """Per op that accepts sinks: input position -> variable index, for variables read by that op alone (and
    only when the op has a kernel large enough to gain from it)."""
    uses: dict[int, int] = {}
    for _, ins, _ in steps:
        for i in ins:
            uses[i] = uses.get(i, 0) + 1
    var_index = {slot: k for k, slot in enumerate(var_slots)}
    schedule = []
    for fn, ins, _ in steps:
        if not getattr(fn, "accepts_sinks", False):
            continue
        positions = {pos: var_index[i] for pos, i in enumerate(ins)
                     if i in var_index and uses[i] == 1 and i not in outputs}
        if positions and max(variables[k]._value.size for k in positions.values()) >= SINK_MIN_SIZE:
            schedule.append((fn, positions))
    return schedule


def tracing() -> bool:
    """True while ``trace`` records a step. That run only builds the Plan and is then run again (replayed, or
    eagerly when untraceable), so an op with a side effect outside its outputs (BatchNormalization's moving
    statistics) skips the effect while tracing, or the first batch would count twice."""
    return any(isinstance(t, _Recorder) for t in _context.tapes)


def trace(fn: Callable[..., Any], feeds: Sequence[Tensor], variables: Sequence[Variable]) -> tuple[Plan | None, Any]:
    """Run ``fn(*feeds)`` once, recording every op. Returns (plan or None if untraceable, fn's result)."""
    from tensorlet import random as _random

    rec = _Recorder()
    random_state = _random.get_state()  # tracing must not consume random numbers the replays will draw
    rec.derived.update(id(t) for t in feeds)
    try:
        with recording_only(rec):
            result = fn(*feeds)
    finally:
        _random.set_state(random_state)
    if rec.broken:
        return None, result
    slots: dict[int, int] = {}
    sources: list[tuple[int, int, Any]] = []
    feed_index = {id(t): k for k, t in enumerate(feeds)}
    var_index = {id(v): v for v in variables}
    var_slots: list[int] = [-1] * len(variables)
    keep_alive: list[Any] = []

    def slot_of(t: Tensor) -> int:
        s = slots.get(id(t))
        if s is None:
            s = len(slots)
            slots[id(t)] = s
            keep_alive.append(t)
            if id(t) in feed_index:
                sources.append((s, FEED, feed_index[id(t)]))
            elif id(t) in var_index or isinstance(t, Variable):
                sources.append((s, VAR, t))
                for k, v in enumerate(variables):
                    if v is t:
                        var_slots[k] = s
            elif not produced(t):
                sources.append((s, CONST, t._value))
        return s

    produced_ids = {id(out) for _, _, out in rec.records}

    def produced(t: Tensor) -> bool:
        return id(t) in produced_ids

    steps = []
    for f, ins, out in rec.records:
        in_slots = tuple(slot_of(t) for t in ins)
        steps.append((f, in_slots, slot_of(out)))
    flat_out = _flatten(result)
    outputs = [slot_of(t) for t in flat_out]
    steps = fuse(steps, set(outputs))
    for k, v in enumerate(variables):
        if var_slots[k] < 0:  # unused variable: give it an isolated slot so its gradient is None
            var_slots[k] = slot_of(v)
    return Plan(steps, len(slots), sources, outputs, var_slots, list(variables)), result


def _flatten(x: Any) -> list[Tensor]:
    if isinstance(x, Tensor):
        return [x]
    if isinstance(x, (list, tuple)):
        return [y for v in x for y in _flatten(v)]
    if isinstance(x, dict):
        return [y for k in sorted(x) for y in _flatten(x[k])]
    raise TypeError(f"A traced step must return tensors, got {type(x).__name__}")


def _fusions() -> dict[type, str]:
    from tensorlet.ops.elementwise import Sigmoid, Tanh
    from tensorlet.ops.nn import Relu

    return {Relu: "relu", Sigmoid: "sigmoid", Tanh: "tanh"}


def fuse(steps: list[tuple[Any, tuple[int, ...], int]], outputs: set[int]) -> list[tuple[Any, tuple[int, ...], int]]:
    """Peephole pass: a linear Dense whose only consumer is ReLU/sigmoid/tanh becomes one fused Dense op.

    The Keras idiom ``Dense(n)`` then ``Activation('relu')`` is two layers; fused, the activation's forward and
    backward run in place on the Dense buffers, saving an array and a pass over it per layer and step.
    """
    from tensorlet.ops.nn import Dense

    acts = _fusions()
    consumers: dict[int, list[int]] = {}
    for j, (_f, ins, _o) in enumerate(steps):
        for i in ins:
            consumers.setdefault(i, []).append(j)
    dropped: set[int] = set()
    out = list(steps)
    for k, (f, ins, o) in enumerate(steps):
        if type(f) is not Dense or f.activation is not None or o in outputs:
            continue
        users = consumers.get(o, [])
        if len(users) != 1:
            continue
        j = users[0]
        g, g_ins, g_out = steps[j]
        name = acts.get(type(g))
        if name is None:
            continue
        out[k] = (Dense(name), ins, g_out)
        dropped.add(j)
    return [st for j, st in enumerate(out) if j not in dropped]
