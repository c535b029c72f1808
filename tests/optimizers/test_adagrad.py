"""Adagrad: accumulators start at 0.1; epsilon inside the square root."""
from __future__ import annotations

import numpy as np

from tensorlet.optimizers import Adagrad
from tests.optimizers.hand import GRADS, W0, check


def adagrad_by_hand(lr=0.001, initial=0.1, eps=1e-7):
    w, acc, out = W0.copy(), np.full(3, initial), []
    for g in GRADS:
        acc = acc + g ** 2
        w = w - lr * g / np.sqrt(acc + eps)
        out.append(w)
    return out


def test_adagrad_defaults_match_formula():
    opt = Adagrad()
    assert (opt.initial_accumulator_value, opt.epsilon) == (0.1, 1e-7)
    check(opt, adagrad_by_hand())


def test_adagrad_options_match_formula():
    check(Adagrad(0.5, initial_accumulator_value=1.0, epsilon=0.01), adagrad_by_hand(0.5, 1.0, 0.01))
