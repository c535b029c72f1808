"""Rewrites of a traced step list: passes that return new ops, never attributes set on shared ones.

A step list is what ``autodiff.plan.trace`` records: ``(function, input slots, output slot)`` in execution order.
A pass takes a list and returns a new one; the plan it feeds compiles whatever it gets. The training step chooses
the passes (``trace(..., rewrite=fuse_activations)``, ``Plan.rewritten(...)``), so the engine knows no op by name.

- ``fuse_activations``: a linear Dense whose only consumer is ReLU, sigmoid or tanh becomes one Dense op with that
  activation (the Keras idiom ``Dense(n)`` then ``Activation("relu")`` is two layers; fused, the activation runs in
  place on the Dense buffers, saving an array and a pass over it per layer and step).
- In the same pass, a ReLU whose only consumer is a max pool (a ``Conv2D`` op with its ReLU, or a ``Relu`` op)
  moves after the pool: ``Pool2D(relu=True)``. max and ReLU commute, so the ReLU and its gradient mask run on the
  pooled array (a quarter of the size for 2x2 windows) instead of the convolution's output, and the convolution
  saves no output for its backward pass.
- ``fuse_for_inference`` (plans that run no backward pass: ``predict``, ``evaluate``): the above, then
  ``fold_batch_norm``: a Conv2D whose output is only multiplied and then shifted (a BatchNormalization in inference,
  ``x * a + c`` with per-channel ``a`` and ``c``) becomes one ``Conv2DScaleShift`` op that folds ``a`` and ``c`` into
  the kernel and bias: two passes over the activations become products on the kernel.
  A ReLU (or ReLU6) that alone reads the shifted result runs in place inside that op. ``fuse_add_relu`` then
  makes an Add whose result only a ReLU reads one ``AddRelu`` (a residual sum).
- ``fuse_for_training`` (the train step): ``fuse_activations``, then the two inference passes on the chains no
  gradient crosses (a frozen pretrained base under a new head), found from the trainable variables' slots.
- ``sink_into_weights``: for an update that is the gradient itself (plain SGD, whose backward pass is seeded with
  ``-lr``), the Dense ops that alone read a large weight add its gradient straight into the weight's array: one GEMM
  that accumulates into the kernel instead of a GEMM into a new array plus a pass over the weights.
"""
from __future__ import annotations

from typing import Any, Sequence

from tensorlet import backend as _backend
from tensorlet.autodiff.function import Function
from tensorlet.autodiff.plan import gradient_slots
from tensorlet.ops import shifted_conv
from tensorlet.ops.conv import Conv2D, Pool2D
from tensorlet.ops.depthwise_conv import DepthwiseConv2D
from tensorlet.ops.elementwise import Add, Mul, Sigmoid, Tanh
from tensorlet.ops.nn import CappedRelu, Dense, Relu

Steps = list[tuple[Any, tuple[int, ...], int]]

_ACTIVATIONS: dict[type, str] = {Relu: "relu", Sigmoid: "sigmoid", Tanh: "tanh"}

SINK_MIN_SIZE = 4096  # elements: below this, sinking saves less than its bookkeeping costs


def fuse_activations(steps: Steps, outputs: Sequence[int], var_slots: Sequence[int] = ()) -> Steps:
    """Dense (linear) -> ReLU/sigmoid/tanh, the Dense output read by nothing else, becomes one Dense op; a ReLU
    (a Conv2D's own or a Relu op) read only by a max pool moves into the pool."""
    consumers: dict[int, list[int]] = {}
    for j, (_f, ins, _o) in enumerate(steps):
        for i in ins:
            consumers.setdefault(i, []).append(j)
    out_slots = set(outputs)
    dropped: set[int] = set()
    fused = list(steps)
    for k, (f, ins, o) in enumerate(steps):
        users = consumers.get(o, [])
        if k in dropped or o in out_slots or len(users) != 1:
            continue
        g, g_ins, g_out = steps[users[0]]
        if type(f) is Dense and f.activation is None:
            name = _ACTIVATIONS.get(type(g))
            if name is not None:
                fused[k] = (Dense(name), ins, g_out)
                dropped.add(users[0])
        elif type(g) is Pool2D and g.mode == "max" and not g.relu and (
                (type(f) is Conv2D and f.activation == "relu") or type(f) is Relu):
            pool = Pool2D(g.pool, g.s, g.padding, "max", relu=True)
            if isinstance(f, Conv2D):
                fused[k] = (Conv2D(f.s, f.padding, f.d, f.groups, None), ins, o)
                fused[users[0]] = (pool, g_ins, g_out)
            else:  # a Relu op: the pool reads its input
                fused[users[0]] = (pool, ins, g_out)
                dropped.add(k)
    return [st for j, st in enumerate(fused) if j not in dropped]


def _per_channel(v: Any, f: int) -> bool:
    return 0 < v.ndim <= 4 and v.shape[-1] == f and v.size == f


