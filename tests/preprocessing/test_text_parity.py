"""Parity with tf_keras 2 (the Keras that DeepLearning.AI's NLP notebooks run): Tokenizer indices, sequences,
texts and all four matrix modes on the same corpora, JSON accepted in both directions, and the text helpers."""
from __future__ import annotations

import json
import os

import numpy as np
import pytest

from tensorlet.keras.preprocessing import text as ours

pytestmark = pytest.mark.parity
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

CORPUS = [
    "I love my dog", "I love my cat", "You love my dog!", "Do you think my dog is amazing?",
    "The quick brown fox jumps over the lazy dog.", "A dog, a cat; and a FOX?", "Zebras don't love cats.",
    "tab\tseparated\nand new-lines", "", "repeated repeated repeated words words",
]
QUERIES = ["my dog loves the zebra", "the fox, the cat and the dog", "", "never seen words", "A A A dog"]
CONFIGS = [
    {}, {"oov_token": "<OOV>"}, {"num_words": 5}, {"num_words": 5, "oov_token": "<OOV>"},
    {"char_level": True}, {"lower": False, "filters": ""}, {"split": "o"}, {"num_words": 1, "oov_token": "<u>"},
    {"oov_token": "dog"},  # an oov_token that is also a word of the corpus
]


@pytest.fixture(scope="module")
def keras2():
    return pytest.importorskip("tf_keras").preprocessing.text


@pytest.mark.parametrize("config", CONFIGS, ids=[json.dumps(c) for c in CONFIGS])
def test_tokenizer_matches_tf_keras(keras2, config):
    a, b = ours.Tokenizer(**config), keras2.Tokenizer(**config)
    a.fit_on_texts(CORPUS)
    b.fit_on_texts(CORPUS)
    assert list(a.word_index.items()) == list(b.word_index.items())
    assert a.index_word == b.index_word and dict(a.word_counts) == dict(b.word_counts)
    assert dict(a.word_docs) == dict(b.word_docs) and dict(a.index_docs) == dict(b.index_docs)
    assert a.document_count == b.document_count
    seqs = a.texts_to_sequences(QUERIES + CORPUS)
    assert seqs == b.texts_to_sequences(QUERIES + CORPUS)
    assert a.sequences_to_texts(seqs + [[0, 1, 2, 99]]) == b.sequences_to_texts(seqs + [[0, 1, 2, 99]])
    for mode in ("binary", "count", "tfidf", "freq"):
        np.testing.assert_array_equal(a.texts_to_matrix(QUERIES, mode=mode), b.texts_to_matrix(QUERIES, mode=mode))


def test_fit_on_sequences_and_tfidf_match_tf_keras(keras2):
    seqs = [[1, 2, 2, 5], [2, 3], [], [4, 4, 4, 1]]
    a, b = ours.Tokenizer(num_words=6), keras2.Tokenizer(num_words=6)
    a.fit_on_sequences(seqs)
    b.fit_on_sequences(seqs)
    for mode in ("binary", "count", "tfidf", "freq"):
        np.testing.assert_array_equal(a.sequences_to_matrix(seqs, mode=mode), b.sequences_to_matrix(seqs, mode=mode))


def test_json_crosses_both_ways(keras2):
    a, b = ours.Tokenizer(num_words=8, oov_token="<OOV>"), keras2.Tokenizer(num_words=8, oov_token="<OOV>")
    a.fit_on_texts(CORPUS)
    b.fit_on_texts(CORPUS)
    assert json.loads(a.to_json())["config"].keys() == json.loads(b.to_json())["config"].keys()
    from_ours = keras2.tokenizer_from_json(a.to_json())
    from_theirs = ours.tokenizer_from_json(b.to_json())
    assert from_ours.texts_to_sequences(QUERIES) == b.texts_to_sequences(QUERIES)
    assert from_theirs.texts_to_sequences(QUERIES) == a.texts_to_sequences(QUERIES)
    np.testing.assert_array_equal(from_theirs.texts_to_matrix(QUERIES, "tfidf"), b.texts_to_matrix(QUERIES, "tfidf"))


def test_text_helpers_match_tf_keras(keras2):
    for text in CORPUS + QUERIES:
        assert ours.text_to_word_sequence(text) == keras2.text_to_word_sequence(text)
        assert ours.text_to_word_sequence(text, filters=".", lower=False, split="o") == \
            keras2.text_to_word_sequence(text, filters=".", lower=False, split="o")
        assert ours.hashing_trick(text, 97, hash_function="md5") == keras2.hashing_trick(text, 97,
                                                                                           hash_function="md5")
        assert ours.one_hot(text, 31) == keras2.one_hot(text, 31)  # Python's hash: same process, same salt


def test_pad_sequences_of_tokens_match_tf_keras():
    pad2 = pytest.importorskip("tf_keras").preprocessing.sequence.pad_sequences
    from tensorlet.keras.preprocessing.sequence import pad_sequences

    tok = ours.Tokenizer(oov_token="<OOV>")
    tok.fit_on_texts(CORPUS)
    seqs = tok.texts_to_sequences(CORPUS)
    for kwargs in ({}, {"maxlen": 4}, {"maxlen": 6, "padding": "post", "truncating": "post"},
                   {"maxlen": 3, "value": -1, "dtype": "int64"}):
        np.testing.assert_array_equal(pad_sequences(seqs, **kwargs), pad2(seqs, **kwargs))
    words = [t.split() for t in CORPUS]
    for kwargs in ({"dtype": object, "value": "<pad>"}, {"dtype": "<U8", "value": "", "maxlen": 3},
                   {"dtype": "str", "padding": "post", "value": "?"}):
        np.testing.assert_array_equal(pad_sequences(words, **kwargs), pad2(words, **kwargs))
