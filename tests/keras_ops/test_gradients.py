"""Every differentiable keras.ops case against central finite differences in float64 (``gradcheck``)."""
from __future__ import annotations

import numpy as np
import pytest

from tensorlet import tree
from tensorlet.autodiff.gradcheck import gradcheck
from tensorlet.keras import ops
from tests.keras_ops.cases import CASES

DIFFERENTIABLE = [c for c in CASES if c.grad is not None]


def _float64(arrays):
    return [a.astype(np.float64) if isinstance(a, np.ndarray) and a.dtype.kind == "f" else a for a in arrays]


@pytest.mark.parametrize("case", DIFFERENTIABLE, ids=[c.label for c in DIFFERENTIABLE])
def test_gradients_match_finite_differences(case):
    arrays = _float64(case.arrays(np.random.default_rng(11)))
    outputs = tree.flatten(case.call(ops, *arrays))
    checked = 0
    for k, out in enumerate(outputs):
        if not out.dtype.is_floating or (case.outputs is not None and k not in case.outputs):
            continue

        def f(*wrt, k=k):
            full = list(arrays)
            for i, v in zip(case.grad, wrt):
                full[i] = v
            return tree.flatten(case.call(ops, *full))[k]

        gradcheck(f, [arrays[i] for i in case.grad], name=f"{case.label}[{k}]")
        checked += 1
    assert checked


@pytest.mark.parametrize("name, make", [
    ("argmax", lambda x: ops.argmax(x)), ("floor", lambda x: ops.floor(x)), ("sign", lambda x: ops.sign(x)),
    ("svd_u", lambda x: ops.svd(x)[0]), ("eig", lambda x: ops.eig(x)[0])])
def test_ops_without_gradients_say_so(name, make):
    import tensorlet as tf

    x = tf.Variable(np.array([[1.0, 2.0], [3.0, 5.0]]))
    with tf.GradientTape() as tape:
        y = make(x)
    if y.dtype.is_floating:
        with pytest.raises(LookupError, match="not differentiable"):
            tape.gradient(y, x)
    else:
        assert tape.gradient(tf.cast(y, "float64"), x) is None
