"""Trajectories against PyTorch's optimizers (run with ``-m parity``; skipped without torch).

Conventions differ only in form: PyTorch's SGD velocity is Keras' divided by ``-lr`` (same trajectory at a
constant rate); PyTorch's Adam adds epsilon to the bias-corrected ``sqrt(v_hat)`` and RMSprop adds it outside
the square root, so those comparisons use a tolerance that covers epsilon's placement.
"""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.optimizers import SGD, Adam, RMSprop

pytestmark = pytest.mark.parity


def _problem():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((64, 5)).astype(np.float32)
    y = (x @ rng.standard_normal(5) + 0.1 * rng.standard_normal(64)).astype(np.float32)
    return x, y, rng.standard_normal(5).astype(np.float32)


def _trajectories(ours, make_torch, steps=50):
    torch = pytest.importorskip("torch")
    x, y, w0 = _problem()
    w = tf.Variable(w0.copy())
    tw = torch.tensor(w0.copy(), requires_grad=True)
    topt = make_torch(torch, [tw])
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    for _ in range(steps):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(tf.linalg.matvec(tf.constant(x), w) - y))
        ours.apply_gradients(zip(tape.gradient(loss, [w]), [w]))
        topt.zero_grad()
        ((xt @ tw - yt) ** 2).mean().backward()
        topt.step()
        yield w.numpy(), tw.detach().numpy()


@pytest.mark.parametrize("nesterov", [False, True])
def test_sgd_momentum_matches_torch(nesterov):
    for a, b in _trajectories(SGD(0.05, momentum=0.9, nesterov=nesterov),
                              lambda torch, p: torch.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=nesterov)):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)


def test_adam_matches_torch():
    for a, b in _trajectories(Adam(0.05), lambda torch, p: torch.optim.Adam(p, lr=0.05, eps=1e-7)):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


def test_adam_amsgrad_matches_torch():
    for a, b in _trajectories(Adam(0.05, amsgrad=True),
                              lambda torch, p: torch.optim.Adam(p, lr=0.05, eps=1e-7, amsgrad=True)):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


def test_rmsprop_matches_torch():
    for a, b in _trajectories(RMSprop(0.01, epsilon=1e-10),
                              lambda torch, p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9, eps=1e-10)):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)
