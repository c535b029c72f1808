"""parse_single_example / parse_example, eagerly and inside a traced map."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf


def record(image, label, tags):
    return tf.train.Example(features=tf.train.Features(feature={
        "image": tf.train.Feature(float_list=tf.train.FloatList(value=image)),
        "label": tf.train.Feature(int64_list=tf.train.Int64List(value=[label])),
        "tags": tf.train.Feature(bytes_list=tf.train.BytesList(value=tags))})).SerializeToString()


FEATURES = {"image": tf.io.FixedLenFeature([2, 2], tf.float32), "label": tf.io.FixedLenFeature([], tf.int64),
            "tags": tf.io.VarLenFeature(tf.string)}


def test_parse_single_example():
    out = tf.io.parse_single_example(record([1, 2, 3, 4], 7, [b"a", b"b"]), FEATURES)
    np.testing.assert_array_equal(out["image"].numpy(), [[1, 2], [3, 4]])
    assert out["label"].numpy() == 7 and out["label"].dtype == tf.int64
    assert out["tags"].values.numpy().tolist() == [b"a", b"b"]
    assert tf.sparse.to_dense(out["tags"]).numpy().tolist() == [b"a", b"b"]


def test_parse_example_batches_and_pads_sparse_shapes():
    out = tf.io.parse_example([record([1, 2, 3, 4], 1, [b"a"]), record([0, 0, 0, 0], 2, [b"b", b"c"])], FEATURES)
    assert out["image"].shape == (2, 2, 2) and out["label"].numpy().tolist() == [1, 2]
    assert out["tags"].indices.numpy().tolist() == [[0, 0], [1, 0], [1, 1]]
    assert out["tags"].dense_shape.numpy().tolist() == [2, 2]


def test_missing_features_use_defaults_or_fail():
    r = tf.train.Example().SerializeToString()
    assert tf.io.parse_single_example(r, {"x": tf.io.FixedLenFeature([], tf.int64, default_value=-1)})["x"] == -1
    with pytest.raises(tf.errors.InvalidArgumentError, match="is required but could not be found"):
        tf.io.parse_single_example(r, {"x": tf.io.FixedLenFeature([], tf.int64)})
    with pytest.raises(tf.errors.InvalidArgumentError, match="Values size: 4 but output shape"):
        tf.io.parse_single_example(record([1, 2, 3, 4], 0, []), {"image": tf.io.FixedLenFeature([3], tf.float32)})
    with pytest.raises(tf.errors.InvalidArgumentError, match="Data types don't match"):
        tf.io.parse_single_example(record([1, 2, 3, 4], 0, []), {"image": tf.io.FixedLenFeature([4], tf.int64)})


def test_fixed_len_sequence_feature_pads_to_the_longest():
    out = tf.io.parse_example([record([1, 2], 0, []), record([3, 4, 5, 6], 0, [])],
                              {"image": tf.io.FixedLenSequenceFeature([2], tf.float32)})
    assert out["image"].numpy().tolist() == [[[1, 2], [0, 0]], [[3, 4], [5, 6]]]


def test_parsing_in_a_map_replays_per_record(tmp_path):
    path = str(tmp_path / "data.tfrecord")
    with tf.io.TFRecordWriter(path) as w:
        for i in range(5):
            w.write(record([i, i, i, i], i, [b"t"] * i))
    dense = {"image": FEATURES["image"], "label": FEATURES["label"]}
    ds = tf.data.TFRecordDataset(path).map(lambda r: tf.io.parse_single_example(r, dense))
    assert ds._fn.traced
    assert ds.element_spec == {"image": tf.TensorSpec((2, 2), tf.float32), "label": tf.TensorSpec((), tf.int64)}
    assert [int(e["label"]) for e in ds] == [0, 1, 2, 3, 4]
    batches = list(ds.batch(2))
    assert batches[1]["image"].shape == (2, 2, 2)
    sparse = tf.data.TFRecordDataset(path).map(lambda r: tf.io.parse_single_example(r, FEATURES)["tags"])
    assert [len(s.values.numpy()) for s in sparse] == [0, 1, 2, 3, 4]
    stacked = next(iter(sparse.batch(5)))
    assert stacked.dense_shape.numpy().tolist() == [5, 4]
    assert [s.values.numpy().tolist() for s in sparse.batch(5).unbatch()][2] == [b"t", b"t"]


def test_parse_batched_records_after_batch(tmp_path):
    records = [record([i] * 4, i, []) for i in range(4)]
    ds = tf.data.Dataset.from_tensor_slices(records).batch(2).map(
        lambda r: tf.io.parse_example(r, {"label": FEATURES["label"]}))
    assert [b["label"].numpy().tolist() for b in ds] == [[0, 1], [2, 3]]
