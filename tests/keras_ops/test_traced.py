"""Every keras.ops case replays in tf.function: traced once, then called on other inputs, it gives the eager
results (an op's data are op inputs, never values frozen into the trace)."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet import tree
from tensorlet.keras import ops
from tests.keras_ops.cases import CASES


@pytest.mark.parametrize("case", CASES, ids=[c.label for c in CASES])
def test_traced_function_gives_eager_results_on_new_inputs(case):
    first, second = case.arrays(np.random.default_rng(1)), case.arrays(np.random.default_rng(2))
    traced = tf.function(lambda *xs: case.call(ops, *xs))
    for arrays in (first, second, first):
        eager = tree.flatten(case.call(ops, *arrays))
        replayed = tree.flatten(traced(*arrays))
        assert len(eager) == len(replayed)
        for a, b in zip(eager, replayed):
            np.testing.assert_allclose(np.asarray(b), np.asarray(a), rtol=1e-6, atol=1e-7, err_msg=case.label)
    assert traced.experimental_get_tracing_count() == 1, case.label