class Conv2DScaleShift(Function):
    """y = (conv(x, w) + b) * a + c, computed as conv(x, w * a) + (b * a + c) when ``a`` and ``c`` hold one value
    per output channel (a BatchNormalization in inference; other shapes run the three steps as traced).

    Made by ``fold_batch_norm`` for steps no gradient crosses, which run no backward pass; a backward call is an
    error.
    """

    def __init__(self, conv: Conv2D | DepthwiseConv2D, has_bias: bool, relu: float | None = None) -> None:
        # relu: the cap of a ReLU after the shift, run in place (inf for a plain ReLU, 6 for ReLU6), or None
        self.conv, self.has_bias, self.relu = conv, has_bias, relu

    def forward(self, x: Any, w: Any, *rest: Any) -> Any:
        b = rest[0] if self.has_bias else None
        a, c = rest[-2], rest[-1]
        if isinstance(self.conv, DepthwiseConv2D):  # (KH, KW, C, M) kernel: output channel c * M + m
            f = w.shape[2] * w.shape[3]
            if _per_channel(a, f) and _per_channel(c, f):
                y = self.conv.forward(x, w * a.reshape(w.shape[2:]))
                y += c.reshape(f)
            else:
                y = self.conv.forward(x, w) * a + c
        else:
            f = w.shape[3]
            if _per_channel(a, f) and _per_channel(c, f):
                scale = a.reshape(f)
                shift = c.reshape(f) if b is None else b * scale + c.reshape(f)
                conv = self.conv
                if shifted_conv.applies(x, w, conv.s, conv.groups):  # no patch matrix: nothing differentiates this
                    y = shifted_conv.conv2d_shifted(x, w * scale, conv.padding, conv.d)
                    y += shift
                else:
                    y = conv.forward(x, w * scale, shift)
            else:
                y = (self.conv.forward(x, w) if b is None else self.conv.forward(x, w, b)) * a + c
        if self.relu is None:
            return y
        return self.xp.maximum(y, 0, out=y) if self.relu == float("inf") else self.xp.clip(y, 0, self.relu, out=y)

    def backward(self, dy: Any) -> Any:
        raise RuntimeError("Conv2DScaleShift belongs to steps that run no backward pass (fold_batch_norm): it has no "
                           "gradient")


def fold_batch_norm(steps: Steps, outputs: Sequence[int], requires: set[int] | None = None) -> Steps:
    """Conv2D (no activation) or DepthwiseConv2D -> multiply -> add, each result read only by the next, becomes one
    ``Conv2DScaleShift`` at the add's place (where the shift has been computed). For plans that run no backward
    pass; given ``requires`` (the slots a gradient flows through), also for training plans, where only the chains
    that no gradient crosses are folded (a frozen base: its backward steps are never scheduled)."""
    consumers: dict[int, list[int]] = {}
    for j, (_f, ins, _o) in enumerate(steps):
        for i in ins:
            consumers.setdefault(i, []).append(j)
    out_slots = set(outputs)

    def only_user(slot: int) -> int | None:
        users = consumers.get(slot, [])
        return users[0] if len(users) == 1 and slot not in out_slots else None

    fused, dropped = list(steps), set[int]()
    for k, (f, ins, o) in enumerate(steps):
        depthwise = type(f) is DepthwiseConv2D
        if not (depthwise or type(f) is Conv2D and f.activation is None) or (mul_at := only_user(o)) is None:
            continue
        g, g_ins, g_out = steps[mul_at]
        if type(g) is not Mul or g_ins[0] == g_ins[1] or (add_at := only_user(g_out)) is None:
            continue
        h, h_ins, h_out = steps[add_at]
        if type(h) is not Add or h_ins[0] == h_ins[1]:
            continue
        scale = g_ins[1] if g_ins[0] == o else g_ins[0]
        shift = h_ins[1] if h_ins[0] == g_out else h_ins[0]
        if requires is not None and requires.intersection(ins + (scale, shift)):
            continue
        # a ReLU that alone reads the shifted result runs in place on it (ResNet's conv -> batch norm -> ReLU)
        relu_at = only_user(h_out)
        act = steps[relu_at][0] if relu_at is not None else None
        relu = float("inf") if type(act) is Relu else act.cap if type(act) is CappedRelu else None
        at, out = (relu_at, steps[relu_at][2]) if relu is not None and relu_at is not None else (add_at, h_out)
        conv = DepthwiseConv2D(f.s, f.padding, f.d) if depthwise else Conv2D(f.s, f.padding, f.d, f.groups, None)
        fused[at] = (Conv2DScaleShift(conv, len(ins) == 3, relu), tuple(ins) + (scale, shift), out)
        dropped.update((k, mul_at) if at == add_at else (k, mul_at, add_at))
    return [st for i, st in enumerate(fused) if i not in dropped]


class AddRelu(Function):
    """y = max(a + b, 0) in one array (a residual sum and the ReLU after it). Made by ``fuse_add_relu`` for steps
    no gradient crosses; a backward call is an error."""

    def forward(self, a: Any, b: Any) -> Any:
        y = self.xp.add(a, b)
        return self.xp.maximum(y, 0, out=y)

    def backward(self, dy: Any) -> Any:
        raise RuntimeError("AddRelu belongs to steps that run no backward pass (fuse_add_relu): it has no gradient")


