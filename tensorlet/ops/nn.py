"""Neural-network ops: activations, softmax, the fused dense layer, and crossentropies on logits."""
from __future__ import annotations

import math
from typing import Any

from tensorlet import backend
from tensorlet.autodiff.function import Function
from tensorlet.autodiff.tensor import Tensor
from tensorlet.backend import Array
from tensorlet.errors import InvalidArgumentError
from tensorlet.ops.convert import as_tensor, binary_operands
from tensorlet.ops.elementwise import (
    add,
    maximum,
    multiply,
    sigmoid,
    sigmoid_array,
    square,
    subtract,
)
from tensorlet.ops.reduction import reduce_mean, reduce_sum


class Relu(Function):
    """y = max(x, 0); dy/dx = 1 where y > 0 (so the gradient at 0 is 0, as in TF)."""

    def forward(self, x: Any) -> Any:
        y = self.xp.maximum(x, 0)
        self.saved = (y,)
        return y

    def backward(self, dy: Any) -> Any:
        return dy * (self.saved[0] > 0)


class CappedRelu(Function):
    """y = min(max(x, 0), cap) in one pass (ReLU6 for cap 6); dy/dx = 1 where 0 < x < cap, as TF's relu6."""

    def __init__(self, cap: float) -> None:
        self.cap = cap

    def forward(self, x: Any) -> Any:
        y = self.xp.clip(x, 0, self.cap)
        self.saved = (y,)
        return y

    def backward(self, dy: Any) -> Any:
        y = self.saved[0]
        return dy * ((y > 0) & (y < self.cap))


class Elu(Function):
    """y = x if x > 0 else alpha (exp(x) - 1); dy/dx = 1 or y + alpha."""

    def __init__(self, alpha: float = 1.0, scale: float = 1.0) -> None:
        self.alpha, self.scale = alpha, scale

    def forward(self, x: Any) -> Any:
        xp, pos = self.xp, x > 0
        y = xp.where(pos, x, self.alpha * xp.expm1(xp.minimum(x, 0))) * self.scale
        self.saved = (pos, y)
        return y.astype(x.dtype, copy=False)

    def backward(self, dy: Any) -> Any:
        pos, y = self.saved
        return dy * self.xp.where(pos, self.scale, y + self.scale * self.alpha)


class LeakyRelu(Function):
    """y = x if x > 0 else alpha x."""

    def __init__(self, alpha: float) -> None:
        self.alpha = alpha

    def forward(self, x: Any) -> Any:
        pos = x > 0
        self.saved = (pos,)
        return self.xp.where(pos, x, x * x.dtype.type(self.alpha))

    def backward(self, dy: Any) -> Any:
        return self.xp.where(self.saved[0], dy, dy * dy.dtype.type(self.alpha))


class Softplus(Function):
    """y = log(1 + exp(x)); dy/dx = sigmoid(x)."""

    def forward(self, x: Any) -> Any:
        self.saved = (x,)
        return self.xp.logaddexp(x, x.dtype.type(0))

    def backward(self, dy: Any) -> Any:
        return dy * sigmoid_array(self.saved[0], self.xp)


def _erf(x: Array, xp: Any) -> Array:
    """erf to ~1e-7 (Abramowitz & Stegun 7.1.26), vectorized: NumPy has no erf."""
    s = xp.sign(x)
    a = xp.minimum(xp.abs(x), 10)  # erf(10) is 1 to double precision; a * a below cannot overflow (float16)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return s * (1.0 - poly * xp.exp(-a * a))


class Gelu(Function):
    """y = x Phi(x) (exact, with erf) or its tanh approximation."""

    def __init__(self, approximate: bool) -> None:
        self.approximate = approximate

    def forward(self, x: Any) -> Any:
        self.saved = (x,)
        if self.approximate:
            c = math.sqrt(2 / math.pi)
            xc = self.xp.clip(x, -10, 10)  # tanh saturates to +-1 beyond; the cube of a larger x would overflow
            y = 0.5 * x * (1 + self.xp.tanh(c * (xc + 0.044715 * xc**3)))
        else:
            y = 0.5 * x * (1 + _erf(x / math.sqrt(2), self.xp))
        return y.astype(x.dtype, copy=False)

    def backward(self, dy: Any) -> Any:
        xp, x = self.xp, self.saved[0]
        if self.approximate:
            c = math.sqrt(2 / math.pi)
            xc = xp.clip(x, -10, 10)  # where clipped, 1 - t^2 is exactly 0
            t = xp.tanh(c * (xc + 0.044715 * xc**3))
            d = 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * c * (1 + 3 * 0.044715 * xc * xc)
        else:
            xc = xp.clip(x, -40, 40)  # the normal density is 0 beyond; x * x would overflow in float16
            d = 0.5 * (1 + _erf(x / math.sqrt(2), xp)) + x * xp.exp(-0.5 * xc * xc) / math.sqrt(2 * math.pi)
        return (dy * d).astype(dy.dtype, copy=False)


