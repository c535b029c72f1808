"""Parity with real tf.data (TensorFlow installed): TensorFlow's own API-doc examples, run in both, and
pipelines whose results must match element for element.

The doc examples are read from the installed TensorFlow at test time (its ``tf.data.Dataset`` docstrings),
executed once with ``tf`` bound to TensorFlow and once to tensorlet, and their printed outputs compared. Examples
that draw random numbers, or read files the docs only pretend to have, are left out; when both raise, only the
error types are compared (the messages are each library's own).
"""
from __future__ import annotations

import contextlib
import doctest
import io
import re
import warnings

import numpy as np
import pytest

import tensorlet as tl
from tests.data.helpers import values
from tests.examples.test_handout_examples import MIRROR

pytestmark = pytest.mark.parity

_RANDOM = re.compile(r"shuffle|random|sample_from|rejection|/var/data|list_files|snapshot|distribute|load\(|save\(")
# the Dataset methods whose TensorFlow docstrings hold examples (listed here so that collecting this module does
# not import TensorFlow; each test imports it)
METHODS = ["apply", "as_numpy_iterator", "batch", "bucket_by_sequence_length", "cache", "cardinality", "concatenate",
           "counter", "element_spec", "enumerate", "filter", "flat_map", "from_generator", "from_tensor_slices",
           "from_tensors", "group_by_window", "ignore_errors", "map", "padded_batch", "prefetch", "ragged_batch",
           "range", "rebatch", "reduce", "repeat", "scan", "shard", "skip", "take", "take_while", "unbatch",
           "unique", "window", "with_options", "zip"]


def real_tf():
    return pytest.importorskip("tensorflow")


def _examples(tf_real, name: str) -> list[doctest.Example]:
    doc = getattr(getattr(tf_real.data.Dataset, name), "__doc__", None) or ""
    examples = doctest.DocTestParser().get_examples(doc)
    return [] if any(_RANDOM.search(e.source) for e in examples) else examples


def _run(module, examples):
    namespace = {"tf": module, "np": np}
    outputs = []
    for example in examples:
        buf = io.StringIO()
        try:
            with contextlib.redirect_stdout(buf), warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                try:
                    code = compile(example.source, "<doc example>", "single")
                except SyntaxError:
                    code = compile(example.source, "<doc example>", "exec")
                exec(code, namespace)  # noqa: S102 - TensorFlow's documented examples
            outputs.append(buf.getvalue().strip())
        except Exception as e:  # noqa: BLE001 - compared by type below
            outputs.append(("raised", type(e).__mro__))
    return outputs


def _same(a, b):
    if isinstance(a, tuple) and isinstance(b, tuple):
        names_a = {c.__name__ for c in a[1]}
        return bool(names_a & {c.__name__ for c in b[1]} - {"object", "BaseException", "Exception"})
    return a == b


@pytest.mark.parametrize("name", METHODS)
def test_tf_doc_examples_print_the_same(name):
    tf_real = real_tf()
    examples = _examples(tf_real, name)
    if not examples:
        pytest.skip(f"TensorFlow's {name} docstring has no example without randomness or files")
    expected, got = _run(tf_real, examples), _run(tl, examples)
    for example, a, b in zip(examples, expected, got):
        assert _same(a, b), f"{name}: {example.source.strip()}\n TensorFlow: {a}\n tensorlet: {b}"


def test_every_documented_method_exists_in_tensorlet():
    tf_real = real_tf()
    public = [n for n in dir(tf_real.data.Dataset) if not n.startswith("_")]
    missing = [n for n in public if not hasattr(tl.data.Dataset, n)]
    assert set(missing) <= {"snapshot", "sparse_batch", "fingerprint", "distributed_save"}, missing


@pytest.mark.parametrize("build", [
    lambda tf: tf.data.Dataset.range(23).window(5, 3, 2).flat_map(lambda w: w.batch(5)),
    lambda tf: tf.data.Dataset.range(20).group_by_window(lambda x: x % 3, lambda k, d: d.batch(4), window_size=4),
    lambda tf: tf.data.Dataset.range(1, 9).interleave(lambda x: tf.data.Dataset.range(x), cycle_length=3,
                                                      block_length=2),
    lambda tf: tf.data.Dataset.range(13).batch(4).unbatch().batch(3, drop_remainder=True),
    lambda tf: tf.data.Dataset.range(1, 6).map(lambda x: tf.fill([x], x)).padded_batch(2, padded_shapes=[6]),
    lambda tf: tf.data.Dataset.range(10).map(lambda x: (x, tf.cast(x, tf.float32) / 3.0)).filter(
        lambda a, b: a % 3 != 0),
    lambda tf: tf.data.Dataset.range(30).shard(4, 3).enumerate(2).skip(2).take(3),
    lambda tf: tf.data.Dataset.range(8).batch(3).rebatch([2, 1]),
    lambda tf: tf.data.Dataset.range(10).scan(np.int64(0), lambda s, x: (s + x, s * x)),
])
def test_pipelines_match(build):
    a, b = build(real_tf()), build(tl)
    assert values(a) == values(b)
    assert repr(a.element_spec) == repr(b.element_spec)
    assert int(a.cardinality()) == int(b.cardinality())


