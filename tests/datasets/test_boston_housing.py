"""boston_housing.load_data on the shared real file: Keras' split, and the recorded arrays."""
from __future__ import annotations

import numpy as np
import pytest

from tensorlet.datasets import boston_housing
from tests.datasets.helpers import array_sha256, unshuffle


def test_split_equals_keras(shared_mirror):
    (x, y), (xt, yt) = boston_housing.load_data()
    assert (x.shape, y.shape, xt.shape, yt.shape) == ((404, 13), (404,), (102, 13), (102,))
    assert {a.dtype for a in (x, y, xt, yt)} == {np.dtype(np.float64)}
    np.testing.assert_allclose(y[:10], [15.2, 42.3, 50.0, 21.1, 17.7, 18.5, 11.3, 15.6, 15.6, 14.4])
    np.testing.assert_allclose(x[0], [1.23247, 0, 8.14, 0, 0.538, 6.142, 91.7, 3.9769, 4, 307, 21, 396.9, 18.72])
    assert array_sha256(unshuffle(x, xt)) == "58d9abef45a8e00c844d74ff0027c96d21a8a237d7ba7e4c0c30b11dcdafde10"
    assert array_sha256(unshuffle(y, yt)) == "a7a4a2bed7266f5e88acd2854ae97af5206bed564ab217810535d4cd14d76edb"


def test_test_split_and_seed(shared_mirror):
    (x, _), (xt, _) = boston_housing.load_data(test_split=0.5, seed=1)
    assert len(x) == 253 and len(xt) == 253
    (x0, _), (xt0, _) = boston_housing.load_data(test_split=0.0)
    assert len(x0) == 506 and len(xt0) == 0


@pytest.mark.parametrize("test_split", [-0.1, 1.0])
def test_a_bad_test_split_is_refused_before_any_download(test_split):
    with pytest.raises(ValueError, match="test_split"):
        boston_housing.load_data(test_split=test_split)
