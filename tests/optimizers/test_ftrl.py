"""Ftrl: FTRL-Proximal with L1, L2, shrinkage and beta."""
from __future__ import annotations

import numpy as np

from tensorlet.optimizers import Ftrl
from tests.optimizers.hand import GRADS, W0, check


def ftrl_by_hand(lr=0.001, power=-0.5, initial=0.1, l1=0.0, l2=0.0, shrink=0.0, beta=0.0):
    w, n, z, out = W0.copy(), np.full(3, initial), np.zeros(3), []
    p = -power
    for g in GRADS:
        g_shrunk = g + 2 * shrink * w
        n_new = n + g ** 2
        z = z + g_shrunk - (n_new ** p - n ** p) / lr * w
        q = n_new ** p / lr + 2 * (l2 + beta / (2 * lr))
        w = (np.clip(z, -l1, l1) - z) / q
        n = n_new
        out.append(w)
    return out


def test_ftrl_defaults_match_formula():
    check(Ftrl(), ftrl_by_hand())


def test_ftrl_regularized_matches_formula():
    opt = Ftrl(0.5, learning_rate_power=-0.7, initial_accumulator_value=0.5, l1_regularization_strength=0.05,
               l2_regularization_strength=0.1, l2_shrinkage_regularization_strength=0.2, beta=0.3)
    check(opt, ftrl_by_hand(0.5, -0.7, 0.5, 0.05, 0.1, 0.2, 0.3))
