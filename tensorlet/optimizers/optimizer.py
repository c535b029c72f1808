"""Optimizer: the base of every optimizer, with Keras 3's arguments and a fast in-place update path.

One step, in Keras 3's order: gradients are unscaled (``loss_scale_factor``) and clipped (``clipnorm``,
``global_clipnorm`` or ``clipvalue``); weight decay shrinks the weights, ``w <- w - w * weight_decay * lr``;
the optimizer's rule updates each variable; constraints are applied; the EMA of the weights is updated; the
``iterations`` counter goes up by one. ``lr`` is the learning rate (or schedule) at ``iterations`` before the
update, divided by ``1 + decay * iterations`` when the classic ``decay=`` is set.

The trainer calls ``apply_gradient_arrays(grads, variables)`` with raw backend-array gradients; the public
``apply_gradients``, ``apply`` and ``minimize`` convert and call it. Subclasses implement three hooks:
``_slot_specs()`` (their state), ``_prepare(lr, t)`` (per-step Python scalars) and
``_update(w, g, s, tmp, c)`` (in-place ufuncs).
"""
from __future__ import annotations

import logging
import re
from typing import Any, Iterable, Sequence

from tensorlet import backend
from tensorlet.autodiff.context import state as _context
from tensorlet.autodiff.tensor import Tensor, Variable, _wrap
from tensorlet.backend import Array
from tensorlet.optimizers import gradient_transforms as transforms
from tensorlet.optimizers.keras3_subclass_api import Keras3SubclassAPI
from tensorlet.optimizers.legacy_arguments import clean_config, pop_legacy_arguments
from tensorlet.optimizers.optimizer_state import OptimizerState
from tensorlet.optimizers.schedules.learning_rate_schedule import LearningRateSchedule
from tensorlet.optimizers.schedules.learning_rate_schedule import deserialize as _deserialize_schedule
from tensorlet.optimizers.schedules.learning_rate_schedule import serialize as _serialize_schedule
from tensorlet.optimizers.slot_store import SlotStore
from tensorlet.trackable import deferred as _deferred

_log = logging.getLogger("tensorlet.optimizers")
Arrays = list[Array]


def _as_float(x: Any) -> float:
    return float(getattr(x, "_value", x))


