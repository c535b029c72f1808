"""keras.ops against Keras 3 on its TensorFlow backend: values and dtypes of every case, and the dtype rules."""
from __future__ import annotations

import numpy as np
import pytest

from tensorlet import tree
from tensorlet.keras import ops
from tests.keras_ops.cases import CASES, DTYPE_CASES

pytestmark = pytest.mark.parity


@pytest.fixture(scope="module")
def keras():
    return pytest.importorskip("keras")


def _leaves(x):
    return [np.asarray(v) for v in tree.flatten(x)]


@pytest.mark.parametrize("case", CASES, ids=[c.label for c in CASES])
def test_values_and_dtypes_match_keras(keras, case):
    arrays = case.arrays(np.random.default_rng(7))
    ours = case.call(ops, *arrays)
    theirs = case.call(keras.ops, *arrays)
    mine, want = _leaves(ours), [np.asarray(keras.ops.convert_to_numpy(v)) for v in tree.flatten(theirs)]
    assert len(mine) == len(want)
    for a, b in zip(mine, want):
        assert a.dtype == b.dtype, f"{case.label}: dtype {a.dtype} != keras {b.dtype}"
        assert a.shape == b.shape, f"{case.label}: shape {a.shape} != keras {b.shape}"
        if case.name in ("linalg.qr", "linalg.eigh") and a.ndim == 2:  # columns are defined up to their sign
            a, b = np.abs(a), np.abs(b)
        np.testing.assert_allclose(a, b, rtol=case.rtol * 10, atol=case.atol * 10, err_msg=case.label)


@pytest.mark.parametrize("name, operands", DTYPE_CASES, ids=[f"{n}-{i}" for i, (n, _) in enumerate(DTYPE_CASES)])
def test_result_dtypes_follow_keras(keras, name, operands):
    ours = getattr(ops, name)(*operands)
    theirs = getattr(keras.ops, name)(*operands)
    assert str(np.asarray(ours).dtype) == keras.backend.standardize_dtype(theirs.dtype)


def test_result_type_table_matches_keras(keras):
    names = ["bool", "uint8", "uint16", "uint32", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]
    from tensorlet.keras_ops.convert import result_type

    for a in names:
        for b in names + [int, float, bool]:
            assert result_type(a, b) == keras.backend.result_type(a, b), (a, b)
