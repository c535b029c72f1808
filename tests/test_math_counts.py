"""Counting and grouping in TensorFlow's spelling: bincount, confusion_matrix, segments, unique, sequence_mask."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.autodiff.gradcheck import gradcheck

rng = np.random.default_rng(2)
A = rng.integers(0, 6, size=30)
P = rng.integers(0, 6, size=30)
D = rng.normal(size=(30, 3)).astype(np.float32)


def test_bincount_counts_weights_and_bounds():
    assert tf.math.bincount(A).numpy().tolist() == np.bincount(A).tolist()
    assert tf.math.bincount(A, minlength=9).shape == (9,)
    assert tf.math.bincount(A, maxlength=2).numpy().tolist() == np.bincount(A)[:2].tolist()
    np.testing.assert_allclose(tf.math.bincount(A, weights=D[:, 0]).numpy(), np.bincount(A, D[:, 0]), rtol=1e-6)
    assert set(tf.math.bincount(A, binary_output=True).numpy().tolist()) <= {0, 1}
    rows = tf.math.bincount(np.array([[0, 1, 1], [2, 2, 2]]), axis=-1).numpy()
    assert rows.tolist() == [[1, 2, 0], [0, 0, 3]]
    with pytest.raises(TypeError, match="must hold integers"):
        tf.math.bincount([0.5])


def test_confusion_matrix_rows_are_labels():
    m = tf.math.confusion_matrix(A, P).numpy()
    want = np.zeros((6, 6), int)
    np.add.at(want, (A, P), 1)
    assert (m == want).all()
    assert tf.math.confusion_matrix([0, 1], [1, 1], num_classes=3, weights=[2, 3]).numpy().tolist() == \
        [[0, 2, 0], [0, 3, 0], [0, 0, 0]]
    with pytest.raises(ValueError, match="differ"):
        tf.math.confusion_matrix([0, 1], [1])


def test_sequence_mask_and_count_nonzero():
    assert tf.sequence_mask([1, 3, 0]).numpy().tolist() == [[True, False, False], [True, True, True],
                                                             [False, False, False]]
    assert tf.sequence_mask([[1], [2]], 3, dtype=tf.float32).numpy().tolist() == [[[1, 0, 0]], [[1, 1, 0]]]
    assert int(tf.math.count_nonzero([[0, 1], [2, 0]])) == 2
    assert tf.math.count_nonzero([["", "a"], ["b", "c"]], axis=1).numpy().tolist() == [1, 2]


def test_unique_keeps_first_appearance_order():
    y, idx = tf.unique(A)
    first = list(dict.fromkeys(A.tolist()))
    assert y.numpy().tolist() == first
    assert [first[i] for i in idx.numpy()] == A.tolist()
    with pytest.raises(ValueError, match="must be 1-D"):
        tf.unique([[1]])


@pytest.mark.parametrize("name", ["sum", "mean", "max", "min"])
def test_segments_match_numpy_and_their_gradients(name):
    ids = np.sort(rng.integers(0, 5, size=30))
    f = {"sum": np.sum, "mean": np.mean, "max": np.max, "min": np.min}[name]
    got = getattr(tf.math, f"segment_{name}")(D, ids).numpy()
    for s in np.unique(ids):
        np.testing.assert_allclose(got[s], f(D[ids == s], axis=0), rtol=1e-6)
    unsorted = getattr(tf.math, f"unsorted_segment_{name}")(D, ids[::-1].copy(), 7).numpy()
    assert unsorted.shape == (7, 3)
    x = rng.normal(size=(8, 2))
    seg = np.array([0, 0, 1, 2, 2, 2, 3, 3])
    gradcheck(lambda v: getattr(tf.math, f"segment_{name}")(v, seg), [x], name=f"segment_{name}")


def test_counting_ops_replay_in_tf_function():
    @tf.function
    def counts(x):
        return tf.math.bincount(x, minlength=4), tf.unique(x)[0], tf.math.is_nan(tf.gather([1.0, 2.0, 3.0, np.nan], x))

    counts(tf.constant([1, 1, 2]))
    b, u, nan = counts(tf.constant([3, 0, 3]))
    assert b.numpy().tolist() == [1, 0, 0, 2] and u.numpy().tolist() == [3, 0]
    assert nan.numpy().tolist() == [True, False, True]
    assert counts.experimental_get_tracing_count() == 1


@pytest.mark.parity
def test_counting_matches_tensorflow():
    real = pytest.importorskip("tensorflow")
    assert (tf.math.bincount(A, minlength=9, maxlength=4).numpy() ==
            real.math.bincount(A, minlength=9, maxlength=4).numpy()).all()
    assert (tf.math.confusion_matrix(A, P, num_classes=8).numpy() ==
            real.math.confusion_matrix(A, P, num_classes=8).numpy()).all()
    y, idx = tf.unique(A)
    ry, ridx = real.unique(A)
    assert (y.numpy() == ry.numpy()).all() and (idx.numpy() == ridx.numpy()).all()
    uids = rng.integers(0, 5, size=30)
    for name in ("sum", "mean", "max", "min"):
        np.testing.assert_allclose(getattr(tf.math, f"unsorted_segment_{name}")(D, uids, 6).numpy(),
                                   getattr(real.math, f"unsorted_segment_{name}")(D, uids, 6).numpy(), rtol=1e-6)
