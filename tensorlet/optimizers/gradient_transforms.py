"""What an optimizer step does around the update rule, on raw arrays: loss unscaling, gradient clipping,
decoupled weight decay, gradient accumulation, the weights' moving average and constraints.

Clipped or accumulated gradients go to the store's per-variable ``clip`` buffers, so the caller's gradient
arrays are never written.
"""
from __future__ import annotations

import math
from typing import Any, Sequence

from tensorlet import backend
from tensorlet.autodiff.tensor import Tensor, Variable, _wrap
from tensorlet.backend import Array
from tensorlet.optimizers.slot_store import SlotStore

Grads = Sequence["Array | None"]


def as_arrays(grads: Sequence[Any], variables: Sequence[Any]) -> tuple[list[Array | None], list[str]]:
    """Gradients (Tensors, arrays, nested lists or None) as arrays checked against their variables' shapes;
    also returns the names of the variables without a gradient."""
    arrays: list[Array | None] = []
    missing = []
    for g, v in zip(grads, variables):
        if not isinstance(v, Variable):
            raise TypeError(f"Optimizers update tf.Variable objects; got {type(v).__name__}")
        if g is None:
            arrays.append(None)
            missing.append(v.name)
            continue
        a = g._value if isinstance(g, Tensor) else backend.asarray(g, dtype=v._value.dtype)
        if a.shape != v._value.shape:
            raise ValueError(f"Gradient of shape {a.shape} does not match variable '{v.name}' of shape "
                             f"{v._value.shape}.")
        arrays.append(a)
    return arrays, missing


def norm(g: Array) -> float:
    """The L2 norm, ``sqrt(sum(g**2))``, accumulated by BLAS in g's dtype."""
    flat = g.reshape(-1)
    return math.sqrt(float(backend.xp().dot(flat, flat)))


def gradient_scales(opt: Any, grads: Grads) -> list[float] | None:
    """Per-gradient factors for loss unscaling (``1 / loss_scale_factor``) and norm clipping, as Keras clips:
    ``g * clipnorm / max(||g||, clipnorm)`` per gradient, or ``g * c / max(global_norm, c)`` for all with
    ``global_clipnorm = c`` (NaN when the global norm is not finite). None when every factor is 1."""
    u = 1.0 / opt.loss_scale_factor if opt.loss_scale_factor else 1.0
    if opt.clipnorm and opt.clipnorm > 0:
        c = float(opt.clipnorm)
        out = []
        for g in grads:
            n = u * norm(g) if g is not None else 0.0
            out.append(u * c / n if n > c else u)
        return out
    if opt.global_clipnorm and opt.global_clipnorm > 0:
        c = float(opt.global_clipnorm)
        n = u * math.sqrt(sum(norm(g) ** 2 for g in grads if g is not None))
        scale = u * c / max(n, c) if math.isfinite(n) else math.nan
        return [scale] * len(grads)
    return [u] * len(grads) if u != 1.0 else None


def clip_and_decay(opt: Any, grads: Grads, variables: Sequence[Any], pos: list[int], store: SlotStore,
                   lr: float) -> list[Array | None]:
    """Unscale and clip every gradient, then apply weight decay ``w <- w - w * weight_decay * lr``."""
    scales = gradient_scales(opt, grads)
    clipvalue = opt.clipvalue if opt.clipvalue and opt.clipvalue > 0 else None
    wd = 1.0 - opt.weight_decay * lr if opt.weight_decay else None
    out: list[Array | None] = []
    xp = backend.xp()
    for k, (g, v, i) in enumerate(zip(grads, variables, pos)):
        if g is not None:
            w = v._value
            if g.dtype != w.dtype:
                g = g.astype(w.dtype)
            if scales is not None and scales[k] != 1.0:
                g = xp.multiply(g, scales[k], out=store.clip[i])
            if clipvalue is not None:
                g = xp.clip(g, -clipvalue, clipvalue, out=store.clip[i])
            if wd is not None and opt._wd_mask[i]:
                xp.multiply(w, wd, out=w)  # w - w * wd * lr, in one pass
        out.append(g)
    return out


def accumulate(grads: Grads, pos: list[int], store: SlotStore, it: int,
               n: int) -> list[Array | None] | None:
    """Add the gradients to the accumulators; on every n-th call return their means (and reset them), else
    None (no update this call)."""
    update = (it + 1) % n == 0
    out: list[Array | None] = []
    for g, i in zip(grads, pos):
        if g is None:
            out.append(None)
            continue
        acc = store.accumulators[i]._value
        acc += g
        if update:
            out.append(backend.xp().multiply(acc, 1.0 / n, out=store.clip[i]))
            acc[...] = 0
    return out if update else None


def update_ema(store: SlotStore, momentum: float) -> None:
    """``average <- momentum * average + (1 - momentum) * w`` for every variable."""
    xp = backend.xp()
    for v, average, tmp in zip(store.variables, store.ema, store.scratch):
        a = average._value
        xp.multiply(a, momentum, out=a)
        xp.multiply(v._value, 1.0 - momentum, out=tmp[0])
        a += tmp[0]


def constrain(v: Variable) -> None:
    """``v <- v.constraint(v)``, in place."""
    out = v.constraint(v)
    backend.xp().copyto(v._value, backend.asarray(getattr(out, "_value", out)), casting="unsafe")


def apply_update_steps(opt: Any, grads: Grads, variables: Sequence[Any], lr: float) -> None:
    """The path for user subclasses that write Keras 3's ``update_step(gradient, variable, lr)``."""
    scales = gradient_scales(opt, grads)
    for k, (g, v) in enumerate(zip(grads, variables)):
        if g is None:
            continue
        g = g * scales[k] if scales is not None else g
        if opt.clipvalue and opt.clipvalue > 0:
            g = backend.xp().clip(g, -opt.clipvalue, opt.clipvalue)
        if opt.weight_decay and opt._wd_mask[opt._get_variable_index(v)]:
            v._value -= v._value * (opt.weight_decay * lr)
        opt.update_step(_wrap(backend.asarray(g, dtype=v._value.dtype)), v, lr)
        if v.constraint is not None:
            constrain(v)