class Softmax(Function):
    """y = exp(x) / sum(exp(x)); dx = y (dy - sum(dy y))."""

    def __init__(self, axis: int = -1) -> None:
        self.axis = axis

    def forward(self, x: Any) -> Any:
        xp = self.xp
        e = xp.subtract(x, x.max(axis=self.axis, keepdims=True))  # one array, updated in place (attention's
        xp.exp(e, out=e)                                           # scores are large: a temporary each is a
        e /= e.sum(axis=self.axis, keepdims=True)                  # pass through fresh memory)
        self.saved = (e,)
        return e

    def backward(self, dy: Any) -> Any:
        y = self.saved[0]
        xp = self.xp
        g = xp.multiply(dy, y)
        s = g.sum(axis=self.axis, keepdims=True)
        xp.subtract(dy, s, out=g)
        g *= y
        return g


class LogSoftmax(Function):
    """y = x - logsumexp(x); dx = dy - softmax(x) sum(dy)."""

    def __init__(self, axis: int = -1) -> None:
        self.axis = axis

    def forward(self, x: Any) -> Any:
        z = x - x.max(axis=self.axis, keepdims=True)
        y = z - self.xp.log(self.xp.exp(z).sum(axis=self.axis, keepdims=True))
        self.saved = (y,)
        return y

    def backward(self, dy: Any) -> Any:
        y = self.saved[0]
        return dy - self.xp.exp(y) * dy.sum(axis=self.axis, keepdims=True)


class SoftmaxCrossEntropy(Function):
    """loss = logsumexp(z) - sum(labels z); dz = softmax(z) sum(labels) - labels; dlabels = -log_softmax(z)."""

    def __init__(self, axis: int = -1) -> None:
        self.axis = axis

    def forward(self, labels: Any, logits: Any) -> Any:
        z = logits - logits.max(axis=self.axis, keepdims=True)
        lse = self.xp.log(self.xp.exp(z).sum(axis=self.axis, keepdims=True))
        logp = z - lse
        self.saved = (labels, logp)
        return -(labels * logp).sum(axis=self.axis)

    def backward(self, dy: Any) -> Any:
        labels, logp = self.saved
        xp = self.xp
        d = xp.expand_dims(dy, self.axis)
        nl, nz = self.needs_input_grad
        dz = d * (xp.exp(logp) * labels.sum(axis=self.axis, keepdims=True) - labels) if nz else None
        return (-d * logp if nl else None), dz


class SparseSoftmaxCrossEntropy(Function):
    """loss = logsumexp(z) - z[label]; dz = softmax(z) - onehot(label). Labels are an input (no gradient)."""

    def forward(self, labels: Any, logits: Any) -> Any:
        xp = self.xp
        lab = labels if labels.dtype.kind in "iu" else labels.astype(xp.int64)
        n_classes = logits.shape[-1]
        if lab.size and (lab.min() < 0 or lab.max() >= n_classes):
            raise ValueError(f"Sparse labels must lie in [0, {n_classes}) for {n_classes} classes; received labels "
                             f"from {lab.min()} to {lab.max()}")
        z = logits - logits.max(axis=-1, keepdims=True)
        logp = z - xp.log(xp.exp(z).sum(axis=-1, keepdims=True))
        # each label's position in logp.ravel() (logp is a fresh C-contiguous array): one flat gather, cheaper
        # than take_along_axis on small batches
        flat = xp.arange(lab.size) * n_classes + lab.reshape(-1)
        self.saved = (flat, logp)
        return -logp.reshape(-1)[flat].reshape(lab.shape)

    def backward(self, dy: Any) -> Any:
        flat, logp = self.saved
        g = self.xp.exp(logp)
        g.reshape(-1)[flat] -= 1
        return None, g * dy[..., None]


