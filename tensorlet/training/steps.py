"""The train, test and predict steps: traced once per input signature into a Plan, then replayed.

A step takes flat lists of arrays (inputs, targets, sample weights). The trainer builds these lists once per
batch; everything else (layer dispatch, shape checks, loss wiring) runs only while tracing.
"""
from __future__ import annotations

import operator
from collections import OrderedDict
from typing import Any

import numpy as np

from tensorlet import backend, tree
from tensorlet.autodiff.plan import Plan, trace
from tensorlet.autodiff.tape import GradientTape
from tensorlet.autodiff.tensor import Tensor, _wrap
from tensorlet.backend import Array
from tensorlet.layers import added_metrics
from tensorlet.ops import fusion
from tensorlet.ops.convert import as_tensor
from tensorlet.ops.elementwise import add, add_n
from tensorlet.training.locks import model_locks

MISSING = object()


class PlanCache:
    """Plans by key, keeping the ``per_kind`` most recently used of each kind (the key's first item).

    Each plan holds its ops' saved arrays, sized by the batch it was traced for; a process that calls ``predict``
    with ever new batch sizes must not keep one plan per size forever.
    """

    def __init__(self, per_kind: int = 4) -> None:
        self.per_kind = per_kind
        self._plans: OrderedDict[Any, Any] = OrderedDict()  # Plan, None (untraceable), or a variant's record

    def __contains__(self, key: Any) -> bool:
        return key in self._plans

    def __getitem__(self, key: Any) -> Plan | None:
        plans = self._plans
        plan = plans[key]
        plans.move_to_end(key)
        return plan

    def get(self, key: Any, default: Any = None) -> Any:
        return self._plans.get(key, default)

    def hit(self, key: Any) -> Any:
        """The plan under ``key`` marked most recently used, or ``MISSING`` (a plan may be None: untraceable)."""
        plans = self._plans
        plan = plans.get(key, MISSING)
        if plan is not MISSING:
            plans.move_to_end(key)
        return plan

    def __setitem__(self, key: Any, plan: Plan | tuple[Any, ...] | None) -> None:
        plans = self._plans
        plans[key] = plan
        plans.move_to_end(key)
        same_kind = [k for k in plans if k[0] == key[0]]
        if len(same_kind) > self.per_kind:
            for old in same_kind[:-self.per_kind]:
                del plans[old]
            backend.current().release_memory()

    def __len__(self) -> int:
        return len(self._plans)

    def __iter__(self) -> Any:
        return iter(list(self._plans))

    def items(self) -> Any:
        return list(self._plans.items())

    def clear(self) -> None:
        self._plans.clear()


