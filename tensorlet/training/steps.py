"""The train, test and predict steps: traced once per input signature into a Plan, then replayed.

A step takes flat lists of arrays (inputs, targets, sample weights). The trainer builds these lists once per
batch; everything else (layer dispatch, shape checks, loss wiring) runs only while tracing.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from tensorlet import backend
from tensorlet.autodiff.plan import Plan, trace
from tensorlet.autodiff.tape import GradientTape
from tensorlet.autodiff.tensor import Tensor, _wrap
from tensorlet.backend import Array
from tensorlet.ops.elementwise import add, add_n


def structure_of(x: Any) -> Any:
    """A template of x's nesting (None marks an array)."""
    if isinstance(x, dict):
        return {k: structure_of(x[k]) for k in sorted(x)}
    if isinstance(x, (list, tuple)):
        return [structure_of(v) for v in x]
    return None


def pack(template: Any, flat: list[Any], pos: list[int]) -> Any:
    if template is None:
        v = flat[pos[0]]
        pos[0] += 1
        return v
    if isinstance(template, dict):
        return {k: pack(t, flat, pos) for k, t in template.items()}
    return [pack(t, flat, pos) for t in template]


class StepRunner:
    """Owns the plans of one compiled model and runs its steps."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self.plans: dict[Any, Plan | None] = {}
        self.eager = bool(getattr(model, "_run_eagerly", False))
        self._variables: list[Any] | None = None
        self._verify_state = 0  # 0: nothing traced yet, 1: test plan traced on an earlier batch, 2: verified

    def _loss_fn(self, n_in: int, x_template: Any, n_out: int, has_sw: list[bool], training: bool) -> Any:
        model = self.model

        def step(*feeds: Tensor) -> list[Tensor]:
            xs = list(feeds[:n_in])
            ys = list(feeds[n_in:n_in + n_out])
            rest = list(feeds[n_in + n_out:])
            sws = [rest.pop(0) if h else None for h in has_sw]
            x = pack(x_template, xs, [0])
            model._clear_added_losses()
            y_pred = model(x, training=training)
            preds = model._flat_outputs(y_pred)
            total, parts = model._loss_container(ys, preds, sws)
            reg = model.losses
            if reg:
                total = add(total, add_n(reg) if len(reg) > 1 else reg[0])
            return [total] + (parts if n_out > 1 else []) + preds

        return step

    def _predict_fn(self, n_in: int, x_template: Any) -> Any:
        model = self.model

        def step(*feeds: Tensor) -> list[Tensor]:
            x = pack(x_template, list(feeds), [0])
            return model._flat_outputs(model(x, training=False))

        return step

    def _plan(self, key: Any, fn: Any, feeds: list[Array], variables: list[Any]) -> tuple[Plan | None, Any]:
        if key in self.plans:
            return self.plans[key], None
        plan, result = trace(fn, [_wrap(a) for a in feeds], variables)
        self.plans[key] = plan
        return plan, result

    def train(self, xs: list[Array], x_template: Any, ys: list[Any], sws: list[Any]) -> list[Any]:
        """One optimization step; returns [total loss, predictions...] as arrays."""
        model = self.model
        variables = self._variables
        if variables is None:  # fixed per compile, as in Keras (changing `trainable` needs a new compile)
            variables = self._variables = model.trainable_weights
        has_sw = [s is not None for s in sws]
        feeds = xs + ys + [s for s in sws if s is not None]
        fn = self._loss_fn(len(xs), x_template, len(ys), has_sw, True)
        if not self.eager and self._verify_state < 2:
            self._verify(xs, x_template, ys, sws)
        if not self.eager:
            key = ("train", _signature(feeds), len(variables))
            plan, _ = self._plan(key, fn, feeds, variables)
            if plan is not None:
                outs = plan.run(feeds)  # after tracing too: the replay's saved arrays feed the backward pass
                optimizer = model.optimizer
                prescale = getattr(optimizer, "_prescale", None)
                scale = prescale(variables) if prescale is not None else None
                if scale is not None:  # plain SGD: seed the backward pass with -lr, then add (see SGD._prescale);
                    # weights read by one op take their step inside that op's backward (Plan.run_backward)
                    sink_into = [v._value for v in variables] if plan.sink_vars else None
                    steps = plan.run_backward(backend.asarray(scale, outs[0].dtype), sink_into)
                    optimizer._apply_prescaled(steps, variables, plan.sink_vars)
                else:  # a loss_scale_factor scales the loss (the seed); the optimizer divides it back out
                    factor = getattr(optimizer, "loss_scale_factor", None)
                    seed = backend.asarray(factor, outs[0].dtype) if factor else None
                    optimizer._apply_arrays(plan.run_backward(seed), variables)
                return outs
        with GradientTape() as tape:
            outs_t = fn(*[_wrap(a) for a in feeds])
        factor = getattr(model.optimizer, "loss_scale_factor", None)
        seed_t = _wrap(backend.asarray(factor, outs_t[0]._value.dtype)) if factor else None
        grads_t = tape.gradient(outs_t[0], variables, output_gradients=seed_t)
        model.optimizer._apply_arrays([None if g is None else g._value for g in grads_t], variables)
        return [t._value for t in outs_t]

    def _verify(self, xs: list[Array], x_template: Any, ys: list[Any], sws: list[Any]) -> None:
        """Check once that a replayed plan computes what eager execution computes on *new* data.

        A step that turns a batch's values into Python constants while tracing (``np.asarray(labels)`` fed back
        into an op) would replay stale data. The test-step plan traced on the first batch is replayed on the
        second and compared with an eager run; on disagreement the model falls back to eager execution.
        """
        has_sw = [s is not None for s in sws]
        feeds = xs + ys + [s for s in sws if s is not None]
        fn = self._loss_fn(len(xs), x_template, len(ys), has_sw, False)
        key = ("test", _signature(feeds))
        if self._verify_state == 0:
            self._plan(key, fn, feeds, [])
            self._verify_state = 1
            self._verify_key = key
            return
        plan = self.plans.get(key) if key == self._verify_key else None
        if plan is None:
            if self.plans.get(self._verify_key, 0) is None:  # untraceable: eager anyway
                self._verify_state = 2
            return
        replayed = float(plan.run(feeds)[0])
        eager = float(fn(*[_wrap(a) for a in feeds])[0]._value)
        self._verify_state = 2
        if not np.isclose(replayed, eager, rtol=1e-3, atol=1e-5, equal_nan=True):
            self.eager = True
            self.plans.clear()

    def test(self, xs: list[Array], x_template: Any, ys: list[Any], sws: list[Any]) -> list[Any]:
        has_sw = [s is not None for s in sws]
        feeds = xs + ys + [s for s in sws if s is not None]
        fn = self._loss_fn(len(xs), x_template, len(ys), has_sw, False)
        if not self.eager:
            plan, _ = self._plan(("test", _signature(feeds)), fn, feeds, [])
            if plan is not None:
                return plan.run(feeds)
        return [t._value for t in fn(*[_wrap(a) for a in feeds])]

    def predict(self, xs: list[Array], x_template: Any) -> list[Any]:
        fn = self._predict_fn(len(xs), x_template)
        if not self.eager:
            plan, _ = self._plan(("predict", _signature(xs)), fn, xs, [])
            if plan is not None:
                return plan.run(xs)
        return [t._value for t in fn(*[_wrap(a) for a in xs])]


def _signature(arrays: list[Any]) -> tuple[Any, ...]:
    return tuple([(a.shape, a.dtype.str) for a in arrays])
