"""TextVectorization: standardize/split/ngrams, the adapted vocabulary, every output mode, vocabularies given as
lists or files, adapt on arrays, lists, string tensors and iterables of batches, models that train on raw strings,
and saving (the vocabulary in the .keras assets)."""
from __future__ import annotations

import doctest

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras import layers, models
from tensorlet.layers.preprocessing import text_vectorization

TEXTS = ["The cat sat on the mat.", "The dog ate my homework!", "A cat, a dog; and THE end."]


def test_adapt_ranks_tokens_by_count_then_token_and_caps_at_max_tokens():
    layer = layers.TextVectorization()
    layer.adapt(TEXTS)
    vocab = layer.get_vocabulary()
    assert vocab[:5] == ["", "[UNK]", "the", "dog", "cat"]  # the: 4; a, cat, dog: 2 (ties: higher token first)
    assert vocab[5] == "a" and layer.vocabulary_size() == len(vocab)
    assert layer.get_vocabulary(include_special_tokens=False) == vocab[2:]
    small = layers.TextVectorization(max_tokens=4)
    small.adapt(TEXTS)
    assert small.get_vocabulary() == ["", "[UNK]", "the", "dog"]


def test_int_output_pads_truncates_and_maps_unknown_words_to_one():
    layer = layers.TextVectorization(output_sequence_length=4, vocabulary=["the", "cat"])
    out = layer(["the cat sat", "cat", "the the the the the"]).numpy()
    np.testing.assert_array_equal(out, [[2, 3, 1, 0], [3, 0, 0, 0], [2, 2, 2, 2]])
    assert out.dtype == np.int64
    longest = layers.TextVectorization(vocabulary=["the", "cat"])(["the cat sat", "cat"]).numpy()
    assert longest.shape == (2, 3)
    ragged = layers.TextVectorization(vocabulary=["the", "cat"], ragged=True)(["the cat sat", "cat"])
    assert ragged.to_list() == [[2, 3, 1], [3]]


def test_standardize_and_split_options():
    def keep_punctuation(x):
        return tf.strings.lower(x)

    def on_commas(x):
        return tf.strings.split(x, sep=",")

    layer = layers.TextVectorization(standardize=keep_punctuation, split=on_commas)
    layer.adapt(["A,b", "a,C!"])
    assert sorted(layer.get_vocabulary()[2:]) == ["a", "b", "c!"]
    chars = layers.TextVectorization(split="character", standardize=None)
    chars.adapt(["héé"])
    assert chars.get_vocabulary()[2:] == ["é", "h"]
    whole = layers.TextVectorization(split=None, standardize="strip_punctuation")
    whole.adapt(["Hi there!", "Hi there!", "bye"])
    assert whole.get_vocabulary()[2:] == ["Hi there", "bye"]
    with pytest.raises(ValueError, match="standardize"):
        layers.TextVectorization(standardize="upper")


def test_ngrams_and_the_encoded_output_modes():
    layer = layers.TextVectorization(ngrams=2, output_mode="count")
    layer.adapt(["a b a b"])
    vocab = layer.get_vocabulary()
    assert vocab[0] == "[UNK]" and set(vocab[1:]) == {"a", "b", "a b", "b a"}
    counts = layer(["a b a z"]).numpy()[0]
    assert counts[vocab.index("a")] == 2 and counts[vocab.index("a b")] == 1 and counts[0] == 2  # z, a z
    multi = layers.TextVectorization(output_mode="multi_hot", vocabulary=["a", "b"], pad_to_max_tokens=True,
                                     max_tokens=6)
    np.testing.assert_array_equal(multi(["a a q", "b"]).numpy(), [[1, 1, 0, 0, 0, 0], [0, 0, 1, 0, 0, 0]])
    tfidf = layers.TextVectorization(output_mode="tf_idf")
    tfidf.adapt(["a b", "a c", "a"])
    idf = np.log(1 + 3 / (1 + np.array([3.0, 1.0, 1.0])))  # a, then c and b (ties: higher first)
    assert tfidf.get_vocabulary() == ["[UNK]", "a", "c", "b"]
    np.testing.assert_allclose(tfidf(["a a b zz"]).numpy()[0], [idf.mean(), 2 * idf[0], 0, idf[2]], rtol=1e-6)
    given = layers.TextVectorization(output_mode="tf_idf", vocabulary=["a", "b"], idf_weights=[0.5, 2.0])
    np.testing.assert_allclose(given(["b b q"]).numpy(), [[1.25, 0.0, 4.0]], rtol=1e-6)
    with pytest.raises(ValueError, match="idf_weights"):
        layers.TextVectorization(output_mode="tf_idf", vocabulary=["a"])


def test_adapt_takes_arrays_lists_tensors_and_iterables_of_batches():
    want = layers.TextVectorization()
    want.adapt(TEXTS)
    for data in (np.array(TEXTS), np.array(TEXTS, dtype=object).reshape(-1, 1), tf.constant(TEXTS),
                 (batch for batch in [TEXTS[:2], TEXTS[2:]]), [np.array(TEXTS[:1]), np.array(TEXTS[1:])][0:1]):
        layer = layers.TextVectorization()
        layer.adapt(data)
        if not isinstance(data, list):
            assert layer.get_vocabulary() == want.get_vocabulary()
    stepped = layers.TextVectorization()
    stepped.adapt(iter([[TEXTS[0]], [TEXTS[1]], [TEXTS[2]]]), steps=1)
    assert "dog" not in stepped.get_vocabulary()


