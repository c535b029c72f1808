"""Parity with real TensorFlow: every tf.strings op and the RaggedTensor API run the same calls on both libraries
and must give the same values, dtypes, shapes and reprs; hash buckets are compared on random strings of every
length class."""
from __future__ import annotations

import os
import random

import numpy as np
import pytest

import tensorlet

pytestmark = pytest.mark.parity
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


@pytest.fixture(scope="module")
def real_tf():
    return pytest.importorskip("tensorflow")


def _plain(x):
    """A comparable description: kind, dtype name, shape and nested values."""
    if hasattr(x, "to_list") and type(x).__name__ == "RaggedTensor":
        return ("ragged", x.dtype.name, [d if d is None else int(d) for d in x.shape.as_list()], x.to_list())
    if isinstance(x, tuple):
        return tuple(_plain(v) for v in x)
    value = x.numpy()
    value = value.tolist() if isinstance(value, np.ndarray) else value
    return ("dense", x.dtype.name, list(x.shape), value)


R = [["a b", "c"], ["Dé f g"]]
CASES = {
    "lower": lambda tf: tf.strings.lower(["ÀB Cd", "XyZ"]),
    "lower_utf8": lambda tf: tf.strings.lower(["ÀB Cd"], encoding="utf-8"),
    "upper_ragged": lambda tf: tf.strings.upper(tf.ragged.constant(R)),
    "strip": lambda tf: tf.strings.strip(["\t a b \n", "  ", "x"]),
    "split": lambda tf: tf.strings.split(["hello  world", "", " a b c "]),
    "split_sep": lambda tf: tf.strings.split(["a,,b", "", ","], sep=","),
    "split_maxsplit": lambda tf: tf.strings.split(["a b c d", "  x y z"], maxsplit=1),
    "split_2d": lambda tf: tf.strings.split(tf.constant([["a b", "c"], ["d", "e f g"]])),
    "split_scalar": lambda tf: tf.strings.split("a b"),
    "split_ragged": lambda tf: tf.strings.split(tf.ragged.constant(R)),
    "regex_replace": lambda tf: tf.strings.regex_replace(["ab12cd 3", "<br />x"], r"[0-9]+|<[^>]+>", "#"),
    "regex_groups": lambda tf: tf.strings.regex_replace(["john smith"], r"(\w+) (\w+)", r"\2, \1"),
    "regex_first": lambda tf: tf.strings.regex_replace(["aaa"], "a", "b", replace_global=False),
    "regex_punct": lambda tf: tf.strings.regex_replace(["It's, ok!"], "[[:punct:]]", ""),
    "regex_unicode_word": lambda tf: tf.strings.regex_replace(["éa_1 b"], r"\w+", "W"),
    "regex_full_match": lambda tf: tf.strings.regex_full_match(["abc", "abd", ""], "ab[c]"),
    "join": lambda tf: tf.strings.join([["a", "b"], "-", ["c", "d"]], separator="+"),
    "reduce_join": lambda tf: tf.strings.reduce_join([["a", "b", "c"], ["d", "e", "f"]], axis=1, separator=" "),
    "reduce_join_axes": lambda tf: tf.strings.reduce_join([["a", "b"], ["c", "d"]], axis=[0, 1], separator="."),
    "reduce_join_ragged": lambda tf: tf.strings.reduce_join(tf.ragged.constant(R), axis=-1, separator="|"),
    "length": lambda tf: tf.strings.length(["héllo", "", "\U0001F642"]),
    "length_chars": lambda tf: tf.strings.length(["héllo", "", "\U0001F642"], unit="UTF8_CHAR"),
    "substr": lambda tf: tf.strings.substr(["Hello", "World!"], [1, -3], [3, 10]),
    "substr_chars": lambda tf: tf.strings.substr(["héllo"], 1, 3, unit="UTF8_CHAR"),
    "to_number": lambda tf: tf.strings.to_number(["1.5", "-2", " 3e2", "0.1"]),
    "to_number_int64": lambda tf: tf.strings.to_number(["12", "-9000000000"], out_type=tf.int64),
    "as_string": lambda tf: tf.strings.as_string([3.14159, -2.5, 1e-3]),
    "as_string_options": lambda tf: tf.strings.as_string([3.14159, 100.0], precision=3, width=12, fill="0"),
    "as_string_shortest": lambda tf: tf.strings.as_string([0.1, 123456789.0], shortest=True),
    "as_string_int": lambda tf: tf.strings.as_string([7, -7], width=4, fill="-"),
    "format": lambda tf: tf.strings.format("x={} y={}", [tf.constant([[1, 2], [3, 4]]), tf.constant(2.5)]),
    "format_summarize": lambda tf: tf.strings.format("{}", tf.reshape(tf.range(60), (6, 10)), summarize=2),
    "format_floats": lambda tf: tf.strings.format("{}", tf.constant([1 / 3, 0.1, 1e20, 1234567.0])),
    "format_strings": lambda tf: tf.strings.format("{}", tf.constant(['a"b', "c\n"])),
    "unicode_split": lambda tf: tf.strings.unicode_split(["héllo", "ab"], "UTF-8"),
    "unicode_split_bad": lambda tf: tf.strings.unicode_split([b"a\xff\xfeb\xc3"], "UTF-8"),
    "unicode_decode": lambda tf: tf.strings.unicode_decode(["h\U0001F642", ""], "UTF-8"),
    "unicode_decode_2d": lambda tf: tf.strings.unicode_decode([["ab", "c"], ["d", ""]], "UTF-8"),
    "unicode_offsets": lambda tf: tf.strings.unicode_decode_with_offsets(["aé\U0001F642b"], "UTF-8"),
    "unicode_encode": lambda tf: tf.strings.unicode_encode(tf.ragged.constant([[104, 233], [], [128578]]), "UTF-8"),
    "bytes_split": lambda tf: tf.strings.bytes_split(["hé", ""]),
    "ngrams": lambda tf: tf.strings.ngrams(tf.ragged.constant([["a", "b", "c", "d"], ["e"], []]), 2),
    "ngrams_multi": lambda tf: tf.strings.ngrams(tf.ragged.constant([["a", "b", "c"], ["d"]]), (1, 3), "_"),
    "ngrams_pad": lambda tf: tf.strings.ngrams(["a", "b", "c"], 3, pad_values=("<s>", "</s>"), padding_width=1),
    "ngrams_short": lambda tf: tf.strings.ngrams(tf.ragged.constant([["a", "b"], ["c"], []]), 3,
                                                 preserve_short_sequences=True),
    "ngrams_dense": lambda tf: tf.strings.ngrams([["a", "b", "c"], ["d", "e", "f"]], 2),
    "hash_fast": lambda tf: tf.strings.to_hash_bucket_fast(["Hello", "TensorFlow", "2.x", ""], 1000),
    "hash_strong": lambda tf: tf.strings.to_hash_bucket_strong(["Hello", "x" * 40], 1000, [7, 11]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_strings_op_matches_tensorflow(real_tf, name):
    assert _plain(CASES[name](tensorlet)) == _plain(CASES[name](real_tf))


RAGGED_CASES = {
    "constant": lambda tf: tf.ragged.constant([[1, 2], [3], [], [4, 5, 6]]),
    "constant_3d": lambda tf: tf.ragged.constant([[[1, 2], [3]], [[4, 5, 6]]]),
    "constant_inner": lambda tf: tf.ragged.constant([[[1, 2], [3, 4]], [[5, 6]]], ragged_rank=1),
    "constant_float": lambda tf: tf.ragged.constant([[0.5], [1.5, 2.5]]),
    "from_row_lengths": lambda tf: tf.RaggedTensor.from_row_lengths([1, 2, 3, 4], [2, 0, 2]),
    "from_row_splits": lambda tf: tf.RaggedTensor.from_row_splits([1, 2, 3, 4], [0, 1, 4]),
    "from_value_rowids": lambda tf: tf.RaggedTensor.from_value_rowids([3, 1, 4, 1, 5], [0, 0, 2, 2, 3], nrows=5),
    "from_tensor": lambda tf: tf.RaggedTensor.from_tensor([[1, 0, 0], [2, 3, 0]], padding=0),
    "row_splits": lambda tf: tf.ragged.constant([[1, 2], [3]]).row_splits,
    "row_lengths": lambda tf: tf.ragged.constant([[1, 2], [3], []]).row_lengths(),
    "row_lengths_2": lambda tf: tf.ragged.constant([[[1, 2], [3]], [[4]]]).row_lengths(axis=2),
    "nrows": lambda tf: tf.ragged.constant([[1, 2], [3], []]).nrows(),
    "values": lambda tf: tf.ragged.constant([[[1, 2], [3]], [[4]]]).values,
    "flat_values": lambda tf: tf.ragged.constant([[[1, 2], [3]], [[4]]]).flat_values,
    "to_tensor": lambda tf: tf.ragged.constant([[1, 2], [3], []]).to_tensor(default_value=-1),
    "to_tensor_shape": lambda tf: tf.ragged.constant([[1, 2, 3], [4]]).to_tensor(shape=[3, 2]),
    "to_tensor_3d": lambda tf: tf.ragged.constant([[[1, 2], [3]], [[4, 5, 6]]]).to_tensor(),
    "to_tensor_strings": lambda tf: tf.ragged.constant([["a", "bb"], ["c"]]).to_tensor(),
    "getitem_row": lambda tf: tf.ragged.constant([[1, 2], [3], []])[0],
    "getitem_slice": lambda tf: tf.ragged.constant([[1, 2], [3], [], [4]])[1:3],
    "getitem_inner": lambda tf: tf.ragged.constant([[1, 2, 3], [4], [5, 6]])[:, 1:],
    "merge_dims": lambda tf: tf.ragged.constant([[[1, 2], [3]], [[4, 5, 6]]]).merge_dims(1, 2),
    "merge_all": lambda tf: tf.ragged.constant([[[1, 2], [3]], [[4, 5, 6]]]).merge_dims(0, -1),
    "add": lambda tf: tf.ragged.constant([[1, 2], [3]]) + 10,
}


@pytest.mark.parametrize("name", sorted(RAGGED_CASES))
def test_ragged_api_matches_tensorflow(real_tf, name):
    assert _plain(RAGGED_CASES[name](tensorlet)) == _plain(RAGGED_CASES[name](real_tf))


@pytest.mark.parametrize("value", [[[1, 2], [3], [], [4, 5, 6]], [["a", "bb"], ["c"]], [[1, 2], [3, 4]],
                                   [[[1, 2], [3]], [[4, 5, 6]]], [list(range(30)), [1]], [[], []]])
def test_ragged_repr_matches_tensorflow(real_tf, value):
    assert repr(tensorlet.ragged.constant(value)) == repr(real_tf.ragged.constant(value))


def test_string_tensor_repr_matches_tensorflow(real_tf):
    for value in (["a b", "c"], "x", [["é"]], b"\xff"):
        assert repr(tensorlet.constant(value)) == repr(real_tf.constant(value))
        assert str(tensorlet.constant(value)) == str(real_tf.constant(value))


def test_hash_buckets_match_tensorflow_on_random_strings(real_tf):
    rng = random.Random(23)
    lengths = list(range(0, 70)) + [rng.randrange(70, 600) for _ in range(60)]
    strings = [bytes(rng.randrange(256) for _ in range(n)) for n in lengths]
    for buckets in (1 << 62, 10007):
        ours = tensorlet.strings.to_hash_bucket_fast(strings, buckets).numpy()
        theirs = real_tf.strings.to_hash_bucket_fast(strings, buckets).numpy()
        np.testing.assert_array_equal(ours, theirs)
    key = [rng.randrange(1 << 62), rng.randrange(1 << 62)]
    np.testing.assert_array_equal(tensorlet.strings.to_hash_bucket_strong(strings, 1 << 62, key).numpy(),
                                  real_tf.strings.to_hash_bucket_strong(strings, 1 << 62, key).numpy())
