"""ngrams (widths, padding, short sequences, dense/ragged results) and the hash-bucket ops (Farmhash
Fingerprint64 and SipHash-2-4 against published and TF-computed values)."""
from __future__ import annotations

import pytest

import tensorlet as tf
from tensorlet.strings.farmhash import fingerprint64
from tensorlet.strings.siphash import siphash24

RAGGED = [["a", "b", "c"], ["d"], [], ["e", "f"]]


def test_ngrams_dense_in_dense_out():
    assert tf.strings.ngrams(["A", "B", "C", "D"], 2).numpy().tolist() == [b"A B", b"B C", b"C D"]
    out = tf.strings.ngrams([["a", "b", "c"], ["d", "e", "f"]], 2)
    assert isinstance(out, tf.Tensor) and out.numpy().tolist() == [[b"a b", b"b c"], [b"d e", b"e f"]]
    assert tf.strings.ngrams([["a", "b"]], 3).shape == (1, 0)


def test_ngrams_ragged_widths_and_separator():
    rt = tf.ragged.constant(RAGGED)
    assert tf.strings.ngrams(rt, 2).to_list() == [[b"a b", b"b c"], [], [], [b"e f"]]
    assert tf.strings.ngrams(rt, (1, 2), separator="_").to_list() == \
        [[b"a", b"b", b"c", b"a_b", b"b_c"], [b"d"], [], [b"e", b"f", b"e_f"]]
    r3 = tf.ragged.constant([[["a", "b", "c"]], [["d", "e"]]])
    assert tf.strings.ngrams(r3, 2).to_list() == [[[b"a b", b"b c"]], [[b"d e"]]]


def test_ngrams_padding():
    assert tf.strings.ngrams(["a", "b", "c"], 3, pad_values=("<s>", "</s>")).numpy().tolist() == \
        [b"<s> <s> a", b"<s> a b", b"a b c", b"b c </s>", b"c </s> </s>"]
    assert tf.strings.ngrams(["a", "b", "c"], 3, pad_values="P", padding_width=1).numpy().tolist() == \
        [b"P a b", b"a b c", b"b c P"]
    assert tf.strings.ngrams(["a", "b"], 2, pad_values="P", padding_width=3).numpy().tolist() == \
        [b"P a", b"a b", b"b P"]  # at most width - 1 pads
    assert tf.strings.ngrams(["a", "b"], 1, pad_values="P").numpy().tolist() == [b"a", b"b"]


def test_ngrams_preserve_short_sequences():
    rt = tf.ragged.constant(RAGGED)
    assert tf.strings.ngrams(rt, 3, preserve_short_sequences=True).to_list() == \
        [[b"a b c"], [b"d"], [], [b"e f"]]
    assert tf.strings.ngrams(rt, (4, 5), pad_values="P", padding_width=1,
                             preserve_short_sequences=True).to_list() == \
        [[b"P a b c", b"a b c P", b"P a b c P"], [b"P d P"], [], [b"P e f P"]]


def test_ngrams_argument_errors():
    with pytest.raises(ValueError, match="greater than 0"):
        tf.strings.ngrams(["a"], 0)
    with pytest.raises(ValueError, match="pad_values must be provided"):
        tf.strings.ngrams(["a"], 2, padding_width=1)
    with pytest.raises(ValueError, match="padding_width must be greater than 0"):
        tf.strings.ngrams(["a"], 2, pad_values="P", padding_width=0)
    with pytest.raises(ValueError, match="pair of strings"):
        tf.strings.ngrams(["a"], 2, pad_values=("P",))
    with pytest.raises(ValueError, match="rank > 0"):
        tf.strings.ngrams("a", 2)


# Values computed by TensorFlow 2.21 (tf.strings.to_hash_bucket_fast(s, 2**62), ..._strong(s, 2**62, [1, 2])).
FAST = {"Hello": 1569640939275362439, "TensorFlow": 4265654129848386254, "2.x": 943390013796179357,
        "": 1936946117179621455, "a" * 33: 3476057946412062037, "b" * 70: 285622880020182389,
        "c" * 200: 2595301586569255074}
STRONG = {"Hello": 3561599031292589466, "": 443797209252341627, "a" * 20: 3089913514028841355,
          "TensorFlow": 1016018213495009118}


def test_fingerprint64_matches_tf_buckets_for_every_length_class():
    for text, bucket in FAST.items():
        assert fingerprint64(text.encode()) % (1 << 62) == bucket, text[:12]
    assert fingerprint64(b"") == 0x9AE16A3B2F90404F


def test_to_hash_bucket_fast_documented_example():
    out = tf.strings.to_hash_bucket_fast(["Hello", "TensorFlow", "2.x"], 3)
    assert out.dtype == tf.int64 and out.numpy().tolist() == [0, 2, 2]
    assert tf.strings.to_hash_bucket_fast(tf.ragged.constant([["Hello"], []]), 3).to_list() == [[0], []]
    with pytest.raises(ValueError, match="num_buckets"):
        tf.strings.to_hash_bucket_fast("a", 0)


def test_siphash_reference_vector_and_tf_buckets():
    # SipHash paper's test vector: key 00..0f, message 00..0e
    k0 = int.from_bytes(bytes(range(8)), "little")
    k1 = int.from_bytes(bytes(range(8, 16)), "little")
    assert siphash24(k0, k1, bytes(range(15))) == 0xA129CA6149BE45E5
    out = tf.strings.to_hash_bucket_strong(list(STRONG), 1 << 62, [1, 2])
    assert out.numpy().tolist() == list(STRONG.values())
    with pytest.raises(ValueError, match="2 ints"):
        tf.strings.to_hash_bucket_strong("a", 10, [1])
