"""StringLookup, IntegerLookup, Hashing, CategoryEncoding and Discretization."""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.keras import layers, models
from tensorlet.strings.farmhash import fingerprint64


def test_string_lookup_special_indices_and_oov():
    layer = layers.StringLookup(vocabulary=["a", "b", "c"])
    np.testing.assert_array_equal(layer([["a", "c", "d"]]).numpy(), [[1, 3, 0]])
    masked = layers.StringLookup(vocabulary=["a", "b"], mask_token="")
    np.testing.assert_array_equal(masked([["a", "", "q"]]).numpy(), [[2, 0, 1]])
    assert masked.get_vocabulary() == ["", "[UNK]", "a", "b"]
    several = layers.StringLookup(vocabulary=["x"], num_oov_indices=3)
    words = ["q", "rr", "sss"]
    np.testing.assert_array_equal(several(words).numpy(), [fingerprint64(w.encode()) % 3 for w in words])
    strict = layers.StringLookup(vocabulary=["x"], num_oov_indices=0)
    assert strict(["x"]).numpy().tolist() == [0]
    with pytest.raises(ValueError, match="num_oov_indices=0"):
        strict(["y"])


def test_string_lookup_invert_and_encoded_outputs():
    inv = layers.StringLookup(vocabulary=["a", "b"], invert=True, mask_token="[M]")
    assert inv([[0, 1, 2, 3, 9]]).numpy().tolist() == [[b"[M]", b"[UNK]", b"a", b"b", b"[UNK]"]]
    counts = layers.StringLookup(vocabulary=["a", "b"], output_mode="count", mask_token="")
    np.testing.assert_array_equal(counts([["a", "a", "", "z"]]).numpy(), [[1, 2, 0]])  # the mask is dropped
    one_hot = layers.StringLookup(vocabulary=["a", "b"], output_mode="one_hot")
    np.testing.assert_array_equal(one_hot(["b", "z"]).numpy(), [[0, 0, 1], [1, 0, 0]])
    multi = layers.StringLookup(vocabulary=["a", "b"], output_mode="multi_hot")
    np.testing.assert_array_equal(multi(["a", "z"]).numpy(), [1, 1, 0])  # a 1-D input is one sample
    with pytest.raises(ValueError, match="invert"):
        layers.StringLookup(invert=True, output_mode="count")


def test_string_lookup_adapt_and_tf_idf():
    layer = layers.StringLookup(output_mode="tf_idf")
    layer.adapt([["a", "b", "a"], ["c", "a", "d"]])
    assert layer.get_vocabulary() == ["[UNK]", "a", "d", "c", "b"]
    idf = np.log(1 + 2 / (1 + np.array([2.0, 1.0, 1.0, 1.0])))
    np.testing.assert_allclose(layer.idf_weights.numpy(), np.concatenate([[idf.mean()], idf]), rtol=1e-6)
    capped = layers.StringLookup(max_tokens=3)
    capped.adapt(np.array(["x", "y", "y", "z", "z", "z"]))
    assert capped.get_vocabulary() == ["[UNK]", "z", "y"]


def test_integer_lookup_defaults_and_floormod_oov():
    layer = layers.IntegerLookup(vocabulary=[12, 36, 1138, 42])
    np.testing.assert_array_equal(layer([[12, 1138, 42], [42, 1000, 36]]).numpy(), [[1, 3, 4], [4, 0, 2]])
    assert layer.get_vocabulary() == [-1, 12, 36, 1138, 42]
    adapted = layers.IntegerLookup(num_oov_indices=2)
    adapted.adapt(np.array([[12, 1138, 42], [42, 1000, 36], [42, 36, 7]]))
    assert adapted.get_vocabulary() == [-1, -1, 42, 36, 1138, 1000, 12, 7]
    np.testing.assert_array_equal(adapted([[5, 6, 42]]).numpy(), [[1, 0, 2]])
    masked = layers.IntegerLookup(vocabulary=[12, 36], mask_token=0)
    np.testing.assert_array_equal(masked([[0, 12, 99]]).numpy(), [[0, 2, 1]])
    back = layers.IntegerLookup(vocabulary=[12, 36], invert=True)
    assert back([0, 1, 2]).numpy().tolist() == [-1, 12, 36]