def test_set_vocabulary_from_a_list_or_a_file(tmp_path):
    path = tmp_path / "vocab.txt"
    path.write_text("the\ncat\n\n", encoding="utf-8")
    from_file = layers.TextVectorization(vocabulary=str(path))
    assert from_file.get_vocabulary() == ["", "[UNK]", "the", "cat"]
    assert from_file.get_config()["vocabulary"] is None  # a file vocabulary is saved as an asset
    layer = layers.TextVectorization()
    layer.set_vocabulary(["", "[UNK]", "x", "y"])  # the special tokens at its head are recognised
    assert layer.get_vocabulary() == ["", "[UNK]", "x", "y"]
    with pytest.raises(ValueError, match="repeated"):
        layer.set_vocabulary(["x", "x"])
    with pytest.raises(ValueError, match="Cannot adapt"):
        layers.TextVectorization(vocabulary=["a"]).adapt(["b"])


def test_a_model_on_raw_strings_vectorizes_every_batch_anew():
    layer = layers.TextVectorization(max_tokens=20, output_sequence_length=5)
    layer.adapt(TEXTS)
    model = models.Sequential([layers.Input((1,), dtype="string"), layer, layers.Embedding(20, 4, mask_zero=True),
                               layers.GlobalAveragePooling1D(), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    texts = np.array([[t] for t in TEXTS * 4], dtype=object)
    model.fit(texts, np.ones(12), batch_size=3, epochs=1, verbose=0)  # the step is traced on the first batch
    emb, pool, dense = model.layers[1:]
    for batch in (texts[:3], np.array([["dog dog"], ["end"], ["nothing known"]], dtype=object)):
        want = dense(pool(emb(layer(batch)))).numpy()
        np.testing.assert_allclose(model.predict(batch, verbose=0), want, rtol=1e-6)
        np.testing.assert_allclose(model.predict(list(batch[:, 0]), verbose=0), want, rtol=1e-6)


@pytest.mark.parametrize("mode", ["int", "tf_idf"])
def test_keras_files_keep_the_adapted_vocabulary(tmp_path, mode):
    pytest.importorskip("h5py")
    layer = layers.TextVectorization(max_tokens=30, output_mode=mode,
                                     output_sequence_length=6 if mode == "int" else None)
    layer.adapt(TEXTS)
    inp = layers.Input((1,), dtype="string")
    model = models.Model(inp, layers.Dense(2)(layers.Flatten()(layers.Embedding(30, 3)(layer(inp))) if mode == "int"
                                              else layer(inp)))
    path = str(tmp_path / "tv.keras")
    model.save(path)
    import zipfile

    assert "assets/layers/text_vectorization/vocabulary.txt" in zipfile.ZipFile(path).namelist()
    loaded = models.load_model(path)
    batch = np.array([["the dog sat"], ["cat end zzz"]], dtype=object)
    np.testing.assert_allclose(loaded.predict(batch, verbose=0), model.predict(batch, verbose=0), rtol=1e-6)
    assert loaded.layers[1].get_vocabulary() == layer.get_vocabulary()


def test_config_round_trip_with_a_registered_standardize():
    @tf.keras.utils.register_keras_serializable(package="tests")
    def shout(x):
        return tf.strings.upper(x)

    layer = layers.TextVectorization(standardize=shout, ngrams=(1, 2), vocabulary=["A", "B"])
    clone = layers.TextVectorization.from_config(layer.get_config())
    assert clone.standardize is shout and clone.ngrams == (1, 2)
    np.testing.assert_array_equal(clone(["a b"]).numpy(), layer(["a b"]).numpy())


def test_bad_arguments_raise():
    with pytest.raises(ValueError, match="output_sequence_length"):
        layers.TextVectorization(output_mode="count", output_sequence_length=3)
    with pytest.raises(ValueError, match="ngrams"):
        layers.TextVectorization(ngrams="2")
    with pytest.raises(ValueError, match="output_mode"):
        layers.TextVectorization(output_mode="bag")
    with pytest.raises(ValueError, match="last shape dimension must be 1"):
        layers.TextVectorization(vocabulary=["a"])(np.array([["a", "b"]], dtype=object))


def test_docstring_examples_run():
    result = doctest.testmod(text_vectorization, optionflags=doctest.ELLIPSIS)
    assert result.attempted and not result.failed


def test_the_tensorflow_rnn_tutorial_model_with_unpadded_sequences():
    # TextVectorization without output_sequence_length pads each batch to its longest text: batches differ in
    # length, so the steps run eagerly instead of replaying a plan traced on one length
    texts = np.array(["the movie was great", "awful film", "great great acting", "bad plot and awful acting"] * 4,
                     dtype=object)
    data = tf.data.Dataset.from_tensor_slices((texts, np.array([1, 0, 1, 0] * 4))).shuffle(16, seed=1).batch(4)
    encoder = layers.TextVectorization(max_tokens=100)
    encoder.adapt(data.map(lambda text, label: text))
    model = models.Sequential([encoder, layers.Embedding(len(encoder.get_vocabulary()), 8, mask_zero=True),
                               layers.Bidirectional(layers.LSTM(4)), layers.Dense(1)])
    model.compile(loss=tf.keras.losses.BinaryCrossentropy(from_logits=True), optimizer=tf.keras.optimizers.Adam(0.01),
                  metrics=["accuracy"])
    model.fit(data, epochs=3, verbose=0)
    batch = np.array(["great acting", "bad bad bad bad plot"], dtype=object)
    emb, bi, dense = model.layers[1:]
    for rows in (batch, batch[:1], batch[1:]):
        np.testing.assert_allclose(model.predict(rows, verbose=0), dense(bi(emb(encoder(rows)))).numpy(), rtol=1e-5)