def test_text_lines_match(tmp_path):
    tf_real = real_tf()
    path = tmp_path / "lines.txt"
    path.write_bytes(b"a\r\nb\n\nc")
    assert values(tf_real.data.TextLineDataset(str(path))) == values(tl.data.TextLineDataset(str(path)))


def test_tfrecord_files_and_examples_read_both_ways(tmp_path):
    tf_real = real_tf()
    ours, theirs = str(tmp_path / "ours.tfrecord"), str(tmp_path / "theirs.tfrecord")
    features = {"image": tl.io.FixedLenFeature([4], tl.float32), "label": tl.io.FixedLenFeature([], tl.int64),
                "tags": tl.io.VarLenFeature(tl.string)}
    with tl.io.TFRecordWriter(ours, options="GZIP") as w:
        for i in range(3):
            ex = tl.train.Example(features=tl.train.Features(feature={
                "image": tl.train.Feature(float_list=tl.train.FloatList(value=[i, i + 0.5, -1.0, 2.0])),
                "label": tl.train.Feature(int64_list=tl.train.Int64List(value=[i])),
                "tags": tl.train.Feature(bytes_list=tl.train.BytesList(value=[b"t"] * i))}))
            w.write(ex.SerializeToString())
    with tf_real.io.TFRecordWriter(theirs, options="GZIP") as w:
        for record in tl.data.TFRecordDataset(ours, compression_type="GZIP"):
            w.write(record.numpy())
    tf_features = {"image": tf_real.io.FixedLenFeature([4], tf_real.float32),
                   "label": tf_real.io.FixedLenFeature([], tf_real.int64),
                   "tags": tf_real.io.VarLenFeature(tf_real.string)}
    a = [tf_real.io.parse_single_example(r, tf_features) for r in tf_real.data.TFRecordDataset(ours, "GZIP")]
    b = list(tl.data.TFRecordDataset(theirs, "GZIP").map(lambda r: tl.io.parse_single_example(r, features)))
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x["image"].numpy(), y["image"].numpy())
        assert x["label"].numpy() == y["label"].numpy()
        assert x["tags"].values.numpy().tolist() == y["tags"].values.numpy().tolist()
    batched = tl.io.parse_example(tl.data.TFRecordDataset(theirs, "GZIP").batch(3).get_single_element(), features)
    real = tf_real.io.parse_example(tf_real.data.TFRecordDataset(ours, "GZIP").batch(3).get_single_element(),
                                    tf_features)
    np.testing.assert_array_equal(batched["tags"].indices.numpy(), real["tags"].indices.numpy())
    np.testing.assert_array_equal(batched["tags"].dense_shape.numpy(), real["tags"].dense_shape.numpy())


def test_serialized_tensors_read_both_ways():
    tf_real = real_tf()
    x = np.arange(12, dtype=np.float32).reshape(3, 4)
    ours = tl.io.serialize_tensor(x).numpy()
    np.testing.assert_array_equal(tf_real.io.parse_tensor(ours, tf_real.float32).numpy(), x)
    theirs = tf_real.io.serialize_tensor(tf_real.constant([b"a", b"bc"])).numpy()
    assert tl.io.parse_tensor(theirs, tl.string).numpy().tolist() == [b"a", b"bc"]


def test_shuffle_distribution_matches(tmp_path):
    """Where the first element comes from: uniform over the first buffer_size inputs in both."""
    tf_real = real_tf()
    n = 300
    ours = np.bincount([values(tl.data.Dataset.range(8).shuffle(3, seed=s).take(1))[0] for s in range(n)], minlength=8)
    theirs = np.bincount([values(tf_real.data.Dataset.range(8).shuffle(3, seed=s).take(1))[0] for s in range(n)],
                         minlength=8)
    assert ours[3:].sum() == theirs[3:].sum() == 0
    assert abs(ours[:3] - theirs[:3]).max() < 0.2 * n


@pytest.mark.skipif(not (MIRROR / "mnist.npz").exists(), reason="MNIST not available")
def test_fit_on_a_dataset_learns_like_tf_keras():
    with np.load(MIRROR / "mnist.npz") as f:
        x, y = f["x_train"][:3000].reshape(-1, 784) / 255.0, f["y_train"][:3000]
    accuracies = []
    for tf in (tl, real_tf()):
        tf.random.set_seed(0)
        model = tf.keras.Sequential([tf.keras.layers.Input((784,)), tf.keras.layers.Dense(64, activation="relu"),
                                     tf.keras.layers.Dense(10, activation="softmax")])
        model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
        ds = tf.data.Dataset.from_tensor_slices((x.astype("float32"), y)).shuffle(3000, seed=1).batch(64)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Keras 3 warns that shuffle=True is ignored for a dataset
            model.fit(ds, epochs=3, verbose=0)
        accuracies.append(model.evaluate(ds, verbose=0)[1])
    assert abs(accuracies[0] - accuracies[1]) < 0.05, accuracies
