"""Hand computations for the optimizer tests: a fixed gradient sequence and a runner.

Each test writes its optimizer's formula out in float64 NumPy, step by step, and compares the first three
steps of the real optimizer (float32, in place) with it to 1e-6.
"""
from __future__ import annotations

import numpy as np

import tensorlet as tf

W0 = np.array([1.0, -2.0, 0.5], dtype=np.float32).astype(np.float64)
GRADS = [np.array(g, dtype=np.float32).astype(np.float64)
         for g in ([0.5, -1.0, 2.0], [0.1, -0.3, 0.05], [-0.2, 0.4, 1.5])]


def run(opt, grads=GRADS, w0=W0):
    """The weights after each ``apply_gradients`` call, as float64 copies."""
    w = tf.Variable(np.asarray(w0, dtype=np.float32))
    out = []
    for g in grads:
        opt.apply_gradients([(tf.constant(np.asarray(g, dtype=np.float32)), w)])
        out.append(w.numpy().astype(np.float64))
    return out


def check(opt, expected, grads=GRADS, w0=W0):
    """Assert the optimizer's trajectory equals ``expected`` (a list of weights) to 1e-6."""
    got = run(opt, grads, w0)
    assert len(expected) == len(got)
    for k, (a, e) in enumerate(zip(got, expected)):
        np.testing.assert_allclose(a, e, rtol=1e-6, atol=1e-6, err_msg=f"step {k + 1}")
