"""SlotStore: an optimizer's per-variable state, preallocated once so that a training step allocates nothing.

For each model variable the store holds the optimizer's slots (momentum, velocity...) as non-trainable
Variables of the variable's shape and dtype, and their raw arrays in a per-variable list that the update loop
indexes directly. Scratch buffers are shared: one flat array per dtype and scratch index, as long as the
largest variable, of which each variable gets a reshaped view (variables are updated one after the other).

Subnormal flushing: a slot that decays geometrically (``m *= beta`` under zero gradients, e.g. the weights of
an always-black MNIST pixel) ends up in float32's subnormal range after a few hundred steps, where ``sqrt``
and division run about twice as slowly on this kind of CPU (NumPy does not set flush-to-zero; TensorFlow's CPU
kernels do). Every ``flush_every`` steps the store sets entries below ``tiny * 1e8`` (about 1e-30 in float32)
to zero. ``flush_every`` is chosen so that no value can decay from that threshold into the subnormal range in
between, and the values flushed are far below anything that moves a float32 weight.
"""
from __future__ import annotations

import math
from typing import Any, Sequence

from tensorlet import backend
from tensorlet.autodiff.tensor import Variable
from tensorlet.backend import Array


def _slot_name(variable: Any, slot: str) -> str:
    base = str(getattr(variable, "path", None) or variable.name)
    return base.replace("/", "_").replace(":", "_") + "_" + slot


