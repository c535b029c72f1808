"""Nadam: Keras 3's momentum-cache form, u_t = beta_1 * (1 - 0.5 * 0.96**t)."""
from __future__ import annotations

import numpy as np

from tensorlet.optimizers import Nadam
from tests.optimizers.hand import GRADS, W0, check


def nadam_by_hand(lr=0.001, b1=0.9, b2=0.999, eps=1e-7, d=1.0):
    w, m, v, product, out = W0.copy(), np.zeros(3), np.zeros(3), 1.0, []
    for t, g in enumerate(GRADS, start=1):
        u_t = b1 * (1 - 0.5 * 0.96 ** (t * d))
        u_next = b1 * (1 - 0.5 * 0.96 ** ((t + 1) * d))
        product = product * u_t
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g ** 2
        m_hat = u_next * m / (1 - product * u_next) + (1 - u_t) * g / (1 - product)
        v_hat = v / (1 - b2 ** t)
        w = w - lr * m_hat / (np.sqrt(v_hat) + eps)
        out.append(w)
    return out


def test_nadam_defaults_match_formula():
    check(Nadam(), nadam_by_hand())


def test_nadam_options_match_formula():
    check(Nadam(0.1, beta_1=0.8, beta_2=0.9, epsilon=1e-4), nadam_by_hand(0.1, 0.8, 0.9, 1e-4))


def test_nadam_momentum_product_is_saved_state():
    opt = Nadam()
    check(opt, nadam_by_hand())
    product = opt.variables[-1]
    expected = np.prod([0.9 * (1 - 0.5 * 0.96 ** t) for t in (1, 2, 3)])
    assert product.path == "u_product" and abs(float(product) - expected) < 1e-6


def test_nadam_keras2_schedule_decay_is_applied_with_a_warning():
    import pytest

    with pytest.warns(DeprecationWarning, match="schedule_decay"):
        opt = Nadam(0.1, schedule_decay=0.004)
    check(opt, nadam_by_hand(0.1, d=0.004))
    assert Nadam.from_config(opt.get_config()).schedule_decay == 0.004
