"""preprocessing.vocabulary, categorical, text_tokens and quantiles: the host-side work of the preprocessing
layers, on its own."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tensorlet.preprocessing import categorical, quantiles, text_tokens
from tensorlet.preprocessing.vocabulary import Vocabulary


def test_vocabulary_layout_ranking_and_caps():
    v = Vocabulary(True, "", "[UNK]", 1, max_tokens=5, mask_index=True)
    v.update([["b", "a", "c"], ["a", "c", "", "[UNK]"]], documents=False)
    v.finalize(tf_idf=False, pad_to=None)
    assert v.get_vocabulary() == ["", "[UNK]", "c", "a", "b"]  # counts 2, 2, 1; ties higher first
    np.testing.assert_array_equal(v.lookup(np.array(["a", "", "zz"], dtype=object), mask_value=0), [3, 0, 1])
    assert v.invert([0, 1, 2, 9]).tolist() == [b"", b"[UNK]", b"c", b"[UNK]"]
    with pytest.raises(ValueError, match="maximum vocab size"):
        v.set_tokens(["a", "b", "c", "d"])


def test_tf_idf_weights_put_the_mean_on_the_special_indices():
    v = Vocabulary(True, None, "[UNK]", 1, None, mask_index=False)
    v.update([["x", "y"], ["x"]], documents=True)
    idf = v.finalize(tf_idf=True, pad_to=5)
    want = np.log(1 + 2 / (1 + np.array([2.0, 1.0])))
    np.testing.assert_allclose(idf, [want.mean(), *want, 0.0, 0.0], rtol=1e-6)


@settings(max_examples=25, deadline=None)
@given(ids=st.lists(st.lists(st.integers(-1, 6), min_size=1, max_size=5), min_size=1, max_size=4), depth=st.integers(1, 6))
def test_counts_add_up_to_the_valid_ids(ids, depth):
    width = max(len(r) for r in ids)
    arr = np.array([r + [-1] * (width - len(r)) for r in ids])
    counts = categorical.encode(arr, "count", depth)
    valid = (arr >= 0) & (arr < depth)
    np.testing.assert_array_equal(counts.sum(axis=1), valid.sum(axis=1))
    np.testing.assert_array_equal(categorical.encode(arr, "multi_hot", depth), counts > 0)


def test_tokenize_standardizes_splits_and_makes_ngrams():
    rows = text_tokens.tokenize(["Hello, World!", "  Two\tspaces  "], "lower_and_strip_punctuation", "whitespace",
                                (1, 2))
    assert rows == [[b"hello", b"world", b"hello world"], [b"two", b"spaces", b"two spaces"]]
    assert text_tokens.tokenize(["ÉA"], "lower", "character", None) == [["É".encode(), b"a"]]  # ASCII only


def test_standardize_deletes_the_regex_bytes_and_lowers_ascii_only():
    every = bytes(range(1, 256))
    assert bytes(b for b in every if text_tokens.STRIP_PUNCTUATION.fullmatch(bytes([b]))) == text_tokens.PUNCTUATION
    texts = ["Hello, World!".encode(), "ÉA b-c".encode(), b"", b"tab\tA.B"]
    want = [text_tokens.STRIP_PUNCTUATION.sub(b"", t.lower()) for t in texts]
    assert text_tokens.standardize(texts, "lower_and_strip_punctuation") == want
    assert text_tokens.standardize(texts, "lower") == [t.lower() for t in texts]


def test_standardize_falls_back_to_string_by_string_when_a_text_holds_the_separator():
    texts = [b"A\x00B,", b"C"]
    assert text_tokens.standardize(texts, "lower_and_strip_punctuation") == [b"a\x00b", b"c"]


@settings(max_examples=40, deadline=None)
@given(texts=st.lists(st.text(alphabet=st.sampled_from("aZ ,.!\t\nÉé\x00"), max_size=12), max_size=5))
def test_flat_tokens_are_the_rows_tokens_in_order(texts):
    rows = text_tokens.tokenize(np.array(texts, dtype=object), "lower_and_strip_punctuation", "whitespace", None)
    flat = text_tokens.flat_tokens(np.array(texts, dtype=object), "lower_and_strip_punctuation")
    assert flat == [t for r in rows for t in r]


def test_quantile_summary_of_a_large_sample_is_close_to_exact():
    data = np.random.default_rng(0).uniform(0, 1, 50000).astype(np.float32)
    summary = quantiles.empty()
    for part in np.array_split(data, 5):
        summary = quantiles.merge(quantiles.summarize(part, 0.01), summary, 0.01)
    np.testing.assert_allclose(quantiles.bin_boundaries(summary, 4), [0.25, 0.5, 0.75], atol=0.02)
