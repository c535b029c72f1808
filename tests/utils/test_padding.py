"""pad_sequences, by Keras' rules, under both of its spellings."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras.preprocessing.sequence import pad_sequences


def test_pre_and_post_padding_and_truncating():
    seqs = [[1, 2, 3, 4], [5], []]
    np.testing.assert_array_equal(pad_sequences(seqs), [[1, 2, 3, 4], [0, 0, 0, 5], [0, 0, 0, 0]])
    np.testing.assert_array_equal(pad_sequences(seqs, maxlen=2), [[3, 4], [0, 5], [0, 0]])
    np.testing.assert_array_equal(pad_sequences(seqs, maxlen=2, truncating="post", padding="post", value=-1),
                                  [[1, 2], [5, -1], [-1, -1]])
    assert pad_sequences(seqs).dtype == np.int32
    assert tf.keras.utils.pad_sequences is pad_sequences


def test_entries_with_a_shape_and_float_dtype():
    seqs = [np.ones((2, 3)), np.zeros((1, 3))]
    out = pad_sequences(seqs, maxlen=3, dtype="float32", value=0.5)
    assert out.shape == (2, 3, 3) and out.dtype == np.float32
    np.testing.assert_array_equal(out[1, :2], 0.5)


def test_bad_arguments():
    with pytest.raises(ValueError, match="padding"):
        pad_sequences([[1]], padding="middle")
    with pytest.raises(ValueError, match="truncating"):
        pad_sequences([[1]], truncating="both")
    with pytest.raises(ValueError, match="non-iterable"):
        pad_sequences([[1], 2])
    with pytest.raises(ValueError, match="not compatible"):
        pad_sequences([[1]], value="pad")
    with pytest.raises(ValueError, match="Shape of sample"):
        pad_sequences([np.ones((2, 3)), np.ones((2, 4))])


@pytest.mark.parity
def test_same_as_keras():
    keras = pytest.importorskip("keras")
    rng = np.random.default_rng(0)
    seqs = [rng.integers(1, 50, rng.integers(0, 9)).tolist() for _ in range(20)]
    for kwargs in ({}, {"maxlen": 5}, {"maxlen": 5, "padding": "post", "truncating": "post", "value": 7},
                   {"maxlen": 12, "dtype": "float32"}):
        np.testing.assert_array_equal(pad_sequences(seqs, **kwargs), keras.utils.pad_sequences(seqs, **kwargs))