class Optimizer(OptimizerState, Keras3SubclassAPI):
    """Base optimizer (Keras 3 arguments; Keras 2's ``lr=`` and ``decay=`` also honoured).

    Args:
        learning_rate: a float, a ``LearningRateSchedule`` (called with ``iterations``), or a callable
            without arguments.
        weight_decay: if set, decoupled weight decay ``w <- w - w * weight_decay * lr`` before each update.
        clipnorm: clip each gradient to this L2 norm: ``g * clipnorm / max(||g||, clipnorm)``.
        clipvalue: clip each gradient element to ``[-clipvalue, clipvalue]``.
        global_clipnorm: clip all gradients together so that their global L2 norm is at most this.
        use_ema: keep an exponential moving average of the weights,
            ``average <- m * average + (1 - m) * w`` with ``m = ema_momentum`` (0 on the first step).
        ema_momentum: the EMA momentum.
        ema_overwrite_frequency: copy the averages into the weights every this many steps
            (otherwise ``finalize_variable_values`` does it).
        loss_scale_factor: gradients are divided by it (``scale_loss`` multiplies the loss by it).
        gradient_accumulation_steps: update every this many steps with the mean of the accumulated gradients.
        name: the optimizer's name.
        **kwargs: Keras 2's ``lr`` (alias of ``learning_rate``) and ``decay`` (time-based decay), each with a
            DeprecationWarning.
    """

    def __init__(self, learning_rate: Any = 0.001, weight_decay: float | None = None,
                 clipnorm: float | None = None, clipvalue: float | None = None,
                 global_clipnorm: float | None = None, use_ema: bool = False, ema_momentum: float = 0.99,
                 ema_overwrite_frequency: int | None = None, loss_scale_factor: float | None = None,
                 gradient_accumulation_steps: int | None = None, name: str | None = None,
                 **kwargs: Any) -> None:
        learning_rate, self.decay = pop_legacy_arguments(type(self).__name__, learning_rate, kwargs)
        if sum(a is not None for a in (clipnorm, clipvalue, global_clipnorm)) > 1:
            raise ValueError("Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. "
                             f"Received: clipnorm={clipnorm}, clipvalue={clipvalue}, "
                             f"global_clipnorm={global_clipnorm}")
        if gradient_accumulation_steps and gradient_accumulation_steps < 2:
            raise ValueError("`gradient_accumulation_steps` must be an integer >= 2. Received: "
                             f"gradient_accumulation_steps={gradient_accumulation_steps}")
        if use_ema and not 0 <= ema_momentum <= 1:
            raise ValueError(f"`ema_momentum` must be in the range [0, 1]. Received: {ema_momentum}")
        self.name = name or type(self).__name__.lower()
        self.weight_decay, self.clipnorm, self.clipvalue = weight_decay, clipnorm, clipvalue
        self.global_clipnorm, self.use_ema, self.ema_momentum = global_clipnorm, use_ema, ema_momentum
        self.ema_overwrite_frequency, self.loss_scale_factor = ema_overwrite_frequency, loss_scale_factor
        self.gradient_accumulation_steps = gradient_accumulation_steps
        self._iterations = Variable(0, dtype="int64", trainable=False, name="iteration")
        self._lr_var: Variable | None = None
        self._learning_rate: Any = None
        self._set_learning_rate(learning_rate)
        self.built = False
        self._store: SlotStore | None = None
        self._extra_variables: list[Variable] = []
        self._wd_exclude_ids: set[int] = set()
        self._wd_exclude_pattern: re.Pattern[str] | None = None
        self._wd_mask: list[bool] = []
        self._warned_missing = False

    # -- subclass hooks --------------------------------------------------------------------------------
    def _slot_specs(self) -> list[tuple[str, float]]:
        """``(name, initial value)`` of each per-variable state array."""
        return []

    def _n_scratch(self) -> int:
        return 1

    def _decaying_slots(self) -> list[tuple[int, float]]:
        """``(slot position, factor)`` of slots multiplied by a factor < 1 each step (see slot_store)."""
        return []

    def _prepare(self, lr: float, t: int) -> tuple[float, ...]:
        """The step's scalars for step ``t`` (1-based), as Python floats, computed once per step.

        ``_update`` receives them as 0-d arrays in each variable's dtype (flags such as ``nesterov`` are read
        from ``self``).
        """
        return (lr,)

    def _update(self, w: Array, g: Array, s: Arrays, tmp: Arrays, c: Any) -> None:
        """Update ``w`` (and the slots ``s``) in place from gradient ``g`` with in-place ufuncs of ``backend.xp()``
        (``out`` given positionally: it is cheaper); ``tmp`` are scratch arrays of ``w``'s shape; ``c`` is
        ``_prepare``'s tuple."""
        raise NotImplementedError(f"{type(self).__name__} must implement `_update` or `update_step`")

    def update_step(self, gradient: Any, variable: Any, learning_rate: Any) -> None:
        """Keras 3's per-variable hook, for user subclasses written with ops (slower than ``_update``)."""
        raise NotImplementedError(f"{type(self).__name__} must implement `update_step`")

    _custom_update_step = False  # set on subclasses that override update_step

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._custom_update_step = cls.update_step is not Optimizer.update_step

    # -- learning rate and iterations ----------------------------------------------------------------------
    def _set_learning_rate(self, value: Any) -> None:
        if isinstance(value, dict):
            value = _deserialize_schedule(value)
        if isinstance(value, LearningRateSchedule) or (callable(value) and not isinstance(value, Tensor)):
            self._learning_rate, self._lr_var = value, None
            return
        if isinstance(self._learning_rate, LearningRateSchedule):
            raise TypeError("This optimizer was created with a LearningRateSchedule as its learning_rate, "
                            "so its learning rate is not settable; create it with a float learning_rate.")
        value = _as_float(value)
        if self._lr_var is None:
            self._lr_var = Variable(value, dtype="float32", trainable=False, name="learning_rate")
        else:
            self._lr_var._value[...] = value
        self._learning_rate = self._lr_var

    @property
    def learning_rate(self) -> Any:
        """The learning rate: a float32 Variable (assignable), or a schedule's value at the current step."""
        lr = self._learning_rate
        if lr is self._lr_var:
            return lr
        if isinstance(lr, LearningRateSchedule):
            return lr(self._iterations)
        return lr()

    @learning_rate.setter
    def learning_rate(self, value: Any) -> None:
        self._set_learning_rate(value)

    lr = learning_rate  # Keras 2's attribute name: ``optimizer.lr`` and ``K.set_value(optimizer.lr, x)``

    def _lr_value(self, it: int) -> float:
        lr: Any = self._learning_rate
        if lr is self._lr_var:
            value = float(self._learning_rate._value)
        elif isinstance(lr, LearningRateSchedule):
            value = (lr._lr_at(float(it)) if type(lr)._lr_at is not LearningRateSchedule._lr_at
                     else _as_float(lr(_wrap(backend.asarray(it, dtype="int64")))))
        else:
            value = _as_float(lr())
        return value / (1.0 + self.decay * it) if self.decay else value

    @property
    def iterations(self) -> Any:
        """The number of steps taken (a Variable; ``int(optimizer.iterations)`` reads it)."""
        if self.gradient_accumulation_steps:
            return _wrap(backend.asarray(int(self._iterations._value) // self.gradient_accumulation_steps))
        return self._iterations

    @iterations.setter
    def iterations(self, value: Any) -> None:
        self._iterations._value[...] = int(_as_float(value))

    # -- state: build(), variables, get/set_weights() and get_slot() are in optimizer_state.OptimizerState --
    # -- weight decay ----------------------------------------------------------------------------------------
    def exclude_from_weight_decay(self, var_list: Iterable[Any] | None = None,
                                  var_names: Iterable[str] | None = None) -> None:
        """Exempt variables, or variables whose name contains any of ``var_names``, from weight decay."""
        self._wd_exclude_ids = {id(v) for v in (var_list or [])}
        names = list(var_names or [])
        self._wd_exclude_pattern = re.compile("|".join(map(re.escape, names))) if names else None
        if self._store is not None:
            self._wd_mask = [self._use_weight_decay(v) for v in self._store.variables]

    def _use_weight_decay(self, variable: Any) -> bool:
        if id(variable) in self._wd_exclude_ids:
            return False
        pattern = self._wd_exclude_pattern
        return pattern is None or pattern.search(str(variable.name)) is None

    # -- the public update paths ----------------------------------------------------------------------------
    def apply_gradients(self, grads_and_vars: Iterable[tuple[Any, Any]], name: Any = None,
                        experimental_aggregate_gradients: bool = True) -> Variable:
        """Apply ``zip(grads, vars)``; gradients may be Tensors, arrays or None (skipped).

        Returns:
            ``iterations``.
        """
        pairs = list(grads_and_vars)
        if pairs:
            grads, variables = zip(*pairs)
            self.apply(list(grads), list(variables))
        return self._iterations

    def apply(self, grads: Sequence[Any], trainable_variables: Sequence[Any] | None = None) -> None:
        """Apply gradients to ``trainable_variables`` (default: the variables the optimizer was built with).

        Raises:
            ValueError: when every gradient is None, or a gradient's shape differs from its variable's.
        """
        if len(grads) == 0:
            return
        if trainable_variables is None:
            if self._store is None:
                raise ValueError("apply(grads) without variables needs a built optimizer: call "
                                 "optimizer.build(trainable_variables) first.")
            trainable_variables = self._store.variables
        variables = list(trainable_variables)
        if len(grads) != len(variables):
            raise ValueError(f"Got {len(grads)} gradients for {len(variables)} variables.")
        arrays, missing = transforms.as_arrays(grads, variables)
        if len(missing) == len(variables):
            raise ValueError(f"No gradients provided for any variable: {[v.name for v in variables]}.")
        if missing and not self._warned_missing:
            self._warned_missing = True
            _log.warning("Gradients do not exist for variables %s when minimizing the loss; they are "
                         "skipped.", missing)
        if _context.tracing:  # a traced training step: apply on each of its runs
            from tensorlet.optimizers.traced_apply import record_apply

            record_apply(self, grads, variables)
            return
        self.apply_gradient_arrays(arrays, variables)

    def minimize(self, loss: Any, var_list: Any, tape: Any = None, grad_loss: Any = None,
                 name: Any = None) -> Variable:
        """One step on ``loss``: a callable returning the loss (computed under a new GradientTape), or a
        Tensor computed under ``tape``. ``var_list`` may be a callable returning the variables.

        Returns:
            ``iterations``.
        """
        pairs = self.compute_gradients(loss, var_list, tape=tape, grad_loss=grad_loss)
        return self.apply_gradients(pairs)

    def compute_gradients(self, loss: Any, var_list: Any, tape: Any = None,
                          grad_loss: Any = None) -> list[tuple[Any, Any]]:
        """``[(gradient, variable), ...]`` of ``loss`` (see ``minimize``)."""
        from tensorlet.autodiff.tape import GradientTape

        if not callable(var_list):
            var_list = list(var_list)
        if tape is None:
            if not callable(loss):
                raise ValueError("`tape` is required when a Tensor loss is passed to minimize(); pass the "
                                 "loss as a callable (e.g. `lambda: loss_fn(model(x), y)`) or pass the "
                                 "GradientTape.")
            with GradientTape() as tape:
                for v in [] if callable(var_list) else var_list:
                    tape.watch(v)  # also non-trainable variables, as Keras 2 did
                loss = loss()
        variables = list(var_list() if callable(var_list) else var_list)
        grads = tape.gradient(loss, variables, output_gradients=grad_loss)
        return list(zip(grads, variables))

    def scale_loss(self, loss: Any) -> Any:
        """``loss * loss_scale_factor`` when a factor is set."""
        return loss * self.loss_scale_factor if self.loss_scale_factor is not None else loss

    def finalize_variable_values(self, var_list: Sequence[Any]) -> None:
        """With ``use_ema``, copy the moving averages into the variables (``fit`` calls this at the end)."""
        if self.use_ema and self._store is not None:
            for v in var_list:
                i = self._store.index.get(id(v))
                if i is not None:
                    backend.xp().copyto(v._value, self._store.ema[i]._value)

    # -- the fast path ------------------------------------------------------------------------------------
    def apply_gradient_arrays(self, grads: Any, variables: Sequence[Any]) -> None:
        """One optimizer step on raw arrays: the trainer's entry point (see the module docstring).

        Args:
            grads: one backend array (any float dtype; cast if it differs from the variable's) or None (skipped)
                per variable. They are only read: the caller may reuse them after the call.
            variables: the Variables, aligned with ``grads``; their ``_value`` arrays are updated in place
                (never rebound). State for variables not seen before is created on the spot.
        """
        store = self._store
        try:
            index = store.index  # type: ignore[union-attr]
            pos = [index[id(v)] for v in variables]
        except (AttributeError, KeyError):
            self.build(variables)
            _deferred.notify(self)  # a subclass's build may add state after the base's (restore-on-create)
            store = self._store
            pos = [store.index[id(v)] for v in variables]  # type: ignore[union-attr]
        assert store is not None
        it_arr = self._iterations._value
        it = int(it_arr)
        steps = self.gradient_accumulation_steps
        if steps:
            grads = transforms.accumulate(grads, pos, store, it, steps)
        if grads is not None:
            lr = self._lr_value(it)
            if self._custom_update_step:
                transforms.apply_update_steps(self, grads, variables, lr)
            else:
                store.set_constants(self._prepare(lr, (it // steps if steps else it) + 1))
                arrays, scratch, constants = store.arrays, store.scratch, store.constants
                update = self._update
                if self.clipnorm or self.global_clipnorm or self.clipvalue or self.loss_scale_factor \
                        or self.weight_decay:
                    grads = transforms.clip_and_decay(self, grads, variables, pos, store, lr)
                for g, v, i in zip(grads, variables, pos):
                    if g is None:
                        continue
                    w = v._value
                    if g.dtype is not w.dtype and g.dtype != w.dtype:
                        g = g.astype(w.dtype)
                    update(w, g, arrays[i], scratch[i], constants[i])
                    if v.constraint is not None:
                        transforms.constrain(v)
        if self.use_ema:
            t = it // steps if steps else it
            transforms.update_ema(store, self.ema_momentum if t != 0 else 0.0)
            if self.ema_overwrite_frequency and (t + 1) % self.ema_overwrite_frequency == 0:
                self.finalize_variable_values(store.variables)
        it_arr[...] = it + 1
        if (it + 1) % store.flush_every == 0:
            store.flush_subnormals()

    # -- the linear fast path --------------------------------------------------------------------------------
    def linear_step_scale(self, variables: Sequence[Any]) -> float | None:
        """``s`` when this step is ``w <- w + s * g`` for every variable (``s`` a scalar), else None.

        Backpropagation is linear in its seed, so a trainer can seed the backward pass with ``s`` instead of 1 and
        receive the steps themselves, then hand them to ``apply_linear_steps``: one pass over the weights instead
        of a scaling pass and a subtraction, and the weights read by a single op can even take their step inside
        that op's backward pass (``ops.fusion.sink_into_weights``). Plain SGD returns ``-lr``; an update that is
        not linear in ``g`` (momentum, Adam, clipping, weight decay...) returns None.
        """
        return None

    def apply_linear_steps(self, steps: Sequence[Any], variables: Sequence[Any], done: Any = ()) -> None:
        """``w += step`` for each step array (the gradient already scaled by ``linear_step_scale``), then the
        constraints and the iteration count. ``done``: indices of the variables whose step the backward pass
        already added in place (their step is None); they still get their constraint."""
        for k, (d, v) in enumerate(zip(steps, variables)):
            if d is not None:
                w = v._value
                w += d if d.dtype == w.dtype else d.astype(w.dtype)
            elif k not in done:
                continue
            if v.constraint is not None:
                transforms.constrain(v)
        self._iterations._value[...] = int(self._iterations._value) + 1

    # -- config --------------------------------------------------------------------------------------------
    def get_config(self) -> dict[str, Any]:
        lr: Any = self._learning_rate
        if isinstance(lr, LearningRateSchedule):
            lr_config: Any = _serialize_schedule(lr)
        elif lr is self._lr_var:
            lr_config = float(self._learning_rate._value)
        else:
            lr_config = getattr(lr, "__name__", repr(lr))
        config = {"name": self.name, "learning_rate": lr_config, "weight_decay": self.weight_decay,
                  "clipnorm": self.clipnorm, "global_clipnorm": self.global_clipnorm,
                  "clipvalue": self.clipvalue,
                  "use_ema": self.use_ema, "ema_momentum": self.ema_momentum,
                  "ema_overwrite_frequency": self.ema_overwrite_frequency,
                  "loss_scale_factor": self.loss_scale_factor,
                  "gradient_accumulation_steps": self.gradient_accumulation_steps}
        if self.decay:
            config["decay"] = self.decay
        return config

    @classmethod
    def from_config(cls, config: dict[str, Any], custom_objects: dict[str, Any] | None = None) -> Optimizer:
        """Rebuild from ``get_config()``; Keras 2 configs with ``lr``/``decay`` keys load without warnings."""
        config, decay = clean_config(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = _deserialize_schedule(config["learning_rate"], custom_objects)
        optimizer = cls(**config)
        optimizer.decay = decay
        return optimizer

    def __repr__(self) -> str:
        lr = self.get_config()["learning_rate"]
        return f"<{type(self).__name__} name={self.name!r} learning_rate={lr!r}>"