class StepRunner:
    """Owns the plans of one compiled model and runs its steps."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self.plans = PlanCache()
        from tensorlet.layers.recurrent.rnn import stateful_layers

        # may predict pad a short batch to its full size? (checked once; never with states kept per batch row)
        self._pad_ok: bool | None = False if stateful_layers(model) else None
        self.eager = bool(getattr(model, "_run_eagerly", False))
        self._variables: list[Any] | None = None
        self._last_linear: tuple[Any, ...] | None = None  # the last step's linear plan record (_linear_plan)
        self._verify_state = 0  # 0: nothing traced yet, 1: test plan traced on an earlier batch, 2: verified
        self.masked_outputs: list[int] = []  # outputs with a Keras mask: their masks follow the predictions
        self.added_metrics: list[Any] = []  # the metrics of Layer.add_metric values the steps return, in order

    def _loss_fn(self, n_in: int, x_template: Any, n_out: int, sample_weights: list[Any], training: bool) -> Any:
        # x_template: any structure with the inputs' nesting (the trainer passes the batch); xs are its leaves;
        # sample_weights: the batch's, one per output or None (their presence shapes the step)
        model = self.model
        has_sw = [s is not None for s in sample_weights]

        def step(*feeds: Tensor) -> list[Tensor]:
            xs = list(feeds[:n_in])
            ys = list(feeds[n_in:n_in + n_out])
            rest = list(feeds[n_in + n_out:])
            sws = [rest.pop(0) if h else None for h in has_sw]
            x = tree.pack_sequence_as(x_template, xs)
            model._clear_added_losses()
            with added_metrics.collecting() as collected:  # add_metric values become outputs of the step
                y_pred = model(x, training=training)
            preds = model._flat_outputs(y_pred)
            total, parts = model._loss_container(ys, preds, sws)
            reg = model.losses
            if reg:
                total = add(total, add_n(reg) if len(reg) > 1 else reg[0])
            masks = [getattr(p, "_keras_mask", None) for p in preds]  # for the metrics (the loss used them)
            self.masked_outputs = [i for i, m in enumerate(masks) if m is not None]
            self.added_metrics = [metric for metric, _ in collected]
            # outputs: loss, per-output losses, predictions, then the masks, then the add_metric values
            return ([total] + (parts if n_out > 1 else []) + preds + [m for m in masks if m is not None]
                    + [as_tensor(v) for _, v in collected])

        return step

    def _predict_fn(self, n_in: int, x_template: Any) -> Any:
        model = self.model

        def step(*feeds: Tensor) -> list[Tensor]:
            x = tree.pack_sequence_as(x_template, feeds)
            with added_metrics.collecting():  # predict updates no metric
                return model._flat_outputs(model(x, training=False))

        return step

    def _plan(self, key: Any, fn: Any, feeds: list[Array], variables: list[Any],
              rewrite: Any = fusion.fuse_for_training) -> tuple[Plan | None, Any]:
        plans = self.plans
        plan = plans.hit(key)
        if plan is not MISSING:
            return plan, None
        with model_locks(self.model).build:  # one thread traces; the others wait for its plan
            if key in plans:
                return plans[key], None
            plan, result = trace(fn, [_wrap(a) for a in feeds], variables, rewrite=rewrite)
            plans[key] = plan
            return plan, result

    def train(self, xs: list[Array], x_template: Any, ys: list[Any], sws: list[Any]) -> list[Any]:
        """One optimization step; returns [total loss, predictions...] as arrays."""
        model = self.model
        variables = self._variables
        if variables is None:  # fixed per compile, as in Keras (changing `trainable` needs a new compile)
            variables = self._variables = model.trainable_weights
        feeds = xs + ys + [s for s in sws if s is not None]
        if not self.eager:
            if self._verify_state < 2:
                self._verify(xs, x_template, ys, sws)
            key = ("train", _signature(feeds), len(variables))
            plan = self.plans.hit(key)  # the closure that traces is made only when there is no plan yet
            if plan is MISSING:
                plan, _ = self._plan(key, self._loss_fn(len(xs), x_template, len(ys), sws, True), feeds, variables)
            if plan is not None:
                optimizer = model.optimizer
                scale = optimizer.linear_step_scale(variables)
                if scale is not None:  # w <- w + scale * g: seed the backward pass with the scale, and let the
                    # weights read by one op take their step inside that op's backward (ops.fusion)
                    plan, done = self._linear_plan(key, plan, variables)
                    outs = plan.run(feeds)  # after tracing too: the replay's saved arrays feed the backward pass
                    seed = backend.asarray(scale, outs[0].dtype)
                    optimizer.apply_linear_steps(plan.run_backward(seed), variables, done)
                else:  # a loss_scale_factor scales the loss (the seed); the optimizer divides it back out
                    outs = plan.run(feeds)
                    factor = optimizer.loss_scale_factor
                    seed = backend.asarray(factor, outs[0].dtype) if factor else None
                    optimizer.apply_gradient_arrays(plan.run_backward(seed), variables)
                return outs
        fn = self._loss_fn(len(xs), x_template, len(ys), sws, True)
        with GradientTape() as tape:
            outs_t = fn(*[_wrap(a) for a in feeds])
        factor = model.optimizer.loss_scale_factor
        seed_t = _wrap(backend.asarray(factor, outs_t[0]._value.dtype)) if factor else None
        grads_t = tape.gradient(outs_t[0], variables, output_gradients=seed_t)
        model.optimizer.apply_gradient_arrays([None if g is None else g._value for g in grads_t], variables)
        return [t._value for t in outs_t]

    def _linear_plan(self, key: Any, plan: Plan, variables: list[Any]) -> tuple[Plan, set[int]]:
        """The train plan rewritten so that weights read by one Dense op take their step in its backward pass,
        bound to the variables' arrays (made again if an array was replaced)."""
        arrays = [v._value for v in variables]
        last = self._last_linear  # the previous step's: the common case, without building the cache key
        if last is not None and last[0] is plan and all(map(operator.is_, last[1], arrays)):
            return last[2], last[3]
        linear_key = ("train-linear",) + key[1:]
        cached = self.plans.get(linear_key)
        if cached is None or cached[0] is not plan or not all(map(operator.is_, cached[1], arrays)):
            steps, done = fusion.sink_into_weights(plan.steps, plan.var_slots, plan.outputs, arrays)
            cached = (plan, arrays, plan.rewritten(steps) if done else plan, done)
            self.plans[linear_key] = cached
        self._last_linear = cached
        return cached[2], cached[3]

    def _verify(self, xs: list[Array], x_template: Any, ys: list[Any], sws: list[Any]) -> None:
        """Check once that a replayed plan computes what eager execution computes on *new* data.

        A step that turns a batch's values into Python constants while tracing (``np.asarray(labels)`` fed back
        into an op) would replay stale data. The test-step plan traced on the first batch is replayed on the
        second and compared with an eager run; on disagreement the model falls back to eager execution.
        """
        from tensorlet.layers.recurrent.rnn import stateful_layers

        if stateful_layers(self.model):  # each run moves the states on: a replay and an eager run cannot agree
            self._verify_state = 2
            return
        feeds = xs + ys + [s for s in sws if s is not None]
        fn = self._loss_fn(len(xs), x_template, len(ys), sws, False)
        key = ("test", _signature(feeds))
        if self._verify_state == 0:
            self._plan(key, fn, feeds, [], fusion.fuse_for_inference)  # the test step's own plan
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
        feeds = xs + ys + [s for s in sws if s is not None]
        if not self.eager:
            key = ("test", _signature(feeds))
            plan = self.plans.hit(key)
            if plan is MISSING:
                plan, _ = self._plan(key, self._loss_fn(len(xs), x_template, len(ys), sws, False), feeds, [],
                                     fusion.fuse_for_inference)
            if plan is not None:
                return plan.run(feeds)
        fn = self._loss_fn(len(xs), x_template, len(ys), sws, False)
        return [t._value for t in fn(*[_wrap(a) for a in feeds])]

    def predict(self, xs: list[Array], x_template: Any, rows: int | None = None) -> list[Any]:
        """Outputs for one batch. A batch shorter than ``rows`` (the last of ``predict``) runs padded to ``rows``
        with copies of its first row, through the full batches' plan, instead of tracing a plan per length."""
        fn = self._predict_fn(len(xs), x_template)
        if self.eager:
            return [t._value for t in fn(*[_wrap(a) for a in xs])]
        n = int(xs[0].shape[0]) if xs else 0
        if rows is not None and 0 < n < rows and self._pad_ok is not False:
            xp = backend.xp()
            padded = [xp.concatenate([a, xp.repeat(a[:1], rows - n, axis=0)]) for a in xs]
            plan, _ = self._plan(("predict", _signature(padded)), fn, padded, [], fusion.fuse_for_inference)
            if plan is not None:
                outs = [o[:n] for o in plan.run(padded)]
                if self._pad_ok is None:  # rows must not see each other (true of inference layers; check it)
                    eager = [t._value for t in fn(*[_wrap(a) for a in xs])]
                    self._pad_ok = all(o.shape == e.shape and bool(xp.allclose(o, e, rtol=1e-4, atol=1e-6,
                                                                               equal_nan=True))
                                       for o, e in zip(outs, eager))
                    if not self._pad_ok:
                        return eager
                return outs
        plan, _ = self._plan(("predict", _signature(xs)), fn, xs, [], fusion.fuse_for_inference)
        if plan is not None:
            return plan.run(xs)
        return [t._value for t in fn(*[_wrap(a) for a in xs])]


def _signature(arrays: list[Any]) -> tuple[Any, ...]:
    return tuple([(a.shape, a.dtype.str) for a in arrays])
