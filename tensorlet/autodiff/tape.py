"""GradientTape: records the ops run inside it, then walks them in reverse to get gradients.

Each recorded entry is ``(function, inputs, output)``. ``gradient`` seeds the target with ones (a non-scalar
target is summed, as in TF), calls each function's ``backward`` in reverse order, undoes broadcasting once
(``unbroadcast``), and returns None for sources the target does not depend on.
"""
from __future__ import annotations

from typing import Any

from tensorlet import backend as _backend
from tensorlet import tree
from tensorlet.autodiff.context import state as _state
from tensorlet.autodiff.tensor import Tensor, Variable, _wrap


def record(fn: Any, inputs: tuple[Tensor, ...], out: Tensor) -> None:
    """Record one op on every tape recording in this thread."""
    for tape in _state.tapes:
        tape._maybe_record(fn, inputs, out)


def unbroadcast(g: Any, shape: tuple[int, ...]) -> Any:
    """Sum ``g`` down to ``shape``: the adjoint of NumPy broadcasting."""
    gshape = g.shape
    if gshape == shape:
        return g
    lead = len(gshape) - len(shape)
    axes = tuple(range(lead)) + tuple(i + lead for i, s in enumerate(shape) if s == 1 and gshape[i + lead] != 1)
    if axes and axes == tuple(range(len(axes))):  # leading axes only (a bias): the backend's row sum
        g = _backend.current().sum_leading(g, len(axes))
    elif axes:
        g = g.sum(axis=axes, keepdims=False)
    return g.reshape(shape)


