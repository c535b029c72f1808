"""regex_replace and regex_full_match: RE2 meaning on Python's re (ASCII classes, POSIX classes, end anchors,
RE2 rewrites), as TF computes them."""
from __future__ import annotations

import re
import string

import pytest

import tensorlet as tf


def test_regex_replace_documented_examples():
    assert tf.strings.regex_replace("Text with tags.<br /><b>contains html</b>", "<[^>]+>", " ").numpy() == \
        b"Text with tags.  contains html "
    assert tf.strings.regex_replace(["abc abc"], "b(c)", r"<\1\0>").numpy().tolist() == [b"a<cbc> a<cbc>"]
    assert tf.strings.regex_replace(["abc abc"], "b", "X", replace_global=False).numpy().tolist() == [b"aXc abc"]
    assert tf.strings.regex_replace("abc", "x*", "-").numpy() == b"-a-b-c-"
    assert tf.strings.regex_replace("ab", "a", r"\\").numpy() == b"\\b"


def test_regex_classes_follow_re2():
    assert tf.strings.regex_replace("éa_1", r"\w", "x").numpy() == "éxxx".encode()  # \w is ASCII in RE2
    assert tf.strings.regex_replace("é", ".", "x").numpy() == b"x"  # . is one character, not one byte
    assert tf.strings.regex_replace("a,b!c", "[[:punct:]]", "").numpy() == b"abc"
    assert tf.strings.regex_replace("aé1", r"\pL", "x").numpy() == b"xx1"
    assert tf.strings.regex_replace("a b", r"\bb", "X").numpy() == b"a X"
    assert tf.strings.regex_replace("a.b", r"\Q.\E", "-").numpy() == b"a-b"


def test_dollar_is_the_end_of_text():
    assert tf.strings.regex_replace("a\n", "$", "X").numpy() == b"a\nX"
    assert tf.strings.regex_replace("a\nb", "(?m)$", "X").numpy() == b"aX\nbX"
    assert tf.strings.regex_replace("aaa", "^a", "X").numpy() == b"Xaa"


def test_keras_standardize_pattern_strips_punctuation():
    pattern = "[%s]" % re.escape(string.punctuation)
    out = tf.strings.regex_replace(tf.strings.lower(["Hello, World! It's <b>ok</b>."]), pattern, "")
    assert out.numpy().tolist() == [b"hello world its bokb"]


def test_regex_full_match():
    assert tf.strings.regex_full_match(["TF lib", "lib TF"], ".*lib$").numpy().tolist() == [True, False]
    assert tf.strings.regex_full_match(["ab", "abc"], "ab").numpy().tolist() == [True, False]
    assert tf.strings.regex_full_match("x", "x").dtype == tf.bool


def test_bad_patterns_and_rewrites_raise_value_error():
    with pytest.raises(ValueError, match="invalid regex pattern"):
        tf.strings.regex_replace("a", "(", "x")
    with pytest.raises(ValueError, match="names group"):
        tf.strings.regex_replace("a", "a", r"\2")
    with pytest.raises(ValueError, match="backslash"):
        tf.strings.regex_replace("a", "a", r"\n")
    with pytest.raises(ValueError, match="Unicode classes"):
        tf.strings.regex_replace("a", r"\p{Greek}", "x")


def test_regex_on_ragged_and_tensor_pattern():
    rt = tf.ragged.constant([["a1", "b"], ["c22"]])
    assert tf.strings.regex_replace(rt, tf.constant("[0-9]"), "#").to_list() == [[b"a#", b"b"], [b"c##"]]
