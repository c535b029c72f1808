"""Adamax: the infinity-norm variant of Adam."""
from __future__ import annotations

import numpy as np

from tensorlet.optimizers import Adamax
from tests.optimizers.hand import GRADS, W0, check


def adamax_by_hand(lr=0.001, b1=0.9, b2=0.999, eps=1e-7):
    w, m, u, out = W0.copy(), np.zeros(3), np.zeros(3), []
    for t, g in enumerate(GRADS, start=1):
        m = b1 * m + (1 - b1) * g
        u = np.maximum(b2 * u, np.abs(g))
        w = w - lr * m / ((1 - b1 ** t) * (u + eps))
        out.append(w)
    return out


def test_adamax_defaults_match_formula():
    check(Adamax(), adamax_by_hand())


def test_adamax_options_match_formula():
    check(Adamax(0.1, beta_1=0.5, beta_2=0.6, epsilon=1e-3), adamax_by_hand(0.1, 0.5, 0.6, 1e-3))
