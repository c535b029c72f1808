"""imdb and reuters load_data on small files in the official format (object arrays of word-index lists), built
by the test and served from a mirror folder; the word-index preprocessing follows Keras' documented rules."""
from __future__ import annotations

import json
import os

import numpy as np
import pytest

from tensorlet.datasets import imdb, reuters
from tensorlet.datasets.cifar_pickle import UnsafePickleError
from tests.datasets.helpers import file_sha256


def _objects(seqs):
    out = np.empty(len(seqs), dtype=object)
    for i, s in enumerate(seqs):
        out[i] = list(s)
    return out


@pytest.fixture
def mirror(tmp_path, monkeypatch, isolated):
    folder = tmp_path / "mirror"
    folder.mkdir()
    monkeypatch.setenv("TENSORLET_DATASETS_MIRROR", str(folder))

    def publish(module, name, **arrays):
        path = folder / name
        if name.endswith(".json"):
            path.write_text(json.dumps(arrays["index"]))
            monkeypatch.setattr(module, "WORD_INDEX_ORIGIN", "http://127.0.0.1:9/" + name)
            monkeypatch.setattr(module, "WORD_INDEX_HASHES", (file_sha256(path),))
        else:
            np.savez(path, **arrays)
            monkeypatch.setattr(module, "ORIGIN", "http://127.0.0.1:9/" + name)  # never the internet
            monkeypatch.setattr(module, "FILE_HASHES", (file_sha256(path),))
        return path

    return publish


TRAIN = [[1, 5, 9], [2, 2], [7, 1, 3, 8], [4]]
TEST = [[6, 6, 6], [1, 2, 3, 4, 5]]


def test_imdb_shapes_shuffle_and_word_offsets(mirror):
    mirror(imdb, "imdb.npz", x_train=_objects(TRAIN), y_train=np.array([0, 1, 0, 1]), x_test=_objects(TEST),
           y_test=np.array([1, 0]))
    (x, y), (xt, yt) = imdb.load_data()
    assert x.dtype == object and x.shape == (4,) and xt.shape == (2,)
    order = np.arange(4)
    np.random.RandomState(113).shuffle(order)  # train shuffled first, then test, with one RandomState(seed)
    top = max(w + 3 for s in TRAIN + TEST for w in s)  # num_words=None: the largest index, itself out of range

    def expected(seq):  # start_char, words shifted by index_from, and (as Keras does) the top index as oov_char
        return [1] + [w + 3 if w + 3 < top else 2 for w in seq]

    for i, k in enumerate(order):
        assert x[i] == expected(TRAIN[k])
        assert y[i] == [0, 1, 0, 1][k]
    assert sorted(map(tuple, xt)) == sorted(tuple(expected(s)) for s in TEST)


def test_imdb_num_words_skip_top_maxlen_and_oov(mirror):
    mirror(imdb, "imdb.npz", x_train=_objects(TRAIN), y_train=np.array([0, 1, 0, 1]), x_test=_objects(TEST),
           y_test=np.array([1, 0]))
    (x, y), (xt, yt) = imdb.load_data(num_words=8, skip_top=3, maxlen=5)
    # with start_char, the train lengths are 4, 3, 5, 2 and the test ones 4, 6: sequences of 5 or more are dropped
    assert sorted(len(s) for s in x) == [2, 3, 4] and [len(s) for s in xt] == [4] and len(y) == 3 and len(yt) == 1
    for s in list(x) + list(xt):
        assert all(w == 2 or 3 <= w < 8 for w in s[1:])  # words outside [skip_top, num_words) become oov_char
    assert xt[0] == [2, 2, 2, 2]  # start_char 1 < skip_top, and 6 + 3 >= num_words
    (x2, _), _ = imdb.load_data(num_words=8, oov_char=None, start_char=None, index_from=0)
    assert all(all(0 <= w < 8 for w in s) for s in x2)
    with pytest.warns(DeprecationWarning, match="nb_words"):
        (x3, _), _ = imdb.load_data(nb_words=8)
    assert [list(s) for s in x3] == [list(s) for s in imdb.load_data(num_words=8)[0][0]]
    with pytest.raises(TypeError, match="unexpected keyword"):
        imdb.load_data(num_wrds=8)
    with pytest.raises(ValueError, match="maxlen"):
        imdb.load_data(maxlen=1)


def test_reuters_split_and_labels(mirror):
    seqs = [[i % 7 + 1] * (i % 4 + 1) for i in range(20)]
    mirror(reuters, "reuters.npz", x=_objects(seqs), y=np.arange(20) % 46)
    (x, y), (xt, yt) = reuters.load_data(test_split=0.25)
    assert len(x) == 15 and len(xt) == 5 and x.dtype == object
    assert sorted(np.concatenate([y, yt]).tolist()) == list(range(20))
    assert len(reuters.get_label_names()) == 46
    with pytest.raises(ValueError, match="test_split"):
        reuters.load_data(test_split=1.5)


def test_word_indices(mirror):
    mirror(imdb, "imdb_word_index.json", index={"the": 1, "movie": 17})
    assert imdb.get_word_index() == {"the": 1, "movie": 17}
    mirror(reuters, "reuters_word_index.json", index={"said": 1})
    assert reuters.get_word_index() == {"said": 1}


def test_a_file_that_would_run_code_is_refused(mirror, tmp_path):
    class Evil:
        def __reduce__(self):
            return (os.system, ("echo never",))

    bad = np.empty(2, dtype=object)
    bad[0], bad[1] = [1, 2], Evil()
    mirror(reuters, "reuters.npz", x=bad, y=np.array([0, 1]))
    with pytest.raises(UnsafePickleError, match="refusing"):
        reuters.load_data()


@pytest.mark.parity
def test_same_sequences_as_keras(mirror, monkeypatch):
    """Keras' own loaders on the same file (their download step pointed at it) give the same arrays."""
    pytest.importorskip("keras")
    from keras.src.datasets import imdb as k_imdb
    from keras.src.datasets import reuters as k_reuters

    rng = np.random.default_rng(3)
    seqs = [rng.integers(1, 30, rng.integers(1, 12)).tolist() for _ in range(40)]
    path = mirror(imdb, "imdb.npz", x_train=_objects(seqs[:25]), y_train=rng.integers(0, 2, 25),
                  x_test=_objects(seqs[25:]), y_test=rng.integers(0, 2, 15))
    rpath = mirror(reuters, "reuters.npz", x=_objects(seqs), y=rng.integers(0, 46, 40))
    monkeypatch.setattr(k_imdb, "get_file", lambda *a, **k: str(path))
    monkeypatch.setattr(k_reuters, "get_file", lambda *a, **k: str(rpath))
    for kwargs in ({}, {"num_words": 15, "skip_top": 2}, {"maxlen": 8, "oov_char": None}, {"index_from": 0}):
        for ours, theirs in ((imdb.load_data(**kwargs), k_imdb.load_data(**kwargs)),
                             (reuters.load_data(**kwargs), k_reuters.load_data(**kwargs))):
            for (xa, ya), (xb, yb) in zip(ours, theirs):
                assert [list(s) for s in xa] == [list(s) for s in xb]
                np.testing.assert_array_equal(ya, yb)
