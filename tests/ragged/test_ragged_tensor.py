"""RaggedTensor: factories, partition accessors, dense conversion, indexing, merge_dims and repr, against the
values TensorFlow's documentation gives (and a hypothesis round trip against plain Python lists)."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import tensorlet as tf
from tensorlet.errors import InvalidArgumentError

RT = [[1, 2], [3], [], [4, 5, 6]]


def test_from_row_lengths_splits_and_rowids_agree():
    a = tf.RaggedTensor.from_row_lengths([3, 1, 4, 1, 5, 9, 2], row_lengths=[4, 0, 3])
    b = tf.RaggedTensor.from_row_splits([3, 1, 4, 1, 5, 9, 2], row_splits=[0, 4, 4, 7])
    c = tf.RaggedTensor.from_value_rowids([3, 1, 4, 1, 5, 9, 2], value_rowids=[0, 0, 0, 0, 2, 2, 2], nrows=3)
    for rt in (a, b, c):
        assert rt.to_list() == [[3, 1, 4, 1], [], [5, 9, 2]]
    assert tf.RaggedTensor.from_value_rowids([3, 1, 4, 1, 5], [0, 0, 2, 2, 3], nrows=5).to_list() == \
        [[3, 1], [], [4, 1], [5], []]
    assert tf.RaggedTensor.from_row_starts([1, 2, 3], [0, 2]).to_list() == [[1, 2], [3]]
    assert tf.RaggedTensor.from_row_limits([1, 2, 3], [2, 3]).to_list() == [[1, 2], [3]]


def test_partition_accessors_have_tf_dtypes():
    rt = tf.ragged.constant(RT)
    assert rt.dtype == tf.int32 and rt.ragged_rank == 1
    assert rt.row_splits.dtype == tf.int64 and rt.row_splits.numpy().tolist() == [0, 2, 3, 3, 6]
    assert rt.row_lengths().numpy().tolist() == [2, 1, 0, 3]
    assert int(rt.nrows()) == 4 and rt.nrows().dtype == tf.int64
    assert rt.values.numpy().tolist() == [1, 2, 3, 4, 5, 6] and rt.flat_values.numpy().tolist() == [1, 2, 3, 4, 5, 6]
    assert rt.value_rowids().numpy().tolist() == [0, 0, 1, 3, 3, 3]
    assert rt.row_starts().numpy().tolist() == [0, 2, 3, 3] and rt.row_limits().numpy().tolist() == [2, 3, 3, 6]
    assert rt.bounding_shape().numpy().tolist() == [4, 3]
    assert rt.shape == [4, None] and str(rt.shape) == "(4, None)"


def test_nested_ragged_rank_two():
    r3 = tf.ragged.constant([[[1, 2], [3]], [[4, 5, 6]]])
    assert r3.ragged_rank == 2 and r3.shape == [2, None, None]
    assert isinstance(r3.values, tf.RaggedTensor) and r3.values.to_list() == [[1, 2], [3], [4, 5, 6]]
    assert [s.numpy().tolist() for s in r3.nested_row_splits] == [[0, 2, 3], [0, 2, 3, 6]]
    assert r3.row_lengths().numpy().tolist() == [2, 1]
    assert r3.row_lengths(axis=2).to_list() == [[2, 1], [3]]
    assert r3.to_tensor().numpy().tolist() == [[[1, 2, 0], [3, 0, 0]], [[4, 5, 6], [0, 0, 0]]]
    assert r3.with_flat_values(r3.flat_values * 2).to_list() == [[[2, 4], [6]], [[8, 10, 12]]]


def test_to_tensor_default_value_and_shape_pad_and_crop():
    rt = tf.ragged.constant(RT)
    assert rt.to_tensor().numpy().tolist() == [[1, 2, 0], [3, 0, 0], [0, 0, 0], [4, 5, 6]]
    assert rt.to_tensor(default_value=-1).numpy().tolist() == [[1, 2, -1], [3, -1, -1], [-1, -1, -1], [4, 5, 6]]
    assert rt.to_tensor(shape=[3, 2]).numpy().tolist() == [[1, 2], [3, 0], [0, 0]]
    assert rt.to_tensor(shape=[None, 5]).shape == (4, 5)
    assert rt.to_tensor(shape=[5, 4]).numpy()[4].tolist() == [0, 0, 0, 0]
    strings = tf.ragged.constant([["a", "bb"], ["c"]]).to_tensor()
    assert strings.dtype == tf.string and strings.numpy().tolist() == [[b"a", b"bb"], [b"c", b""]]
    r3 = tf.ragged.constant([[[1, 2], [3]], [[4, 5, 6]]])
    assert r3.to_tensor(shape=[2, 3, 1]).numpy()[:, :, 0].tolist() == [[1, 3, 0], [4, 0, 0]]
    with pytest.raises(ValueError, match="rank"):
        rt.to_tensor(shape=[4])


def test_uniform_inner_dims_are_kept():
    rt = tf.ragged.constant([[[1, 2], [3, 4]], [[5, 6]]], ragged_rank=1)
    assert rt.shape == [2, None, 2] and rt.to_tensor().shape == (2, 2, 2)
    assert tf.RaggedTensor.from_row_lengths(tf.constant([[1, 2], [3, 4], [5, 6]]), [1, 2]).shape == [2, None, 2]
    assert tf.RaggedTensor.from_tensor(tf.zeros((2, 3))).shape == [2, 3]


def test_from_tensor_lengths_and_padding():
    assert tf.RaggedTensor.from_tensor([[1, 0], [2, 3]], padding=0).to_list() == [[1], [2, 3]]
    assert tf.RaggedTensor.from_tensor([[1, 0], [2, 3]], lengths=[1, 2]).to_list() == [[1], [2, 3]]
    assert tf.RaggedTensor.from_tensor([[0, 0], [2, 0]], padding=0).to_list() == [[], [2]]


def test_numpy_stacks_uniform_rows_and_keeps_ragged_rows_as_objects():
    ragged = tf.ragged.constant(RT).numpy()
    assert ragged.dtype == object and [r.tolist() for r in ragged] == RT
    assert tf.ragged.constant([[1, 2], [3, 4]]).numpy().dtype == np.int32


def test_indexing_rows_slices_and_inner_slices():
    rt = tf.ragged.constant(RT)
    assert isinstance(rt[0], tf.Tensor) and rt[0].numpy().tolist() == [1, 2]
    assert rt[-1].numpy().tolist() == [4, 5, 6]
    assert rt[1:3].to_list() == [[3], []]
    assert int(rt[0, 1]) == 2
    assert rt[:, :2].to_list() == [[1, 2], [3], [], [4, 5]]
    assert rt[::2].to_list() == [[1, 2], []]
    assert rt[tf.constant(1)].numpy().tolist() == [3]
    with pytest.raises(ValueError, match="inner ragged dimension"):
        rt[:, 0]
    with pytest.raises(IndexError, match="Row key 7 out of bounds"):
        rt[7]
    r3 = tf.ragged.constant([[[1, 2], [3]], [[4, 5, 6]]])
    assert r3[0].to_list() == [[1, 2], [3]] and r3[1, 0].numpy().tolist() == [4, 5, 6]
    assert [row.numpy().tolist() for row in rt] == RT


def test_merge_dims():
    r3 = tf.ragged.constant([[[1, 2], [3]], [[4, 5, 6]]])
    assert r3.merge_dims(0, 1).to_list() == [[1, 2], [3], [4, 5, 6]]
    assert r3.merge_dims(1, 2).to_list() == [[1, 2, 3], [4, 5, 6]]
    flat = r3.merge_dims(0, -1)
    assert isinstance(flat, tf.Tensor) and flat.numpy().tolist() == [1, 2, 3, 4, 5, 6]
    uniform = tf.ragged.constant([[[1, 2], [3, 4]], [[5, 6]]], ragged_rank=1)
    assert uniform.merge_dims(1, 2).to_list() == [[1, 2, 3, 4], [5, 6]]
    with pytest.raises(ValueError, match="outer_axis"):
        r3.merge_dims(2, 1)


def test_repr_matches_tf_layout():
    assert repr(tf.ragged.constant(RT)) == "<tf.RaggedTensor [[1, 2], [3], [], [4, 5, 6]]>"
    assert repr(tf.ragged.constant([[0.1, 2.0], [3.0]])) == "<tf.RaggedTensor [[0.1, 2.0], [3.0]]>"
    assert repr(tf.ragged.constant([["a", "bb"], ["c"]])) == "<tf.RaggedTensor [[b'a', b'bb'], [b'c']]>"
    assert repr(tf.ragged.constant([[1, 2], [3, 4]])) == "<tf.RaggedTensor [[1, 2],\n [3, 4]]>"
    assert str(tf.ragged.constant([[], []])) == "<tf.RaggedTensor [[], []]>"


def test_elementwise_operators_act_on_flat_values():
    rt = tf.ragged.constant(RT)
    assert (rt + 1).to_list() == [[2, 3], [4], [], [5, 6, 7]]
    assert (2 * rt).to_list() == [[2, 4], [6], [], [8, 10, 12]]
    assert (rt + rt).to_list() == [[2, 4], [6], [], [8, 10, 12]]
    assert (rt > 2).to_list() == [[False, False], [True], [], [True, True, True]]
    assert tf.ragged.map_flat_values(tf.ones_like, rt).to_list() == [[1, 1], [1], [], [1, 1, 1]]
    with pytest.raises(InvalidArgumentError, match="row partitions"):
        rt + tf.ragged.constant([[1], [2], [3], [4]])
    with pytest.raises(TypeError, match="scalar or a RaggedTensor"):
        rt + tf.constant([1, 2])


def test_bad_partitions_raise_invalid_argument():
    with pytest.raises(InvalidArgumentError, match="sum to 3"):
        tf.RaggedTensor.from_row_lengths([1, 2, 3, 4], [2, 0, 1])
    with pytest.raises(InvalidArgumentError, match="start with 0"):
        tf.RaggedTensor.from_row_splits([1, 2, 3, 4], [1, 1, 4])
    with pytest.raises(InvalidArgumentError, match="sorted"):
        tf.RaggedTensor.from_row_splits([1, 2, 3, 4], [0, 3, 1, 4])
    with pytest.raises(InvalidArgumentError, match="sorted"):
        tf.RaggedTensor.from_value_rowids([3, 1], [1, 0])
    with pytest.raises(TypeError, match="row_lengths must be integers"):
        tf.RaggedTensor.from_row_lengths([1, 2], [1.5, 0.5])
    with pytest.raises(ValueError, match="constructor is private"):
        tf.RaggedTensor([1], [0, 1])
    with pytest.raises(TypeError):
        len(tf.ragged.constant(RT))


nested = st.lists(st.lists(st.integers(-5, 5), max_size=4), max_size=5)


@settings(max_examples=60, deadline=None)
@given(nested)
def test_round_trip_and_dense_padding_match_python(rows):
    rt = tf.RaggedTensor.from_row_lengths([v for r in rows for v in r] or tf.zeros((0,), tf.int32),
                                          [len(r) for r in rows])
    assert rt.to_list() == rows
    width = max((len(r) for r in rows), default=0)
    assert rt.to_tensor(default_value=9).numpy().tolist() == [r + [9] * (width - len(r)) for r in rows]
    assert rt.row_lengths().numpy().tolist() == [len(r) for r in rows]
    assert [rt[i].numpy().tolist() for i in range(len(rows))] == rows
