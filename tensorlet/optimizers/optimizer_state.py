"""The optimizer's state: its slots per variable, built on first use, and the checkpoint view of them.

A mixin of ``Optimizer``, which owns the attributes used here: ``_store`` (the SlotStore, None until built),
``_iterations``, ``_learning_rate``/``_lr_var``, ``_extra_variables``, ``use_ema``,
``gradient_accumulation_steps``, ``_custom_update_step`` and the weight-decay mask.
"""
from __future__ import annotations

from typing import Any, Sequence

from tensorlet import backend
from tensorlet.autodiff.tensor import Variable
from tensorlet.optimizers.slot_store import SlotStore
from tensorlet.trackable import deferred
from tensorlet.trackable.children import unique


class OptimizerState:
    """build(), variables, get_weights()/set_weights() and get_slot() of every optimizer."""

    def build(self, var_list: Sequence[Any]) -> None:
        """Create the optimizer state of ``var_list`` (variables seen before keep theirs)."""
        var_list = list(var_list)
        if self._store is None:
            self._store = SlotStore(self._slot_specs(), self._n_scratch(), self._decaying_slots())
        new = [v for v in var_list if id(v) not in self._store.index]
        if new and self.built and self._custom_update_step:
            raise ValueError(f"Unknown variable: {new[0]!r}. This optimizer can only be called for the "
                             "variables it was built with; create a new optimizer for new variables.")
        self._store.add(new, ema=self.use_ema, accumulate=bool(self.gradient_accumulation_steps))
        self._wd_mask = [self._use_weight_decay(v) for v in self._store.variables]
        self.built = True
        if new:  # a checkpoint restore may wait for these slots (restore-on-create)
            deferred.notify(self)

    @property
    def variables(self) -> list[Variable]:
        """The state, in a fixed order: iterations, learning rate (when a float), EMA averages, gradient
        accumulators, then each slot for every variable (slot-major), then extra state (Nadam's product)."""
        out = [self._iterations] + ([self._lr_var] if self._learning_rate is self._lr_var else [])
        if self._store is not None:
            out += self._store.ema + self._store.accumulators + self._store.slot_variables()
        return out + self._extra_variables

    def get_weights(self) -> list[Any]:
        """Copies of ``variables``' values (for checkpoints)."""
        return [backend.to_numpy(v._value).copy() for v in self.variables]

    def set_weights(self, weights: Sequence[Any]) -> None:
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
    def _checkpoint_children(self) -> list[tuple[str, Any]]:
        """Checkpoint edges: ``iter``, ``learning_rate`` (when a float) and extra state by name."""
        out: list[tuple[str, Any]] = [("iter", self._iterations)]
        if self._lr_var is not None and self._learning_rate is self._lr_var:
            out.append(("learning_rate", self._lr_var))
        return out + unique([(v._name, v) for v in self._extra_variables])

    def _checkpoint_slots(self) -> list[tuple[Any, str, Variable]]:
        """``(variable, slot name, slot variable)`` of every slot created; a checkpoint keys them by variable."""
        store = self._store
        if store is None:
            return []
        out = [(v, name, store.slots[name][i]) for name, _ in store.slot_specs for i, v in enumerate(store.variables)]
        out += [(v, "average", s) for v, s in zip(store.variables, store.ema)]
        return out + [(v, "gradient_accumulator", s) for v, s in zip(store.variables, store.accumulators)]

    def get_slot_names(self) -> list[str]:
        return [name for name, _ in self._slot_specs()]

    def get_slot(self, var: Any, slot_name: str) -> Variable:
        """The slot Variable ``slot_name`` (e.g. ``"momentum"``) of model variable ``var``."""
        if self._store is None or id(var) not in self._store.index:
            raise KeyError(f"Variable {getattr(var, 'name', var)!r} has no slots: the optimizer has not "
                           "updated it")
        return self._store.slots[slot_name][self._store.index[id(var)]]
