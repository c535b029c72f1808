"""SGD: the first three steps equal Keras' formulas, written out by hand."""
from __future__ import annotations

import numpy as np

from tensorlet.optimizers import SGD
from tests.optimizers.hand import GRADS, W0, check


def sgd_by_hand(lr=0.01, momentum=0.0, nesterov=False, weight_decay=0.0, grads=GRADS, w0=W0):
    w, v, out = w0.copy(), np.zeros_like(w0), []
    for g in grads:
        w = w - w * weight_decay * lr
        if momentum == 0:
            w = w - lr * g
        else:
            v = momentum * v - lr * g
            w = w + (momentum * v - lr * g if nesterov else v)
        out.append(w)
    return out


def test_sgd_defaults_match_formula():
    opt = SGD()
    assert opt.get_config()["learning_rate"] == np.float32(0.01) and opt.momentum == 0.0 and not opt.nesterov
    check(opt, sgd_by_hand())


def test_sgd_momentum_matches_formula():
    check(SGD(0.1, momentum=0.9), sgd_by_hand(0.1, momentum=0.9))


def test_sgd_nesterov_matches_formula():
    check(SGD(0.1, momentum=0.9, nesterov=True), sgd_by_hand(0.1, momentum=0.9, nesterov=True))


def test_sgd_weight_decay_is_decoupled_and_applied_first():
    check(SGD(0.1, momentum=0.5, weight_decay=0.1), sgd_by_hand(0.1, momentum=0.5, weight_decay=0.1))


def test_sgd_rejects_momentum_outside_unit_interval():
    import pytest

    with pytest.raises(ValueError, match="momentum"):
        SGD(momentum=1.5)