class SigmoidCrossEntropy(Function):
    """loss = max(z, 0) - z t + log(1 + exp(-|z|)); dz = sigmoid(z) - t; dt = -z."""

    def forward(self, t: Any, z: Any) -> Any:
        self.saved = (t, z)
        xp = self.xp
        return xp.maximum(z, 0) - z * t + xp.log1p(xp.exp(-xp.abs(z)))

    def backward(self, dy: Any) -> Any:
        t, z = self.saved
        nt, nz = self.needs_input_grad
        return (-dy * z if nt else None), (dy * (sigmoid_array(z, self.xp) - t) if nz else None)


class Dense(Function):
    """y = act(x @ w + b) in one op. Activations: None, relu, sigmoid, tanh. dw = x^T g, db = sum g, dx = g w^T,
    with g = dy * act'(y)."""

    def __init__(self, activation: str | None = None) -> None:
        self.activation = activation

    def forward(self, x: Any, w: Any, b: Any = None) -> Any:
        if x.ndim == 2:
            y = x.dot(w)  # the dot method: the cheapest 2-D call
        elif x.ndim > 2:  # one GEMM over all leading axes, not one per batch entry (a broadcast matmul)
            y = x.reshape(math.prod(x.shape[:-1]), x.shape[-1]).dot(w).reshape(x.shape[:-1] + (w.shape[-1],))
        else:
            y = x @ w
        if b is not None:
            y += b
        act = self.activation
        if act == "relu":
            self.xp.maximum(y, 0, out=y)
        elif act == "sigmoid":
            y = sigmoid_array(y, self.xp)
        elif act == "tanh":
            self.xp.tanh(y, out=y)
        self.saved = (x, w, y, b is not None)
        return y

    def _activation_grad(self, dy: Any, y: Any) -> Any:
        act = self.activation
        if act == "relu":
            return dy * (y > 0)
        if act == "sigmoid":
            return dy * y * (1 - y)
        if act == "tanh":
            return dy * (1 - y * y)
        return dy

    def backward(self, dy: Any) -> Any:
        x, w, y, has_b = self.saved
        g = self._activation_grad(dy, y)
        needs = self.needs_input_grad
        if x.ndim == 2 and x.size <= 16384:  # dot: the cheapest call for tiny products (matmul is faster
            dx = g.dot(w.T) if needs[0] else None  # for large ones with a transposed operand)
            dw = x.T.dot(g) if needs[1] else None
        else:
            if needs[0]:
                dx = g.reshape(math.prod(g.shape[:-1]), g.shape[-1]) @ w.T if x.ndim > 2 else g @ w.T
                dx = dx.reshape(x.shape)
            else:
                dx = None
            dw = x.reshape(-1, x.shape[-1]).T @ g.reshape(-1, g.shape[-1]) if needs[1] else None
        db = None
        if has_b and needs[2]:
            db = backend.current().sum_leading(g, g.ndim - 1)
        return (dx, dw, db) if has_b else (dx, dw)


# -- public functions ------------------------------------------------------------------------------------
def relu(features: Any, name: Any = None) -> Tensor:
    return Relu()(as_tensor(features))


def capped_relu(features: Any, cap: float) -> Tensor:
    """min(max(x, 0), cap), one op."""
    return CappedRelu(float(cap))(as_tensor(features))


def relu6(features: Any, name: Any = None) -> Tensor:
    return capped_relu(features, 6.0)


def elu(features: Any, alpha: float = 1.0, name: Any = None) -> Tensor:
    return Elu(alpha)(as_tensor(features))


SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def selu(features: Any, name: Any = None) -> Tensor:
    return Elu(SELU_ALPHA, SELU_SCALE)(as_tensor(features))


def gelu(features: Any, approximate: bool = False, name: Any = None) -> Tensor:
    return Gelu(approximate)(as_tensor(features))


def softplus(features: Any, name: Any = None) -> Tensor:
    return Softplus()(as_tensor(features))


class Softsign(Function):
    """y = x / (1 + |x|); dy/dx = 1 / (1 + |x|)^2, divided twice so that large |x| cannot overflow the square."""

    def forward(self, x: Any) -> Any:
        d = 1 + self.xp.abs(x)
        self.saved = (d,)
        return x / d

    def backward(self, dy: Any) -> Any:
        d = self.saved[0]
        return dy / d / d


def softsign(features: Any, name: Any = None) -> Tensor:
    return Softsign()(as_tensor(features))