def fuse_add_relu(steps: Steps, outputs: Sequence[int], requires: set[int] | None = None) -> Steps:
    """An Add whose result only a ReLU reads becomes one ``AddRelu`` at the ReLU's place (ResNet's residual
    sums); given ``requires`` (training plans), only where no gradient flows through either operand."""
    consumers: dict[int, list[int]] = {}
    for j, (_f, ins, _o) in enumerate(steps):
        for i in ins:
            consumers.setdefault(i, []).append(j)
    out_slots = set(outputs)
    fused, dropped = list(steps), set[int]()
    for k, (f, ins, o) in enumerate(steps):
        users = consumers.get(o, [])
        if type(f) is not Add or len(users) != 1 or o in out_slots or type(steps[users[0]][0]) is not Relu:
            continue
        if requires is not None and requires.intersection(ins):
            continue
        fused[users[0]] = (AddRelu(), ins, steps[users[0]][2])
        dropped.add(k)
    return [st for i, st in enumerate(fused) if i not in dropped]


def fuse_for_training(steps: Steps, outputs: Sequence[int], var_slots: Sequence[int] = ()) -> Steps:
    """``fuse_activations``, then ``fold_batch_norm`` of the chains no gradient crosses (``var_slots``: the
    trainable variables' slots): a frozen pretrained base keeps its batch normalization folded while a new head
    trains on it."""
    steps = fuse_activations(steps, outputs)
    requires = gradient_slots(steps, var_slots)
    return fuse_add_relu(fold_batch_norm(steps, outputs, requires), outputs, requires)


def fuse_for_inference(steps: Steps, outputs: Sequence[int], var_slots: Sequence[int] = ()) -> Steps:
    """``fuse_activations``, ``fold_batch_norm`` and ``fuse_add_relu``: the passes of plans that run no backward
    pass."""
    return fuse_add_relu(fold_batch_norm(fuse_activations(steps, outputs), outputs), outputs)


class DenseIntoWeights(Dense):
    """Dense whose backward pass adds the gradients of some inputs into given arrays and returns None for them.

    ``sinks``: input position (1 kernel, 2 bias) -> the array to add into. The kernel's gradient goes through the
    backend's ``gemm_accumulate`` (one GEMM with beta = 1) where it serves, else through a product and an add.
    The input gradient is computed before any sink is written, so it sees the old kernel.
    """

    def __init__(self, activation: str | None, sinks: dict[int, Any]) -> None:
        super().__init__(activation)
        self.sinks = sinks

    def backward(self, dy: Any) -> Any:
        x, w, y, has_b = self.saved
        xp = self.xp
        g = self._activation_grad(dy, y)
        needs = self.needs_input_grad
        sinks = self.sinks
        if x.ndim == 2 and x.size <= 16384:  # tiny products: the same calls as Dense.backward
            dx = xp.dot(g, w.T) if needs[0] else None
            dw = xp.dot(x.T, g) if needs[1] else None
            if dw is not None and 1 in sinks:
                sinks[1] += dw
                dw = None
        else:
            x2, g2 = x.reshape(-1, x.shape[-1]), g.reshape(-1, g.shape[-1])
            dx = g @ w.T if needs[0] else None  # before the sink writes into w
            dw = None
            if needs[1] and not (1 in sinks and _backend.current().gemm_accumulate(sinks[1], x2.T, g2)):
                dw = x2.T @ g2
                if 1 in sinks:
                    sinks[1] += dw
                    dw = None
        db = xp.add.reduce(g.reshape(-1, g.shape[-1]) if g.ndim != 2 else g, axis=0) if has_b and needs[2] else None
        if db is not None and 2 in sinks:
            sinks[2] += db
            db = None
        return (dx, dw, db) if has_b else (dx, dw)


def sink_into_weights(steps: Steps, var_slots: Sequence[int], outputs: Sequence[int],
                      arrays: Sequence[Any]) -> tuple[Steps, set[int]]:
    """Replace each Dense that alone reads a large variable by a ``DenseIntoWeights`` bound to that variable's
    array (``arrays[k]`` for the variable in ``var_slots[k]``). Returns the new steps and the indices of the
    variables whose gradient now goes into their array (the backward pass returns None for them).

    Only a variable read by exactly one op qualifies: no later op of the backward pass may read a weight that was
    already updated.
    """
    uses: dict[int, int] = {}
    for _f, ins, _o in steps:
        for i in ins:
            uses[i] = uses.get(i, 0) + 1
    index = {slot: k for k, slot in enumerate(var_slots)}
    out_slots = set(outputs)
    sunk: set[int] = set()
    rewritten: Steps = []
    for f, ins, o in steps:
        if type(f) is Dense:
            positions = {pos: index[i] for pos, i in enumerate(ins)
                         if pos > 0 and i in index and uses[i] == 1 and i not in out_slots}
            if positions and max(arrays[k].size for k in positions.values()) >= SINK_MIN_SIZE:
                rewritten.append((DenseIntoWeights(f.activation, {pos: arrays[k] for pos, k in positions.items()}),
                                  ins, o))
                sunk.update(positions.values())
                continue
        rewritten.append((f, ins, o))
    return rewritten, sunk
