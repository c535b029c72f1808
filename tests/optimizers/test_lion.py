"""Lion: sign of the interpolated momentum."""
from __future__ import annotations

import numpy as np
import pytest

from tensorlet.optimizers import Lion
from tests.optimizers.hand import GRADS, W0, check


def lion_by_hand(lr=0.001, b1=0.9, b2=0.99):
    w, m, out = W0.copy(), np.zeros(3), []
    for g in GRADS:
        w = w - lr * np.sign(b1 * m + (1 - b1) * g)
        m = b2 * m + (1 - b2) * g
        out.append(w)
    return out


def test_lion_defaults_match_formula():
    check(Lion(), lion_by_hand())


def test_lion_options_match_formula():
    check(Lion(0.1, beta_1=0.99, beta_2=0.5), lion_by_hand(0.1, 0.99, 0.5))


def test_lion_rejects_beta_1_outside_range():
    with pytest.raises(ValueError, match="beta_1"):
        Lion(beta_1=0.0)