class SlotStore:
    """Slots, scratch views and per-variable flags of one optimizer.

    Args:
        slot_specs: ``(name, initial value)`` per slot, in update order.
        n_scratch: the number of scratch arrays each update needs.
        decays: ``(slot position, decay factor)`` for slots that shrink geometrically between gradients.
    """

    def __init__(self, slot_specs: Sequence[tuple[str, float]], n_scratch: int,
                 decays: Sequence[tuple[int, float]] = ()) -> None:
        self.slot_specs = list(slot_specs)
        self.n_scratch = max(1, n_scratch)
        self.xp = backend.xp()  # the array module of the backend the slots live on, for the update rules
        self.variables: list[Variable] = []
        self.index: dict[int, int] = {}
        self.slots: dict[str, list[Variable]] = {name: [] for name, _ in self.slot_specs}
        self.arrays: list[list[Array]] = []        # per variable: its slot arrays, in slot order
        self.scratch: list[list[Array]] = []       # per variable: n_scratch views of shared buffers
        self.decays = [(i, d) for i, d in decays if 0.0 < d < 1.0]
        self.flush_every = _flush_interval([d for _, d in self.decays])
        self.ema: list[Variable] = []
        self.accumulators: list[Variable] = []
        self.constants: list[tuple[Array, ...]] = []   # per variable: 0-d views, in its dtype
        self._constant_buffers: list[Array] = []
        self._last_constants: tuple[float, ...] = ()
        self._clip: list[Array] | None = None

    # Pickling and deepcopy keep the Variables and rebuild what aliases them (views, id-keyed index).
    def __getstate__(self) -> dict[str, Any]:
        return {"slot_specs": self.slot_specs, "n_scratch": self.n_scratch, "decays": self.decays,
                "variables": self.variables, "slots": self.slots, "ema": self.ema,
                "accumulators": self.accumulators}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["slot_specs"], state["n_scratch"], state["decays"])  # type: ignore[misc]
        self.variables, self.slots = state["variables"], state["slots"]
        self.ema, self.accumulators = state["ema"], state["accumulators"]
        self.index = {id(v): i for i, v in enumerate(self.variables)}
        self.arrays = [[self.slots[name][i]._value for name, _ in self.slot_specs]
                       for i in range(len(self.variables))]
        self.scratch = self._views(self.n_scratch)

    def knows(self, variables: Sequence[Any]) -> bool:
        index = self.index
        for v in variables:
            if id(v) not in index:
                return False
        return True

    def add(self, variables: Sequence[Any], ema: bool = False, accumulate: bool = False) -> None:
        """Create the slots (and EMA/accumulator copies) of variables not seen before."""
        for v in variables:
            if id(v) in self.index:
                continue
            if not isinstance(v, Variable):
                raise TypeError(f"Optimizers update tf.Variable objects; got {type(v).__name__}: {v!r}")
            self.index[id(v)] = len(self.variables)
            self.variables.append(v)
            row = []
            for name, init in self.slot_specs:
                slot = _zeros_like(v, name, init)
                self.slots[name].append(slot)
                row.append(slot._value)
            self.arrays.append(row)
            if ema:
                average = _zeros_like(v, "average", 0.0)
                backend.xp().copyto(average._value, v._value)
                self.ema.append(average)
            if accumulate:
                self.accumulators.append(_zeros_like(v, "gradient_accumulator", 0.0))
        self.scratch = self._views(self.n_scratch)
        self._clip = None
        self._constant_buffers = []
        self._last_constants = ()

    def set_constants(self, values: tuple[float, ...]) -> None:
        """Write a step's scalars into one small buffer per dtype; ``constants[i]`` holds 0-d views of them.

        A 0-d array operand costs a ufunc about half what a Python float does (no scalar conversion per call),
        which matters for small variables, where call overhead is most of the step.
        """
        if values == self._last_constants:  # e.g. SGD at a constant rate: nothing to write
            return
        self._last_constants = values
        if not self._constant_buffers or self._constant_buffers[0].size != len(values):
            by_dtype: dict[Any, tuple[Array, tuple[Array, ...]]] = {}
            for v in self.variables:
                dt = v._value.dtype
                if dt not in by_dtype:
                    buf = backend.xp().zeros(len(values), dtype=dt)
                    by_dtype[dt] = (buf, tuple(buf[j:j + 1].reshape(()) for j in range(len(values))))
            self._constant_buffers = [buf for buf, _ in by_dtype.values()]
            self.constants = [by_dtype[v._value.dtype][1] for v in self.variables]
        for buf in self._constant_buffers:
            buf[:] = values

    def slot_variables(self, groups: Sequence[Sequence[str]] | None = None) -> list[Variable]:
        """Every slot Variable, group by group; within a group interleaved per variable (Keras 3's
        ``add_optimizer_variables``: ``w0_momentum, w0_velocity, w1_momentum...``). ``groups`` defaults to one
        group per slot, i.e. slot-major (all momentums, then all velocities), the order tensorlet used to write."""
        if groups is None:
            groups = [(name,) for name, _ in self.slot_specs]
        return [self.slots[name][i] for group in groups for i in range(len(self.variables)) for name in group]

    @property
    def clip(self) -> list[Array]:
        """Per-variable buffers for rescaled, clipped or accumulated gradients (allocated on first use; not
        shared, since every gradient is transformed before the first update)."""
        if self._clip is None:
            self._clip = [backend.xp().empty_like(v._value) for v in self.variables]
        return self._clip

    def _views(self, n: int) -> list[list[Array]]:
        sizes: dict[Any, int] = {}
        for v in self.variables:
            dt = v._value.dtype
            sizes[dt] = max(sizes.get(dt, 0), v._value.size)
        xp = self.xp
        buffers = {dt: [xp.empty(size, dtype=dt) for _ in range(n)] for dt, size in sizes.items()}
        out = []
        for v in self.variables:
            a = v._value
            out.append([b[: a.size].reshape(a.shape) for b in buffers[a.dtype]])
        return out

    def flush_subnormals(self) -> None:
        """Zero the decaying slots' entries that are about to become subnormal (see the module docstring)."""
        xp = self.xp
        for row in self.arrays:
            for i, _ in self.decays:
                s = row[i]
                if s.dtype.kind == "f" and s.dtype.itemsize >= 4:
                    xp.putmask(s, xp.abs(s) < xp.finfo(s.dtype).tiny * 1e8, 0)


def _flush_interval(decays: Sequence[float]) -> int:
    """Steps between flushes: half the steps a value needs to shrink by 1e8 at the fastest decay."""
    if not decays:
        return 1 << 62
    steps = math.log(1e8) / -math.log(min(decays))
    return max(1, min(128, int(steps / 2)))


def _zeros_like(v: Any, slot: str, init: float) -> Variable:
    value = backend.xp().full(v._value.shape, init, dtype=v._value.dtype)
    var = Variable(value, trainable=False, name=_slot_name(v, slot))
    return var
