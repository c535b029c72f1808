"""AdamW: decoupled weight decay ``w -= w * wd * lr`` before the Adam step."""
from __future__ import annotations

import numpy as np
import pytest

from tensorlet.optimizers import AdamW
from tests.optimizers.hand import GRADS, W0, check


def adamw_by_hand(lr=0.001, wd=0.004, b1=0.9, b2=0.999, eps=1e-7):
    w, m, v, out = W0.copy(), np.zeros(3), np.zeros(3), []
    for t, g in enumerate(GRADS, start=1):
        w = w - w * wd * lr
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g ** 2
        w = w - lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t) * m / (np.sqrt(v) + eps)
        out.append(w)
    return out


def test_adamw_defaults_match_formula():
    opt = AdamW()
    assert opt.weight_decay == 0.004
    check(opt, adamw_by_hand())


def test_adamw_large_decay_matches_formula():
    check(AdamW(0.1, weight_decay=0.5), adamw_by_hand(0.1, wd=0.5))


def test_adamw_requires_a_weight_decay():
    with pytest.raises(ValueError, match="weight_decay"):
        AdamW(weight_decay=None)
