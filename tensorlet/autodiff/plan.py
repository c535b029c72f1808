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

from tensorlet import seeding, tree
from tensorlet.autodiff.context import recording_only
from tensorlet.autodiff.context import state as _context
from tensorlet.autodiff.plan_compiler import CONST, FEED, VAR, compile_backward, compile_forward
from tensorlet.autodiff.tensor import Tensor, Variable

Steps = list[tuple[Any, tuple[int, ...], int]]
Rewrite = Callable[[Steps, list[int], list[int]], Steps]  # a pass over a recorded step list (see ops.fusion)


class _Recorder:
    """A tape-like recorder that keeps every op (nothing needs watching).

    It also tells which tensors may differ from one replay to the next (``derived``): the feeds, variables, the
    outputs of ops that read one of these, and of ops whose output varies by itself (random draws, stateful
    steps). Reading such a tensor back to Python while tracing would freeze its trace-time value into the plan;
    reading one computed from shapes and constants alone (``tf.shape(x)[0]`` for a traced shape) is safe.
    """

    _recording = True

    def __init__(self) -> None:
        self.records: list[tuple[Any, tuple[Tensor, ...], Tensor]] = []
        self.derived: set[int] = set()
        self.broken: str | None = None

    def _maybe_record(self, fn: Any, inputs: tuple[Tensor, ...], out: Tensor) -> None:
        self.records.append((fn, inputs, out))
        derived = self.derived
        if fn.varies or any(id(x) in derived or isinstance(x, Variable) for x in inputs):
            derived.add(id(out))

    def host_read(self, t: Tensor) -> None:
        if self.broken is None and (id(t) in self.derived or isinstance(t, Variable)):
            kind = "a variable" if isinstance(t, Variable) else "a tensor computed from the inputs"
            self.broken = f"{kind} was read back to Python while tracing"


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
        backward = _backward_schedule(steps, set(var_slots))
        kept = {i for _, ins, _, needs in backward for i, need in zip(ins, needs) if need}
        self._backward_fn = None
        if outputs:  # the backward pass reads the target's shape (for a ones seed) and each input's
            kept.add(outputs[0])
            self._backward_fn = compile_backward(backward, outputs[0], var_slots,
                                                 [v._value.dtype for v in variables])
        self._forward_fn = compile_forward(steps, sources, outputs, kept)

    def rewritten(self, steps: list[tuple[Any, tuple[int, ...], int]]) -> Plan:
        """The same step with another step list over the same slots (the result of a rewrite pass)."""
        return Plan(steps, self.n_slots, self.sources, self.outputs, self.var_slots, self.variables)

    def run(self, feeds: Sequence[Any]) -> list[Any]:
        """Forward replay; returns the output arrays."""
        return self._forward_fn(feeds, self._values)

    def run_backward(self, seed: Any = None) -> list[Any]:
        """Gradients of output 0 (seeded with ones, or ``seed``) for each variable, in ``variables`` order (None
        where unused, or where an op of the plan took the gradient into the variable itself)."""
        if self._backward_fn is None:
            raise ValueError("This plan has no output to differentiate")
        return self._backward_fn(seed, self._values)


def _backward_schedule(steps: list[tuple[Any, tuple[int, ...], int]], var_slots: set[int]) -> list[Any]:
    """Reverse step list with, per step, which inputs lead back to a variable (only those need gradients)."""
    requires = set(var_slots)
    needs_per_step = []
    for _fn, ins, out in steps:
        needs = tuple(i in requires for i in ins)
        if any(needs):  # a non-differentiable op reached in backward raises its clear error there
            requires.add(out)
        needs_per_step.append(needs)
    return [(fn, ins, out, needs) for (fn, ins, out), needs in zip(reversed(steps), reversed(needs_per_step))
            if any(needs)]


def gradient_slots(steps: list[tuple[Any, tuple[int, ...], int]], var_slots: Sequence[int]) -> set[int]:
    """The slots a gradient flows through: the variables' and the output of every step the backward pass runs
    (a rewrite pass may replace any other step by one without a gradient)."""
    return set(var_slots).union(out for _fn, _ins, out, _needs in _backward_schedule(steps, set(var_slots)))


def mark_untraceable(reason: str) -> None:
    """Tell the trace recording in this thread (if any) that its step cannot be replayed faithfully."""
    for t in _context.tapes:
        if isinstance(t, _Recorder) and t.broken is None:
            t.broken = reason


def trace(fn: Callable[..., Any], feeds: Sequence[Tensor], variables: Sequence[Variable],
          rewrite: Rewrite | None = None, report: Callable[[str], Any] | None = None) -> tuple[Plan | None, Any]:
    """Run ``fn(*feeds)`` once, recording every op. Returns (plan or None if untraceable, fn's result).

    ``rewrite(steps, output_slots, variable_slots) -> steps``, a pass chosen by the caller (``ops.fusion``), runs
    on the recorded step list before the plan is compiled. ``report(reason)`` hears why a step is untraceable.
    """
    rec = _Recorder()
    random_state = seeding.get_state()  # tracing must not consume random numbers the replays will draw
    rec.derived.update(id(t) for t in feeds)
    try:
        with recording_only(rec), seeding.generators_untouched():
            result = fn(*feeds)
    finally:
        seeding.set_state(random_state)
    if rec.broken:
        if report is not None:
            report(rec.broken)
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
    flat_out = _traced_outputs(result)
    outputs = [slot_of(t) for t in flat_out]
    if rewrite is not None:
        steps = rewrite(steps, outputs, [s for s in var_slots if s >= 0])
    for k, v in enumerate(variables):
        if var_slots[k] < 0:  # unused variable: give it an isolated slot so its gradient is None
            var_slots[k] = slot_of(v)
    return Plan(steps, len(slots), sources, outputs, var_slots, list(variables)), result


def _traced_outputs(x: Any) -> list[Tensor]:
    flat = tree.flatten(x)
    for t in flat:
        if not isinstance(t, Tensor):
            raise TypeError(f"A traced step must return tensors, got {type(t).__name__}")
    return flat
