"""Adadelta: rho 0.95, learning rate 0.001 on top of the unit step."""
from __future__ import annotations

import numpy as np

from tensorlet.optimizers import Adadelta
from tests.optimizers.hand import GRADS, W0, check


def adadelta_by_hand(lr=0.001, rho=0.95, eps=1e-7):
    w, eg2, edx2, out = W0.copy(), np.zeros(3), np.zeros(3), []
    for g in GRADS:
        eg2 = rho * eg2 + (1 - rho) * g ** 2
        dx = -np.sqrt(edx2 + eps) / np.sqrt(eg2 + eps) * g
        edx2 = rho * edx2 + (1 - rho) * dx ** 2
        w = w + lr * dx
        out.append(w)
    return out


def test_adadelta_defaults_match_formula():
    opt = Adadelta()
    assert (float(opt.learning_rate), opt.rho, opt.epsilon) == (np.float32(0.001), 0.95, 1e-7)
    check(opt, adadelta_by_hand())


def test_adadelta_options_match_formula():
    check(Adadelta(1.0, rho=0.5, epsilon=1e-2), adadelta_by_hand(1.0, 0.5, 1e-2))