def swish(features: Any, beta: float = 1.0, name: Any = None) -> Tensor:
    """y = x sigmoid(beta x), composed."""
    x = as_tensor(features)
    return multiply(x, sigmoid(x if beta == 1.0 else multiply(x, beta)))


silu = swish


def leaky_relu(features: Any, alpha: float = 0.2, name: Any = None) -> Tensor:
    return LeakyRelu(alpha)(as_tensor(features))


def softmax(logits: Any, axis: int = -1, name: Any = None) -> Tensor:
    x = as_tensor(logits)
    y = Softmax(int(axis))(x)
    y._logits = x  # lets a following crossentropy use the fused, stable path
    return y


def log_softmax(logits: Any, axis: int = -1, name: Any = None) -> Tensor:
    return LogSoftmax(int(axis))(as_tensor(logits))


def moments(x: Any, axes: Any, shift: Any = None, keepdims: bool = False, name: Any = None) -> tuple[Tensor, Tensor]:
    """(mean, variance) over ``axes``, composed."""
    t = as_tensor(x)
    m = reduce_mean(t, axis=axes, keepdims=True)
    v = reduce_mean(square(subtract(t, m)), axis=axes, keepdims=keepdims)
    return (m if keepdims else reduce_mean(t, axis=axes)), v


def l2_loss(t: Any, name: Any = None) -> Tensor:
    """sum(t^2) / 2."""
    x = as_tensor(t)
    return multiply(reduce_sum(square(x)), 0.5)


def softmax_cross_entropy_with_logits(labels: Any, logits: Any, axis: int = -1, name: Any = None) -> Tensor:
    lab, z = binary_operands(labels, logits, "SoftmaxCrossEntropyWithLogits")
    if lab._value.shape != z._value.shape:
        raise InvalidArgumentError(f"logits and labels must be broadcastable: logits_size={list(z._value.shape)} "
                                   f"labels_size={list(lab._value.shape)}")
    return SoftmaxCrossEntropy(int(axis))(lab, z)


def sparse_softmax_cross_entropy_with_logits(labels: Any, logits: Any, name: Any = None) -> Tensor:
    """Per-example crossentropy of integer ``labels`` against ``logits`` (labels outside [0, n) are an error)."""
    z = as_tensor(logits)
    lab_t = as_tensor(labels)
    lab = lab_t._value
    n = z._value.shape[-1]
    if tuple(lab.shape) != tuple(z._value.shape[:-1]):
        raise InvalidArgumentError(f"labels shape {list(lab.shape)} must equal logits shape without its last "
                                   f"dimension: {list(z._value.shape[:-1])}")
    if lab.size and (lab.max() >= n or lab.min() < 0):
        raise InvalidArgumentError(f"Received a label value of {int(lab.max() if lab.max() >= n else lab.min())} "
                                   f"which is outside the valid range of [0, {n}).")
    return SparseSoftmaxCrossEntropy()(lab_t, z)


def sigmoid_cross_entropy_with_logits(labels: Any = None, logits: Any = None, name: Any = None) -> Tensor:
    lab, z = binary_operands(labels, logits, "SigmoidCrossEntropyWithLogits")
    if lab._value.shape != z._value.shape:
        raise InvalidArgumentError(f"logits and labels must have the same shape ({list(z._value.shape)} vs "
                                   f"{list(lab._value.shape)})")
    return SigmoidCrossEntropy()(lab, z)


def dense(x: Any, kernel: Any, bias: Any = None, activation: str | None = None) -> Tensor:
    """act(x @ kernel + bias) as one op (activation: None, 'relu', 'sigmoid' or 'tanh')."""
    xt = as_tensor(x)
    if bias is None:
        return Dense(activation)(xt, kernel)
    return Dense(activation)(xt, kernel, bias)


def bias_add(value: Any, bias: Any, data_format: Any = None, name: Any = None) -> Tensor:
    return add(value, bias)


__all__ = ["relu", "relu6", "elu", "selu", "gelu", "softplus", "softsign", "swish", "silu", "leaky_relu",
           "softmax", "log_softmax", "moments", "l2_loss", "softmax_cross_entropy_with_logits",
           "sparse_softmax_cross_entropy_with_logits", "sigmoid_cross_entropy_with_logits", "dense",
           "bias_add", "sigmoid", "tanh", "maximum"]
from tensorlet.ops.elementwise import tanh  # noqa: E402,F401