def test_lookup_in_a_model_trains_and_saves(tmp_path):
    pytest.importorskip("h5py")
    lookup = layers.StringLookup()
    lookup.adapt(["red", "green", "blue", "red"])
    inp = layers.Input((2,), dtype="string")
    x = layers.Flatten()(layers.Embedding(lookup.vocabulary_size(), 3)(lookup(inp)))
    model = models.Model(inp, layers.Dense(1)(x))
    model.compile(optimizer="sgd", loss="mse")
    data = np.array([["red", "blue"], ["green", "pink"]], dtype=object)
    model.fit(data, np.ones(2), epochs=2, verbose=0)
    path = str(tmp_path / "lookup.keras")
    model.save(path)
    loaded = models.load_model(path)
    np.testing.assert_allclose(loaded.predict(data, verbose=0), model.predict(data, verbose=0), rtol=1e-6)
    assert loaded.layers[1].get_vocabulary() == lookup.get_vocabulary()


def test_hashing_uses_fingerprint64_siphash_and_the_mask_bin():
    words = ["A", "B", "C", "D", "E"]
    out = layers.Hashing(num_bins=3)(np.array(words).reshape(-1, 1)).numpy().ravel()
    np.testing.assert_array_equal(out, [fingerprint64(w.encode()) % 3 for w in words])
    np.testing.assert_array_equal(out, tf.strings.to_hash_bucket_fast(words, 3).numpy())
    masked = layers.Hashing(num_bins=3, mask_value="")([["A"], [""], ["C"]]).numpy().ravel()
    assert masked[1] == 0 and masked[0] == fingerprint64(b"A") % 2 + 1
    salted = layers.Hashing(num_bins=3, salt=133)(["A", "B"]).numpy()
    np.testing.assert_array_equal(salted, tf.strings.to_hash_bucket_strong(["A", "B"], 3, [133, 133]).numpy())
    ints = layers.Hashing(num_bins=4)([[1], [123456]]).numpy().ravel()
    np.testing.assert_array_equal(ints, [fingerprint64(b"1") % 4, fingerprint64(b"123456") % 4])
    assert layers.Hashing(num_bins=4, output_mode="multi_hot")([["A", "B"]]).numpy().shape == (1, 4)
    with pytest.raises(ValueError, match="num_bins"):
        layers.Hashing(num_bins=0)


def test_category_encoding_modes():
    ce = layers.CategoryEncoding(num_tokens=4, output_mode="one_hot")
    np.testing.assert_array_equal(ce([3, 2, 0, 1]).numpy(), np.eye(4)[[3, 2, 0, 1]])
    multi = layers.CategoryEncoding(num_tokens=4, output_mode="multi_hot")
    np.testing.assert_array_equal(multi([[0, 1], [0, 0], [1, 2], [3, 1]]).numpy(),
                                  [[1, 1, 0, 0], [1, 0, 0, 0], [0, 1, 1, 0], [0, 1, 0, 1]])
    counts = layers.CategoryEncoding(num_tokens=4, output_mode="count")
    weighted = counts([[0, 1], [0, 0]], count_weights=np.array([[0.1, 0.2], [0.1, 0.1]])).numpy()
    np.testing.assert_allclose(weighted, [[0.1, 0.2, 0, 0], [0.2, 0, 0, 0]], rtol=1e-6)
    with pytest.raises(ValueError, match=r"\[0, num_tokens\)"):
        counts([[4]])


def test_discretization_boundaries_and_adapted_quantiles():
    d = layers.Discretization(bin_boundaries=[0.0, 1.0, 2.0])
    np.testing.assert_array_equal(d([[-1.5, 1.0, 3.4, 0.5], [0.0, 3.0, 1.3, 0.0]]).numpy(),
                                  [[0, 2, 3, 1], [1, 3, 2, 1]])
    adapted = layers.Discretization(num_bins=4, epsilon=0.01)
    adapted.adapt(np.array([[-1.5, 1.0, 3.4, 0.5], [0.0, 3.0, 1.3, 0.0]]))
    np.testing.assert_allclose(adapted.bin_boundaries, [0.0, 0.5, 1.3], rtol=1e-6)
    big = layers.Discretization(num_bins=5)
    big.adapt(np.random.default_rng(0).standard_normal(20000))
    np.testing.assert_allclose(big.bin_boundaries, [-0.8416, -0.2533, 0.2533, 0.8416], atol=0.05)
    one_hot = layers.Discretization(bin_boundaries=[0.0], output_mode="one_hot")
    np.testing.assert_array_equal(one_hot([-1.0, 1.0]).numpy(), [[1, 0], [0, 1]])
    clone = layers.Discretization.from_config(adapted.get_config())
    assert clone.bin_boundaries == adapted.bin_boundaries
    with pytest.raises(ValueError, match="adapt"):
        layers.Discretization(num_bins=3)([1.0])
