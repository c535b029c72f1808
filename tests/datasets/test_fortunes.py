"""fortunes.load_data: cookie files parsed at their % lines, labelled by topic, shuffled and split; files come
from a mirror or Debian's folder and are verified; and the real Debian data when the package is installed."""
from __future__ import annotations

import os

import numpy as np
import pytest

from tensorlet.datasets import fortunes
from tensorlet.utils import file_utils
from tensorlet.utils.file_utils import DatasetUnavailableError
from tests.datasets.helpers import file_sha256

DEBIAN = "/usr/share/games/fortunes"
FILES = {
    "computers": "Bugs are features.\n%\nThere is no place like 127.0.0.1\n\t\t-- anon\n%\n%\n   \n%\nGOTO considered",
    "science": "E = mc^2\n% \nGravity: it's the law.\n",
}


@pytest.fixture
def mirror(tmp_path, monkeypatch, isolated):
    folder = tmp_path / "mirror" / "fortunes"
    folder.mkdir(parents=True)
    hashes = dict(fortunes.FILE_HASHES)
    for name, text in FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
        hashes[name] = file_sha256(folder / name)
    monkeypatch.setattr(fortunes, "FILE_HASHES", hashes)
    monkeypatch.setenv("TENSORLET_DATASETS_MIRROR", str(tmp_path / "mirror"))
    monkeypatch.setattr(file_utils, "KNOWN_LOCATIONS", {})  # the real Debian files must not be picked up
    return folder


def test_fortune_files_split_at_percent_lines(mirror):
    assert fortunes.load_category("computers") == ["Bugs are features.", "There is no place like 127.0.0.1\n\t\t-- anon",
                                                   "GOTO considered"]
    assert fortunes.load_category("science") == ["E = mc^2", "Gravity: it's the law."]


def test_load_data_labels_shuffle_and_split(mirror):
    (x, y), (xt, yt) = fortunes.load_data(["computers", "science"], test_split=0.4, seed=1)
    assert x.dtype == object and y.dtype == np.int64 and len(x) == 3 and len(xt) == 2
    texts = fortunes.load_category("computers") + fortunes.load_category("science")
    labels = [0, 0, 0, 1, 1]
    order = np.arange(5)
    np.random.RandomState(1).shuffle(order)
    assert list(x) + list(xt) == [texts[i] for i in order]
    assert list(y) + list(yt) == [labels[i] for i in order]
    assert fortunes.get_label_names(["computers", "science"]) == ("computers", "science")
    (x2, _), _ = fortunes.load_data(["science", "computers"], test_split=0.0)
    assert len(x2) == 5


def test_files_are_verified_and_cached(mirror, isolated):
    fortunes.load_category("science")
    cached = isolated / "fortunes" / "science"
    assert cached.is_file()
    (mirror / "computers").write_text("tampered", encoding="utf-8")
    with pytest.raises(DatasetUnavailableError, match="checksum does not match"):
        fortunes.load_category("computers")


def test_missing_files_say_how_to_install(isolated, monkeypatch):
    monkeypatch.setattr(file_utils, "KNOWN_LOCATIONS", {})
    with pytest.raises(DatasetUnavailableError, match="TENSORLET_DATASETS_MIRROR"):
        fortunes.load_data(["pets"])


def test_bad_arguments():
    with pytest.raises(ValueError, match="unknown categories \\['offensive'\\]"):
        fortunes.load_data(["computers", "offensive"])
    with pytest.raises(ValueError, match="repeat"):
        fortunes.load_data(["work", "work"])
    with pytest.raises(ValueError, match="test_split"):
        fortunes.load_data(test_split=1.0)


def _debian_installed():
    return all(os.path.isfile(os.path.join(DEBIAN, c)) for c in fortunes.FILE_HASHES)


def test_real_debian_corpus(isolated):
    if not _debian_installed():
        pytest.skip("Debian's fortunes package is not installed (apt-get install fortunes)")
    (x, y), (xt, yt) = fortunes.load_data()
    assert (len(x), len(xt)) == (2407, 602)
    assert np.bincount(np.concatenate([y, yt])).tolist() == [1051, 703, 625, 630]
    assert all(isinstance(t, str) and t == t.strip() and t for t in x)
    counts = {c: len(fortunes.load_category(c)) for c in fortunes.FILE_HASHES}
    assert counts["startrek"] == 227 and sum(counts.values()) == 7517
    (xa, _), (xat, _) = fortunes.load_data("all")
    assert len(xa) + len(xat) == 7517
