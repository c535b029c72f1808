"""Keras 2 Tokenizer: ranking and ties, the OOV index, num_words at conversion time, char level, the four matrix
modes (tfidf by its formula), JSON round trips and argument errors."""
from __future__ import annotations

import json

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras.preprocessing.text import Tokenizer, tokenizer_from_json

SENTENCES = ["I love my dog", "I love my cat", "You love my dog!", "Do you think my dog is amazing?"]


def _fitted(**kwargs):
    tok = Tokenizer(**kwargs)
    tok.fit_on_texts(SENTENCES)
    return tok


def test_word_index_ranks_by_count_with_ties_in_first_seen_order():
    tok = _fitted()
    # counts: my 4, love 3, dog 3, i 2, you 2, then the words seen once, in order of appearance
    assert list(tok.word_index) == ["my", "love", "dog", "i", "you", "cat", "do", "think", "is", "amazing"]
    assert tok.word_index["my"] == 1 and tok.index_word[3] == "dog"
    assert tok.word_counts["love"] == 3 and list(tok.word_counts)[:4] == ["i", "love", "my", "dog"]
    assert tok.word_docs["my"] == 4 and tok.index_docs[1] == 4
    assert tok.document_count == 4


def test_oov_token_takes_index_one():
    tok = _fitted(oov_token="<OOV>")
    assert tok.word_index["<OOV>"] == 1 and tok.word_index["my"] == 2
    assert tok.texts_to_sequences(["i really love my manatee"]) == [[5, 1, 3, 2, 1]]
    assert tok.sequences_to_texts([[5, 1, 3, 2, 99]]) == ["i <OOV> love my <OOV>"]


def test_num_words_applies_at_conversion_time():
    tok = _fitted(num_words=4)
    assert len(tok.word_index) == 10  # the index keeps every word
    assert tok.texts_to_sequences(["my dog is amazing and i love it"]) == [[1, 3, 2]]
    assert tok.sequences_to_texts([[1, 3, 4, 9]]) == ["my dog"]
    with_oov = _fitted(num_words=4, oov_token="<OOV>")
    assert with_oov.texts_to_sequences(["my dog is amazing"]) == [[2, 1, 1, 1]]  # dog is index 4 >= num_words
    assert with_oov.texts_to_matrix(["my dog"]).shape == (1, 4)


def test_words_not_in_the_index_are_dropped_without_oov():
    tok = _fitted()
    assert tok.texts_to_sequences(["zebra my zebra dog"]) == [[1, 3]]
    assert list(tok.texts_to_sequences_generator(["my", "dog"])) == [[1], [3]]


def test_char_level_and_pre_split_texts():
    tok = Tokenizer(char_level=True)
    tok.fit_on_texts(["abca", "Bc"])
    assert list(tok.word_index) == ["a", "b", "c"] and tok.texts_to_sequences(["cab!"]) == [[3, 1, 2]]
    words = Tokenizer()
    words.fit_on_texts([["Hello", "world"], ["hello"]])
    assert words.word_index == {"hello": 1, "world": 2}
    assert words.texts_to_sequences([["HELLO", "there"]]) == [[1]]


def test_filters_split_lower_and_analyzer():
    tok = Tokenizer(filters="", lower=False, split=",")
    tok.fit_on_texts(["A,b,,A!", "b"])
    assert tok.word_index == {"b": 1, "A": 2, "A!": 3}  # b occurs twice
    custom = Tokenizer(analyzer=lambda text: text.split("-"))
    custom.fit_on_texts(["x-y-x"])
    assert custom.word_index == {"x": 1, "y": 2}


def test_matrix_modes():
    tok = _fitted()
    seqs = [[1, 1, 3], [2], []]
    n = len(tok.word_index) + 1
    binary = tok.sequences_to_matrix(seqs, mode="binary")
    assert binary.shape == (3, n) and binary.dtype == np.float64
    assert binary[0].tolist()[:4] == [0, 1, 0, 1] and not binary[2].any()
    assert tok.sequences_to_matrix(seqs, mode="count")[0, 1] == 2
    np.testing.assert_allclose(tok.sequences_to_matrix(seqs, mode="freq")[0, [1, 3]], [2 / 3, 1 / 3])
    tfidf = tok.sequences_to_matrix(seqs, mode="tfidf")
    # tf = 1 + log(count); idf = log(1 + documents / (1 + documents containing the word)); "my" is in all 4
    np.testing.assert_allclose(tfidf[0, 1], (1 + np.log(2)) * np.log(1 + 4 / 5))
    np.testing.assert_allclose(tfidf[0, 3], 1 * np.log(1 + 4 / 4))
    np.testing.assert_array_equal(tok.texts_to_matrix(["my my dog"], mode="count")[0, [1, 3]], [2, 1])


def test_matrix_errors():
    with pytest.raises(ValueError, match="specify a dimension"):
        Tokenizer().sequences_to_matrix([[1]])
    with pytest.raises(ValueError, match="tfidf"):
        Tokenizer(num_words=5).sequences_to_matrix([[1]], mode="tfidf")
    with pytest.raises(ValueError, match="unknown vectorization mode"):
        _fitted().texts_to_matrix(["my"], mode="onehot")


def test_fit_on_sequences_feeds_tfidf_document_counts():
    tok = Tokenizer(num_words=4)
    tok.fit_on_sequences([[1, 2, 2], [2, 3]])
    assert tok.document_count == 2 and tok.index_docs == {1: 1, 2: 2, 3: 1}
    np.testing.assert_allclose(tok.sequences_to_matrix([[2]], mode="tfidf")[0, 2], np.log(1 + 2 / 3))


def test_json_round_trip_keeps_state_and_behaviour():
    tok = _fitted(num_words=6, oov_token="<OOV>")
    restored = tokenizer_from_json(tok.to_json())
    assert restored.word_index == tok.word_index and restored.index_word == tok.index_word
    assert restored.word_counts == tok.word_counts and restored.document_count == 4
    assert restored.texts_to_sequences(["you love cats"]) == tok.texts_to_sequences(["you love cats"])
    np.testing.assert_array_equal(restored.texts_to_matrix(SENTENCES, "tfidf"), tok.texts_to_matrix(SENTENCES, "tfidf"))
    restored.fit_on_texts(["new words"])  # a restored tokenizer can keep fitting
    config = json.loads(tok.to_json())
    assert config["class_name"] == "Tokenizer" and isinstance(config["config"]["word_index"], str)
    assert tok.get_config()["num_words"] == 6


def test_argument_errors_name_the_argument():
    with pytest.raises(TypeError, match="unrecognized keyword arguments \\['vocab'\\]"):
        Tokenizer(vocab=3)
    with pytest.raises(ValueError, match="num_words"):
        Tokenizer(num_words=-1)
    with pytest.raises(TypeError, match="single str"):
        _fitted().fit_on_texts("a text")
    with pytest.raises(TypeError, match="each text must be a str"):
        _fitted().texts_to_sequences([3])
    with pytest.raises(ValueError, match="not a Tokenizer JSON"):
        tokenizer_from_json("{}")
    with pytest.warns(UserWarning, match="nb_words"):
        assert Tokenizer(nb_words=7).num_words == 7


def test_reachable_under_every_keras_spelling():
    assert tf.keras.preprocessing.text.Tokenizer is Tokenizer
    assert tf.keras.preprocessing.sequence.pad_sequences is tf.keras.utils.pad_sequences
    from tensorlet.keras.preprocessing import text

    assert text.tokenizer_from_json is tokenizer_from_json
