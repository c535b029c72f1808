"""The optimizer's state: its slots per variable, built on first use, and the checkpoint view of them.

A mixin of ``Optimizer``, which owns the attributes used here (``_OptimizerHost`` declares them): ``_store``
(the SlotStore, None until built), ``_iterations``, ``_learning_rate``/``_lr_var``, ``_extra_variables``,
``use_ema``, ``gradient_accumulation_steps``, ``_custom_update_step`` and the weight-decay mask.
"""
from __future__ import annotations

from typing import Any, Protocol, Sequence

from tensorlet import backend
from tensorlet.autodiff.tensor import Variable
from tensorlet.optimizers.slot_store import SlotStore
from tensorlet.trackable import deferred
from tensorlet.trackable.children import unique


class _OptimizerHost(Protocol):
    """What OptimizerState needs from the optimizer it is mixed into (Optimizer provides all of it)."""

    name: str
    built: bool
    use_ema: bool
    gradient_accumulation_steps: int | None
    _custom_update_step: bool
    _store: SlotStore | None
    _iterations: Variable
    _lr_var: Variable | None
    _learning_rate: Any
    _extra_variables: list[Variable]
    _wd_mask: list[bool]

    @property
    def variables(self) -> list[Variable]: ...
    def _slot_specs(self) -> list[tuple[str, float]]: ...
    def _n_scratch(self) -> int: ...
    def _decaying_slots(self) -> list[tuple[int, float]]: ...
    def _use_weight_decay(self, variable: Any) -> bool: ...
    def _slot_groups(self) -> list[tuple[str, ...]]: ...
    def _state_variables(self, groups: Sequence[Sequence[str]] | None) -> list[Variable]: ...


class OptimizerState:
    """build(), variables, get_weights()/set_weights() and get_slot() of every optimizer."""

    def build(self: _OptimizerHost, var_list: Sequence[Any]) -> None:
        """Create the optimizer state of ``var_list`` (variables seen before keep theirs)."""
        var_list = list(var_list)
        store = self._store
        if store is None:
            store = SlotStore(self._slot_specs(), self._n_scratch(), self._decaying_slots())
            self._store: SlotStore | None = store
        new = [v for v in var_list if id(v) not in store.index]
        if new and self.built and self._custom_update_step:
            raise ValueError(f"Unknown variable: {new[0]!r}. This optimizer can only be called for the "
                             "variables it was built with; create a new optimizer for new variables.")
        store.add(new, ema=self.use_ema, accumulate=bool(self.gradient_accumulation_steps))
        self._wd_mask = [self._use_weight_decay(v) for v in store.variables]
        self.built = True
        if new:  # a checkpoint restore may wait for these slots (restore-on-create)
            deferred.notify(self)

    @property
    def variables(self: _OptimizerHost) -> list[Variable]:
        """The state in Keras 3's order: iterations, learning rate (when a float), EMA averages, gradient
        accumulators, then the slots group by group (``_slot_groups``), each group interleaved per variable,
        then extra state (Nadam's product). Keras 3 files store the state in this order under
        ``optimizer/vars``."""
        return self._state_variables(self._slot_groups())

    def _state_variables(self: _OptimizerHost, groups: Sequence[Sequence[str]] | None) -> list[Variable]:
        out = [self._iterations] + ([self._lr_var] if self._learning_rate is self._lr_var else [])
        if self._store is not None:
            out += self._store.ema + self._store.accumulators + self._store.slot_variables(groups)
        return out + self._extra_variables

    def legacy_variables(self: _OptimizerHost) -> list[Variable]:
        """The state in the slot-major order of files written by tensorlet before it followed Keras 3."""
        return self._state_variables(None)

    def _slot_groups(self: _OptimizerHost) -> list[tuple[str, ...]]:
        """Slots that Keras 3 creates together (interleaved per variable); by default all of them, as in
        ``add_optimizer_variables(vars, ["momentum", "velocity"])``. Optimizers whose Keras build adds a slot in
        a later call (Adam's ``velocity_hat``, RMSprop's) override this."""
        return [tuple(name for name, _ in self._slot_specs())]

    def get_weights(self: _OptimizerHost) -> list[Any]:
        """Copies of ``variables``' values (for checkpoints)."""
        return [backend.to_numpy(v._value).copy() for v in self.variables]

    def set_weights(self: _OptimizerHost, weights: Sequence[Any]) -> None:
        """Restore ``get_weights()``'s list into a built optimizer.

        Raises:
            ValueError: when unbuilt, or when the count or a shape does not match.
        """
        if not self.built:
            raise ValueError("set_weights() needs a built optimizer: call "
                             "optimizer.build(trainable_variables) first.")
        variables = self.variables
        if len(weights) != len(variables):
            raise ValueError(f"Optimizer '{self.name}' has {len(variables)} state arrays; "
                             f"got {len(weights)}.")
        for v, w in zip(variables, weights):
            w = backend.asarray(getattr(w, "_value", w))
            if w.shape != v._value.shape:
                raise ValueError(f"Optimizer variable '{v.name}' has shape {v._value.shape}, not compatible "
                                 f"with the provided weight of shape {w.shape}.")
        for v, w in zip(variables, weights):
            backend.xp().copyto(v._value, backend.asarray(getattr(w, "_value", w)), casting="unsafe")

    # -- the checkpoint view (tensorlet.trackable.children) ---------------------------------------------------
    def _checkpoint_children(self: _OptimizerHost) -> list[tuple[str, Any]]:
        """Checkpoint edges: ``iter``, ``learning_rate`` (when a float) and extra state by name."""
        out: list[tuple[str, Any]] = [("iter", self._iterations)]
        if self._lr_var is not None and self._learning_rate is self._lr_var:
            out.append(("learning_rate", self._lr_var))
        return out + unique([(v._name, v) for v in self._extra_variables])

    def _checkpoint_slots(self: _OptimizerHost) -> list[tuple[Any, str, Variable]]:
        """``(variable, slot name, slot variable)`` of every slot created; a checkpoint keys them by variable."""
        store = self._store
        if store is None:
            return []
        out = [(v, name, store.slots[name][i]) for name, _ in store.slot_specs for i, v in enumerate(store.variables)]
        out += [(v, "average", s) for v, s in zip(store.variables, store.ema)]
        return out + [(v, "gradient_accumulator", s) for v, s in zip(store.variables, store.accumulators)]

    def get_slot_names(self: _OptimizerHost) -> list[str]:
        return [name for name, _ in self._slot_specs()]

    def get_slot(self: _OptimizerHost, var: Any, slot_name: str) -> Variable:
        """The slot Variable ``slot_name`` (e.g. ``"momentum"``) of model variable ``var``."""
        if self._store is None or id(var) not in self._store.index:
            raise KeyError(f"Variable {getattr(var, 'name', var)!r} has no slots: the optimizer has not "
                           "updated it")
        return self._store.slots[slot_name][self._store.index[id(var)]]
