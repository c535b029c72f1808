"""Adam: the epsilon-hat form with bias correction in the step size, and AMSGrad."""
from __future__ import annotations

import numpy as np

from tensorlet.optimizers import Adam
from tests.optimizers.hand import GRADS, W0, check


def adam_by_hand(lr=0.001, b1=0.9, b2=0.999, eps=1e-7, amsgrad=False, grads=GRADS, clipnorm=None):
    w, m, v, v_hat, out = W0.copy(), np.zeros(3), np.zeros(3), np.zeros(3), []
    for t, g in enumerate(grads, start=1):
        if clipnorm is not None:
            g = g * clipnorm / max(np.linalg.norm(g), clipnorm)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g ** 2
        if amsgrad:
            v_hat = np.maximum(v_hat, v)
        lr_t = lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t)
        w = w - lr_t * m / (np.sqrt(v_hat if amsgrad else v) + eps)
        out.append(w)
    return out


def test_adam_defaults_match_formula():
    opt = Adam()
    assert (opt.beta_1, opt.beta_2, opt.epsilon, opt.amsgrad) == (0.9, 0.999, 1e-7, False)
    assert float(opt.learning_rate) == np.float32(0.001)
    check(opt, adam_by_hand())


def test_adam_non_default_hyperparameters_match_formula():
    check(Adam(0.1, beta_1=0.5, beta_2=0.9, epsilon=1e-3), adam_by_hand(0.1, 0.5, 0.9, 1e-3))


def test_adam_amsgrad_matches_formula_when_second_moment_shrinks():
    grads = [np.array([3.0, -2.0, 1.0]), np.array([0.01, 0.02, -0.01]), np.array([0.02, -0.01, 0.03])]
    expected = adam_by_hand(0.1, b2=0.5, amsgrad=True, grads=grads)
    assert not np.allclose(expected[-1], adam_by_hand(0.1, b2=0.5, grads=grads)[-1])
    check(Adam(0.1, beta_2=0.5, amsgrad=True), expected, grads=grads)


def test_adam_clipnorm_clips_each_gradient_first():
    check(Adam(0.1, clipnorm=1.0), adam_by_hand(0.1, clipnorm=1.0))
