"""split, bytes_split and the unicode ops: results one rank up, ragged or (for scalars) dense."""
from __future__ import annotations

import pytest

import tensorlet as tf
from tensorlet.errors import InvalidArgumentError


def test_split_on_whitespace_and_on_a_separator():
    out = tf.strings.split(["hello world", "a b c"])
    assert isinstance(out, tf.RaggedTensor) and out.to_list() == [[b"hello", b"world"], [b"a", b"b", b"c"]]
    assert tf.strings.split(["  a\tb\n c\x0bd\x0ce "]).to_list() == [[b"a", b"b", b"c", b"d", b"e"]]
    assert tf.strings.split(["a,,b", ""], sep=",").to_list() == [[b"a", b"", b"b"], [b""]]
    assert tf.strings.split(["a<>b<>"], sep="<>").to_list() == [[b"a", b"b", b""]]
    assert tf.strings.split(["a b"], sep="").to_list() == [[b"a", b"b"]]
    assert tf.strings.split(["a b c d"], maxsplit=2).to_list() == [[b"a", b"b", b"c d"]]
    assert tf.strings.split(["a,b,c"], sep=",", maxsplit=1).to_list() == [[b"a", b"b,c"]]


def test_split_shapes_scalar_matrix_and_ragged():
    scalar = tf.strings.split("a  b c")
    assert isinstance(scalar, tf.Tensor) and scalar.numpy().tolist() == [b"a", b"b", b"c"]
    matrix = tf.strings.split(tf.constant([["a b", "c"], ["d", "e f g"]]))
    assert matrix.shape == [2, 2, None] and matrix.ragged_rank == 2
    assert matrix.to_list() == [[[b"a", b"b"], [b"c"]], [[b"d"], [b"e", b"f", b"g"]]]
    nested = tf.strings.split(tf.ragged.constant([["a b"], ["c d", "e"]]))
    assert nested.to_list() == [[[b"a", b"b"]], [[b"c", b"d"], [b"e"]]]


def test_split_then_to_tensor_pads_like_text_vectorization():
    tokens = tf.strings.split(tf.strings.lower(["The cat sat", "A dog"]))
    dense = tokens.to_tensor(shape=[None, 4])
    assert dense.numpy().tolist() == [[b"the", b"cat", b"sat", b""], [b"a", b"dog", b"", b""]]


def test_bytes_split():
    assert tf.strings.bytes_split("hello").numpy().tolist() == [b"h", b"e", b"l", b"l", b"o"]
    assert tf.strings.bytes_split(["hé", "ab"]).to_list() == [[b"h", b"\xc3", b"\xa9"], [b"a", b"b"]]
    assert tf.strings.bytes_split([["ab"], ["c"]]).to_list() == [[[b"a", b"b"]], [[b"c"]]]


def test_unicode_decode_and_split():
    assert tf.strings.unicode_decode(["héllo", "ab"], "UTF-8").to_list() == [[104, 233, 108, 108, 111], [97, 98]]
    scalar = tf.strings.unicode_decode("hé", "UTF-8")
    assert scalar.dtype == tf.int32 and scalar.numpy().tolist() == [104, 233]
    assert tf.strings.unicode_split(["héllo", "ab"], "UTF-8").to_list() == \
        [[b"h", "é".encode(), b"l", b"l", b"o"], [b"a", b"b"]]
    assert tf.strings.unicode_decode([["ab", "c"]], "UTF-8").to_list() == [[[97, 98], [99]]]
    assert tf.strings.unicode_decode([b"h\xe9"], "ISO-8859-1").to_list() == [[104, 233]]
    assert tf.strings.unicode_decode(["hé".encode("utf-16-be")], "UTF-16-BE").to_list() == [[104, 233]]
    assert tf.strings.unicode_split(["hé".encode("utf-16-be")], "UTF-16-BE").to_list() == [[b"\x00h", b"\x00\xe9"]]


def test_unicode_decode_errors_modes():
    assert tf.strings.unicode_decode([b"a\xff\xfeb"], "UTF-8").to_list() == [[97, 65533, 65533, 98]]
    assert tf.strings.unicode_decode([b"a\xffb"], "UTF-8", replacement_char=63).to_list() == [[97, 63, 98]]
    assert tf.strings.unicode_split([b"a\xffb"], "UTF-8", errors="ignore").to_list() == [[b"a", b"b"]]
    assert tf.strings.unicode_split([b"a\xffb"], "UTF-8").to_list() == [[b"a", b"\xef\xbf\xbd", b"b"]]
    assert tf.strings.unicode_decode([b"a\x01b"], "UTF-8", replace_control_characters=True).to_list() == \
        [[97, 65533, 98]]
    assert tf.strings.unicode_decode([b"ab\xc3"], "UTF-8").to_list() == [[97, 98, 65533]]  # cut-off sequence
    with pytest.raises(InvalidArgumentError, match="Invalid formatting"):
        tf.strings.unicode_split([b"a\xffb"], "UTF-8", errors="strict")
    with pytest.raises(ValueError, match="unknown encoding"):
        tf.strings.unicode_decode("a", "KLINGON-8")


def test_unicode_offsets_and_encode():
    chars, offsets = tf.strings.unicode_decode_with_offsets(["hé", "ab"], "UTF-8")
    assert chars.to_list() == [[104, 233], [97, 98]] and offsets.to_list() == [[0, 1], [0, 1]]
    _, offsets = tf.strings.unicode_decode_with_offsets(["é\U0001F642x"], "UTF-8")
    assert offsets.to_list() == [[0, 2, 6]]
    assert tf.strings.unicode_encode(tf.ragged.constant([[104, 233], [97]]), "UTF-8").numpy().tolist() == \
        ["hé".encode(), b"a"]
    assert tf.strings.unicode_encode([[104, 233], [97, 98]], "UTF-8").numpy().tolist() == ["hé".encode(), b"ab"]
    assert tf.strings.unicode_encode([104, 233], "UTF-8").numpy() == "hé".encode()
