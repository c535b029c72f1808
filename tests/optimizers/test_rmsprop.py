"""RMSprop: Keras 3's rule with epsilon inside the square root, plain momentum and the centered variant."""
from __future__ import annotations

import numpy as np
import pytest

from tensorlet.optimizers import RMSprop
from tests.optimizers.hand import GRADS, W0, check


def rmsprop_by_hand(lr=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False):
    w, v, a, mom, out = W0.copy(), np.zeros(3), np.zeros(3), np.zeros(3), []
    for g in GRADS:
        v = rho * v + (1 - rho) * g ** 2
        if centered:
            a = rho * a + (1 - rho) * g
            denominator = v - a ** 2 + epsilon
        else:
            denominator = v + epsilon
        increment = lr * g / np.sqrt(denominator)
        if momentum > 0:
            mom = momentum * mom + increment
            w = w - mom
        else:
            w = w - increment
        out.append(w)
    return out


def test_rmsprop_defaults_match_formula():
    opt = RMSprop()
    assert (opt.rho, opt.momentum, opt.epsilon, opt.centered) == (0.9, 0.0, 1e-7, False)
    check(opt, rmsprop_by_hand())


@pytest.mark.parametrize("momentum,centered", [(0.5, False), (0.0, True), (0.5, True)])
def test_rmsprop_options_match_formula(momentum, centered):
    opt = RMSprop(0.01, rho=0.8, momentum=momentum, centered=centered)
    check(opt, rmsprop_by_hand(0.01, rho=0.8, momentum=momentum, centered=centered))


def test_rmsprop_epsilon_sits_inside_the_square_root():
    # no gradient history and a huge epsilon: the step is lr * g / sqrt(v + eps), not lr * g / (sqrt(v) + eps)
    opt = RMSprop(1.0, rho=0.0, epsilon=3.0)
    check(opt, rmsprop_by_hand(1.0, rho=0.0, epsilon=3.0))
