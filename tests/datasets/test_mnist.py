"""mnist.load_data on the shared real file, and the small sample shipped in the package."""
from __future__ import annotations

import importlib.util
from importlib import resources

import numpy as np

from tensorlet.datasets import mnist
from tests.datasets.helpers import ROOT, SHARED, array_sha256

TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


def test_load_data_matches_the_recorded_arrays(shared_mirror, isolated):
    (x, y), (xt, yt) = mnist.load_data()
    assert (x.shape, y.shape, xt.shape, yt.shape) == ((60000, 28, 28), (60000,), (10000, 28, 28), (10000,))
    assert {a.dtype for a in (x, y, xt, yt)} == {np.dtype(np.uint8)}
    assert array_sha256(x) == "741c988805d008ac6e4c904b69001ba184c24b2c540a4ef403f4c71b676cf757"
    assert array_sha256(y) == "1feba77c54802fa5339a11837ea4b2866434b83314ec45192930f1df69120c13"
    assert array_sha256(xt) == "6d87418db22cc8025d05968bec9bd5c3932904b23485740db143a061a2c9d161"
    assert array_sha256(yt) == "ddeff807876a9661a1110d45c266c86239a3a1b7d37da0c3716a7a683c852ff5"
    assert np.bincount(y).tolist() == TRAIN_COUNTS and np.bincount(yt).tolist() == TEST_COUNTS
    assert (isolated / "mnist.npz").is_file()  # copied into the cache


def test_load_sample_is_small_stratified_and_in_the_same_layout():
    path = resources.files("tensorlet.datasets").joinpath("bundled").joinpath(mnist.SAMPLE)
    assert len(path.read_bytes()) <= 1_000_000
    (x, y), (xt, yt) = mnist.load_sample()
    assert (x.shape, y.shape, xt.shape, yt.shape) == ((5000, 28, 28), (5000,), (1000, 28, 28), (1000,))
    assert {a.dtype for a in (x, y, xt, yt)} == {np.dtype(np.uint8)}
    # each digit keeps its share of the full split, to within rounding
    assert np.abs(np.bincount(y) - np.array(TRAIN_COUNTS) * 5000 / 60000).max() < 1
    assert np.abs(np.bincount(yt) - np.array(TEST_COUNTS) * 1000 / 10000).max() < 1


def test_sample_rows_are_mnist_rows_and_the_script_reproduces_the_file(shared_mirror, tmp_path):
    (x, y), (xt, yt) = mnist.load_data()
    sample_path = resources.files("tensorlet.datasets").joinpath("bundled").joinpath(mnist.SAMPLE)
    with resources.as_file(sample_path) as p, np.load(p) as f:
        train, test = f["train_indices"], f["test_indices"]
        np.testing.assert_array_equal(f["x_train"], x[train])
        np.testing.assert_array_equal(f["y_train"], y[train])
        np.testing.assert_array_equal(f["x_test"], xt[test])
        np.testing.assert_array_equal(f["y_test"], yt[test])
    script = ROOT / "scripts" / "make_mnist_sample.py"
    spec = importlib.util.spec_from_file_location("make_mnist_sample", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = module.main(SHARED / "mnist.npz", tmp_path / "sample.npz")
    assert out.read_bytes() == sample_path.read_bytes()