class GradientTape:
    """Record operations for automatic differentiation.

    Args:
        persistent: allow several ``gradient`` calls.
        watch_accessed_variables: watch every trainable variable an op reads.

    Example:
        >>> import tensorlet as tf
        >>> x = tf.constant(3.0)
        >>> with tf.GradientTape() as tape:
        ...     tape.watch(x)
        ...     y = x * x
        >>> float(tape.gradient(y, x))
        6.0
    """

    def __init__(self, persistent: bool = False, watch_accessed_variables: bool = True) -> None:
        self.persistent = persistent
        self.watch_accessed_variables = watch_accessed_variables
        self._watched: dict[int, Tensor] = {}
        self._records: list[tuple[Any, tuple[Tensor, ...], Tensor]] = []
        self._recording = False
        self._used = False

    # -- context ---------------------------------------------------------------------------------------
    def __enter__(self) -> GradientTape:
        self._recording = True
        _state.tapes.append(self)
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop()

    def _stop(self) -> None:
        self._recording = False
        if self in _state.tapes:
            _state.tapes.remove(self)

    def stop_recording(self) -> _StopRecording:
        """Context manager in which ops are not recorded."""
        return _StopRecording(self)

    def reset(self) -> None:
        self._records.clear()
        self._watched.clear()

    def watch(self, tensor: Any) -> None:
        """Track ``tensor`` (or a nested structure of tensors) so gradients can be taken with respect to it."""
        for t in tree.flatten(tensor):
            if t is None:
                continue
            if not isinstance(t, Tensor):
                raise ValueError(f"tape.watch expects tensors or variables, got {type(t).__name__}")
            self._watched[id(t)] = t

    def watched_variables(self) -> list[Variable]:
        return [t for t in self._watched.values() if isinstance(t, Variable)]

    def _maybe_record(self, fn: Any, inputs: tuple[Tensor, ...], out: Tensor) -> None:
        watched = self._watched
        hit = False
        for x in inputs:
            if id(x) in watched:
                hit = True
            elif self.watch_accessed_variables and isinstance(x, Variable) and x.trainable:
                watched[id(x)] = x
                hit = True
        if hit:
            self._records.append((fn, inputs, out))
            watched[id(out)] = out

    # -- gradients -------------------------------------------------------------------------------------
    def gradient(self, target: Any, sources: Any, output_gradients: Any = None,
                 unconnected_gradients: str = "none") -> Any:
        """Gradients of ``target`` (summed if not scalar) with respect to ``sources`` (any nesting)."""
        if self._used and not self.persistent:
            raise RuntimeError("A non-persistent GradientTape can only be used to compute one set of "
                               "gradients (or jacobians); create it with persistent=True for more.")
        self._used = True
        targets = tree.flatten(target)
        seeds = tree.flatten(output_gradients) if output_gradients is not None else [None] * len(targets)
        grads: dict[int, Any] = {}
        pairs = [(t, s) for t, s in zip(targets, seeds) if t is not None]
        for t, s in pairs:
            if not isinstance(t, Tensor):
                raise ValueError(f"gradient target must be a Tensor, got {type(t).__name__}")
            g = _backend.xp().ones_like(t._value) if s is None else _backend.asarray(
                s._value if isinstance(s, Tensor) else s, dtype=t._value.dtype)
            _accumulate(grads, t, g)
        source_ids = {id(s) for s in tree.flatten(sources) if isinstance(s, Tensor)}
        self._backprop(grads, source_ids)
        zeros = unconnected_gradients == "zero"

        def result(s: Any) -> Any:
            if not isinstance(s, Tensor):
                raise ValueError(f"gradient sources must be Tensors or Variables, got {type(s).__name__}")
            g = grads.get(id(s))
            if g is None or s._value.dtype.kind not in "fc":
                return _wrap(_backend.xp().zeros_like(s._value)) if zeros and s._value.dtype.kind in "fc" else None
            return _wrap(g)

        out = tree.map_structure(result, sources)
        if _state.tracing:  # a traced function: the replays must compute these gradients again
            self._record_for_replays([t for t, _ in pairs], [s for _, s in pairs], sources, out)
        return out

    def _record_for_replays(self, targets: list[Any], seeds: list[Any], sources: Any, out: Any) -> None:
        from tensorlet.autodiff import traced_gradient

        flat_sources = tree.flatten(sources)
        flat_grads = tree.flatten(out)  # out has the structure of sources: the same positions
        seed = seeds[0]
        if len(targets) != 1 or (seed is not None and not isinstance(seed, Tensor)):
            if seed is not None and not isinstance(seed, Tensor):
                seed = _wrap(_backend.asarray(seed, dtype=targets[0]._value.dtype))
            if len(targets) != 1:
                from tensorlet.autodiff.plan import mark_untraceable

                mark_untraceable("GradientTape.gradient of several targets inside a traced function")
                return
        traced_gradient.record(self._records, targets[0], seed, flat_sources, flat_grads)

    def _backprop(self, grads: dict[int, Any], source_ids: set[int]) -> None:
        needed = _needed_ids(self._records, source_ids)
        for fn, inputs, out in reversed(self._records):
            dy = grads.get(id(out))
            if dy is None:
                continue
            needs = tuple(id(x) in needed and x._value.dtype.kind in "fc" for x in inputs)
            if not any(needs):
                continue
            fn.needs_input_grad = needs
            gs = fn.backward(dy)
            if not isinstance(gs, tuple):
                gs = (gs,)
            for x, g, need in zip(inputs, gs, needs):
                if g is None or not need:
                    continue
                xv = x._value
                if g.shape != xv.shape:
                    g = unbroadcast(g, xv.shape)
                if g.dtype != xv.dtype:
                    g = g.astype(xv.dtype)
                _accumulate(grads, x, g)

    def jacobian(self, target: Tensor, sources: Any, unconnected_gradients: str = "none",
                 experimental_use_pfor: bool = True) -> Any:
        """Full Jacobian by one backward pass per element of ``target``."""
        was = self.persistent
        self.persistent = True
        flat = target._value.reshape(-1)
        rows: list[list[Any]] = []
        for i in range(flat.size):
            seed = _backend.xp().zeros(flat.size, dtype=flat.dtype)
            seed[i] = 1
            self._used = False
            grads = self.gradient(target, sources, output_gradients=seed.reshape(target._value.shape))
            rows.append(tree.flatten(grads))
        self.persistent = was

        def stack(idx: int, s: Tensor) -> Any:
            xp = _backend.xp()
            arr = xp.stack([xp.zeros_like(s._value) if r[idx] is None else r[idx]._value for r in rows])
            return _wrap(arr.reshape(tuple(target._value.shape) + tuple(s._value.shape)))

        return tree.pack_sequence_as(sources, [stack(i, s) for i, s in enumerate(tree.flatten(sources))])


def _needed_ids(records: list[Any], source_ids: set[int]) -> set[int]:
    """Ids of tensors on some path from a source: only those need gradients."""
    needed = set(source_ids)
    for _fn, inputs, out in records:
        for x in inputs:
            if id(x) in needed:
                needed.add(id(out))
                break
    return needed


def _accumulate(grads: dict[int, Any], x: Tensor, g: Any) -> None:
    key = id(x)
    prev = grads.get(key)
    grads[key] = g if prev is None else prev + g


class _StopRecording:
    def __init__(self, tape: GradientTape) -> None:
        self.tape = tape

    def __enter__(self) -> None:
        self.tape._recording = False
        if self.tape in _state.tapes:
            _state.tapes.remove(self.tape)

    def __exit__(self, *exc: object) -> None:
        self.tape._recording = True
        _state.tapes.append(self.tape)
