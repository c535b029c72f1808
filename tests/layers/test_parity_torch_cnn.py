"""Parity with PyTorch (CPU) for Conv2D, MaxPooling2D, AveragePooling2D and BatchNormalization: forward values and
the gradients with respect to the input and the weights for one shared upstream gradient.

Layouts: tensorlet is NHWC with HWIO kernels, torch is NCHW with OIHW kernels; both sides see the same numbers.
TF 'same' padding is computed here from its definition (out = ceil(n / stride), total pad
max((out - 1) * stride + (k - 1) * dilation + 1 - n, 0), the odd pixel *after*) and applied to torch explicitly
with ``F.pad``, because torch's own ``padding="same"`` pads symmetrically and refuses strides > 1.

Precision: every comparison uses rtol = atol = 1e-5, run twice for Conv2D and BatchNormalization -- float32 on both
sides (it reaches 1e-5: the worst error seen is under a tenth of the bound, on O(1) data) and float64 on both
sides (agreement to ~1e-15, so any real discrepancy is not hidden by rounding).
"""
from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras import layers

torch = pytest.importorskip("torch")
F = torch.nn.functional

pytestmark = pytest.mark.parity

TOL = {"rtol": 1e-5, "atol": 1e-5}


def _nchw(a: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(a.transpose(0, 3, 1, 2))


def _nhwc(a: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(a.transpose(0, 2, 3, 1))


def _tf_same_pads(n: int, k: int, stride: int, dilation: int = 1) -> tuple[int, int]:
    out = -(-n // stride)
    total = max((out - 1) * stride + (k - 1) * dilation + 1 - n, 0)
    return total // 2, total - total // 2


def _torch_pad(xt: Any, kernel: tuple[int, int], strides: tuple[int, int], dilation: tuple[int, int],
               padding: str, value: float = 0.0) -> Any:
    if padding == "valid":
        return xt
    top, bottom = _tf_same_pads(xt.shape[2], kernel[0], strides[0], dilation[0])
    left, right = _tf_same_pads(xt.shape[3], kernel[1], strides[1], dilation[1])
    return F.pad(xt, (left, right, top, bottom), value=value)


def _tensorlet_forward_backward(layer: Any, x: np.ndarray, dy_fn: Any, weights: list[Any],
                                **call_kwargs: Any) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """y = layer(x) and the gradients of sum(dy * y) w.r.t. x and ``weights``; dy_fn(shape) gives dy."""
    xv = tf.Variable(x)
    with tf.GradientTape() as tape:
        y = layer(xv, **call_kwargs)
    dy = dy_fn(tuple(y.shape))
    grads = tape.gradient(y, [xv] + weights, output_gradients=tf.constant(dy))
    return y.numpy(), dy, [g.numpy() for g in grads]


def _upstream(seed: int, dtype: str) -> Any:
    return lambda shape: np.random.default_rng(seed).standard_normal(shape).astype(dtype)


CONV_CASES = {
    "valid": ({"kernel_size": 3}, (2, 7, 6, 3), 4),
    "valid-stride2": ({"kernel_size": (3, 2), "strides": 2}, (2, 7, 6, 3), 4),
    "same-stride1": ({"kernel_size": 3, "padding": "same"}, (2, 6, 5, 3), 4),
    "same-stride1-even-kernel": ({"kernel_size": (2, 4), "padding": "same"}, (2, 6, 5, 3), 4),
    # stride 2 with even input and odd kernel / odd input and even kernel: TF pads one more pixel after
    "same-stride2": ({"kernel_size": 3, "strides": 2, "padding": "same"}, (2, 6, 8, 3), 4),
    "same-stride2-odd-input": ({"kernel_size": 2, "strides": 2, "padding": "same"}, (2, 7, 5, 3), 4),
    "same-stride-2x3": ({"kernel_size": (3, 4), "strides": (2, 3), "padding": "same"}, (2, 7, 8, 3), 4),
    "dilation": ({"kernel_size": 3, "dilation_rate": 2}, (2, 8, 7, 3), 4),
    "dilation-same": ({"kernel_size": 3, "dilation_rate": (2, 1), "padding": "same"}, (2, 7, 6, 3), 4),
    "groups": ({"kernel_size": 3, "groups": 2}, (2, 6, 5, 4), 6),
    "groups-depthwise-same-stride2": ({"kernel_size": 3, "groups": 3, "strides": 2, "padding": "same"},
                                      (2, 6, 6, 3), 6),
    "no-bias": ({"kernel_size": 2, "use_bias": False}, (2, 5, 5, 3), 4),
}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", sorted(CONV_CASES))
def test_conv2d_matches_torch(case, dtype):
    kwargs, shape, filters = CONV_CASES[case]
    rng = np.random.default_rng(0)
    x = rng.standard_normal(shape).astype(dtype)
    layer = layers.Conv2D(filters, dtype=dtype, **kwargs)
    layer.build(shape)
    use_bias = kwargs.get("use_bias", True)
    kernel = rng.standard_normal(layer.kernel.shape).astype(dtype)
    bias = rng.standard_normal(filters).astype(dtype)
    layer.set_weights([kernel, bias] if use_bias else [kernel])
    weights = [layer.kernel, layer.bias] if use_bias else [layer.kernel]
    y, dy, grads = _tensorlet_forward_backward(layer, x, _upstream(1, dtype), weights)

    xt = torch.tensor(_nchw(x), requires_grad=True)
    wt = torch.tensor(np.ascontiguousarray(kernel.transpose(3, 2, 0, 1)), requires_grad=True)  # HWIO -> OIHW
    bt = torch.tensor(bias, requires_grad=True) if use_bias else None
    strides, dilation = layer.strides, layer.dilation_rate
    xp = _torch_pad(xt, layer.kernel_size, strides, dilation, layer.padding)
    yt = F.conv2d(xp, wt, bt, stride=strides, dilation=dilation, groups=layer.groups)
    yt.backward(torch.tensor(_nchw(dy)))

    np.testing.assert_allclose(y, _nhwc(yt.detach().numpy()), **TOL)
    np.testing.assert_allclose(grads[0], _nhwc(xt.grad.numpy()), **TOL)
    np.testing.assert_allclose(grads[1], wt.grad.numpy().transpose(2, 3, 1, 0), **TOL)  # OIHW -> HWIO
    if use_bias:
        np.testing.assert_allclose(grads[2], bt.grad.numpy(), **TOL)


POOL_CASES = {
    "max-2": (layers.MaxPooling2D, {}, (2, 6, 7, 3)),
    "max-3-stride2": (layers.MaxPooling2D, {"pool_size": 3, "strides": 2}, (2, 7, 8, 3)),
    "max-2x3-stride1": (layers.MaxPooling2D, {"pool_size": (2, 3), "strides": 1}, (2, 5, 6, 3)),
    "max-same-3-stride2": (layers.MaxPooling2D, {"pool_size": 3, "strides": 2, "padding": "same"}, (2, 6, 7, 3)),
    "avg-2": (layers.AveragePooling2D, {}, (2, 6, 7, 3)),
    "avg-3-stride2": (layers.AveragePooling2D, {"pool_size": 3, "strides": 2}, (2, 7, 8, 3)),
    "avg-2x3-stride1": (layers.AveragePooling2D, {"pool_size": (2, 3), "strides": 1}, (2, 5, 6, 3)),
}


@pytest.mark.parametrize("case", sorted(POOL_CASES))
def test_pooling2d_matches_torch(case):
    cls, kwargs, shape = POOL_CASES[case]
    x = np.random.default_rng(2).standard_normal(shape).astype("float32")  # continuous: no ties in max windows
    layer = cls(**kwargs)
    y, dy, (dx,) = _tensorlet_forward_backward(layer, x, _upstream(3, "float32"), [])

    xt = torch.tensor(_nchw(x), requires_grad=True)
    if cls is layers.MaxPooling2D:
        # 'same' max pooling pads with -inf, so a padded pixel never wins
        xp = _torch_pad(xt, layer.pool_size, layer.strides, (1, 1), layer.padding, value=-float("inf"))
        yt = F.max_pool2d(xp, layer.pool_size, layer.strides)
    else:
        yt = F.avg_pool2d(xt, layer.pool_size, layer.strides)
    yt.backward(torch.tensor(_nchw(dy)))
    np.testing.assert_allclose(y, _nhwc(yt.detach().numpy()), **TOL)
    np.testing.assert_allclose(dx, _nhwc(xt.grad.numpy()), **TOL)


def test_average_pooling_same_matches_torch_without_padded_pixels():
    """TF 'same' average pooling averages only real pixels: torch's count_include_pad=False, padded explicitly
    (torch's own padding is symmetric) -- checked where TF's padding is symmetric, so the two agree."""
    x = np.random.default_rng(4).standard_normal((2, 7, 7, 3)).astype("float32")
    layer = layers.AveragePooling2D(pool_size=3, strides=1, padding="same")
    y, dy, (dx,) = _tensorlet_forward_backward(layer, x, _upstream(5, "float32"), [])
    xt = torch.tensor(_nchw(x), requires_grad=True)
    yt = F.avg_pool2d(xt, 3, 1, padding=1, count_include_pad=False)
    yt.backward(torch.tensor(_nchw(dy)))
    np.testing.assert_allclose(y, _nhwc(yt.detach().numpy()), **TOL)
    np.testing.assert_allclose(dx, _nhwc(xt.grad.numpy()), **TOL)


BN_CASES = {"nhwc": (4, 5, 3, 3), "dense": (8, 5)}


def _to_torch_layout(a: np.ndarray) -> np.ndarray:
    return _nchw(a) if a.ndim == 4 else a


def _from_torch_layout(a: np.ndarray) -> np.ndarray:
    return _nhwc(a) if a.ndim == 4 else a


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("case", sorted(BN_CASES))
def test_batch_norm_training_matches_torch(case, dtype):
    shape = BN_CASES[case]
    c = shape[-1]
    rng = np.random.default_rng(6)
    x = (rng.standard_normal(shape) * 2 + 0.7).astype(dtype)
    gamma, beta = rng.uniform(0.5, 1.5, c).astype(dtype), rng.standard_normal(c).astype(dtype)
    mm0, mv0 = rng.standard_normal(c).astype(dtype), rng.uniform(0.5, 2.0, c).astype(dtype)
    keras_momentum, eps = 0.9, 1e-3

    layer = layers.BatchNormalization(momentum=keras_momentum, epsilon=eps, dtype=dtype)
    layer.build(shape)
    layer.set_weights([gamma, beta, mm0, mv0])
    y, dy, (dx, dgamma, dbeta) = _tensorlet_forward_backward(layer, x, _upstream(7, dtype),
                                                             [layer.gamma, layer.beta], training=True)

    # torch's momentum weighs the *new* statistic: torch momentum = 1 - Keras momentum
    bn_t = (torch.nn.BatchNorm2d if len(shape) == 4 else torch.nn.BatchNorm1d)(
        c, eps=eps, momentum=1 - keras_momentum, dtype=getattr(torch, dtype))
    with torch.no_grad():
        bn_t.weight.copy_(torch.tensor(gamma))
        bn_t.bias.copy_(torch.tensor(beta))
        bn_t.running_mean.copy_(torch.tensor(mm0))
        bn_t.running_var.copy_(torch.tensor(mv0))
    bn_t.train()
    xt = torch.tensor(_to_torch_layout(x), requires_grad=True)
    yt = bn_t(xt)
    yt.backward(torch.tensor(_to_torch_layout(dy)))

    # forward and backward in training mode: batch mean and biased batch variance on both sides
    np.testing.assert_allclose(y, _from_torch_layout(yt.detach().numpy()), **TOL)
    np.testing.assert_allclose(dx, _from_torch_layout(xt.grad.numpy()), **TOL)
    np.testing.assert_allclose(dgamma, bn_t.weight.grad.numpy(), **TOL)
    np.testing.assert_allclose(dbeta, bn_t.bias.grad.numpy(), **TOL)

    # moving mean: the same update once the momentum convention is converted
    np.testing.assert_allclose(layer.moving_mean.numpy(), bn_t.running_mean.numpy(), **TOL)
    # moving variance: torch feeds the UNBIASED batch variance (n / (n - 1) times the biased one) into its running
    # average, Keras 3 the biased one, so the raw values differ; undo torch's Bessel factor on the new-statistic
    # term and the two agree
    n = x.size // c
    m = keras_momentum
    torch_batch_term = bn_t.running_var.numpy() - m * mv0
    np.testing.assert_allclose(layer.moving_variance.numpy() - m * mv0, torch_batch_term * (n - 1) / n, **TOL)
    assert not np.allclose(layer.moving_variance.numpy(), bn_t.running_var.numpy(), rtol=1e-5, atol=1e-5)

    # inference with the same moving statistics on both sides (torch's running_var set to Keras' value)
    with torch.no_grad():
        bn_t.running_var.copy_(torch.tensor(layer.moving_variance.numpy()))
    bn_t.eval()
    y_inf, dy_inf, (dx_inf,) = _tensorlet_forward_backward(layer, x, _upstream(8, dtype), [], training=False)
    xt2 = torch.tensor(_to_torch_layout(x), requires_grad=True)
    yt_inf = bn_t(xt2)
    yt_inf.backward(torch.tensor(_to_torch_layout(dy_inf)))
    np.testing.assert_allclose(y_inf, _from_torch_layout(yt_inf.detach().numpy()), **TOL)
    np.testing.assert_allclose(dx_inf, _from_torch_layout(xt2.grad.numpy()), **TOL)
