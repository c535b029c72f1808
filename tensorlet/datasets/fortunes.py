"""Fortune cookies by topic: a small, real, labelled text corpus that works without network.

The texts are the BSD ``fortune`` program's cookie files as Debian ships them in the package ``fortunes``
(fortune-mod 1.99.1, Debian version 1:1.99.1-7.3; ``apt-get install fortunes`` puts them in
``/usr/share/games/fortunes``). Each file holds one topic, its fortunes separated by lines holding ``%``. They
are quotations, jokes and aphorisms, so a topic classifier learns real vocabulary and real noise: a few thousand
texts, an average of about 200 characters each. Debian distributes them under the BSD licence of fortune-mod
(see ``/usr/share/doc/fortunes/copyright``); the quotations are attributed to their authors in the texts.

``load_data`` follows the other loaders: files come through :func:`tensorlet.utils.file_utils.get_file`, so a copy
in the cache, in ``$TENSORLET_DATASETS_MIRROR/fortunes/`` or in Debian's folder is used, each verified against the
checksums below (Debian's 1.99.1-7.3 files). There is no download URL: on a machine without the Debian package,
copy the topic files into a mirror folder.

Example:
    >>> (x_train, y_train), (x_test, y_test) = load_data()  # doctest: +SKIP
    >>> get_label_names()[y_train[0]], x_train[0][:40]  # doctest: +SKIP
"""
from __future__ import annotations

import re
from typing import Iterable

import numpy as np

from tensorlet.utils.file_utils import get_file

CACHE_SUBDIR = "datasets/fortunes"
DEFAULT_CATEGORIES = ("computers", "politics", "science", "work")
# sha256 of Debian's files (package fortunes / fortunes-min 1:1.99.1-7.3), topic -> digest
FILE_HASHES = {
    "art": "600b8197bc994fd4fcbb623aa5e700629540af44f044d4907886bd1031f160ce",
    "computers": "a86be224d9f733b88eeaf8a46ea0427e05cc69c69edcf5f6db47ddf561ca37fd",
    "education": "ba13321d6d6beb7a6e65296a47450bfc87b24a319fff2e94762011b59a31aa35",
    "food": "78077a65b9288df71e7b2a8e8258cd3b1005d1282f7c7e57ad53927f374df45d",
    "law": "f04141f94e788b7899e0adb0490d182ce711f8fdbb8252343a5257e717e9279d",
    "literature": "22eab7d53ce994d0466901bb0d799ae3289603e17dc0bdb7f16666931155c5a5",
    "love": "4d4fb7c540e5500e44643524dae41dd7d2b21b80be184253fd9f8541f6029fc5",
    "medicine": "18b8c7b098e649024159c9d9f3e37a0832bbd2d5cf3e2317b313134761afd487",
    "people": "2afb4b9f577be114d2dca279bc5590ee8415e1405295d7d7626c888d82f338e8",
    "pets": "084472564bc55df566733a224f8a737d78717132ec43628be0c2af466ac41ecc",
    "politics": "b56ca45a046edd5c459090a5c6b335332661b436e814b41ac87bb58065ad6131",
    "riddles": "bcaaab907b156a18a8943f0768828b4f1a18d382497d0e2ef012fe6aaa27becc",
    "science": "7ab350b142ee6c70c1d8517c5a1b3790c09b190a62859427cad98e6e35a19fcc",
    "songs-poems": "eb714d297b468da91b6ca32baefb000279a3e3740b09f8a87db24fe58e010b1a",
    "sports": "b71dd524d7bca888ec1014fb849a8a15cf58017c59127e572d393ef7632c35c8",
    "startrek": "7b2e4c235b99452b2de4c47d67aae0faac2ea508a2d644609e4ef5db7653c39c",
    "wisdom": "9b0bd6b9331a68c9172219784a411c417c055ed69734edc7b4406795b87d4e94",
    "work": "ad8a0e104160e2c4782fa86e143cd60ffab2872985d4293ffd0af6df19dbfa28",
}
_SEPARATOR = re.compile(r"^%[ \t]*$", re.MULTILINE)

Split = tuple[np.ndarray, np.ndarray]


def _categories(categories: str | Iterable[str]) -> tuple[str, ...]:
    chosen = tuple(FILE_HASHES) if categories == "all" else (
        (categories,) if isinstance(categories, str) else tuple(categories))
    unknown = [c for c in chosen if c not in FILE_HASHES]
    if unknown or not chosen:
        raise ValueError(f"fortunes.load_data: unknown categories {unknown or '(none given)'}; choose among "
                         f"{sorted(FILE_HASHES)} or 'all'")
    if len(set(chosen)) != len(chosen):
        raise ValueError(f"fortunes.load_data: categories repeat: {list(chosen)}")
    return chosen


def read_fortune_file(path: str) -> list[str]:
    """The fortunes of one cookie file: the texts between ``%`` lines, stripped, empty ones dropped."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    return [t.strip() for t in _SEPARATOR.split(text) if t.strip()]


def load_category(category: str) -> list[str]:
    """All fortunes of one topic, in file order."""
    (category,) = _categories([category])
    return read_fortune_file(get_file(category, origin=None, file_hash=FILE_HASHES[category],
                                      cache_subdir=CACHE_SUBDIR))


def load_data(categories: str | Iterable[str] = DEFAULT_CATEGORIES, test_split: float = 0.2, seed: int = 113
              ) -> tuple[Split, Split]:
    """Fortunes of a few topics, labelled by topic, shuffled once and split into train and test.

    Args:
        categories: the topics (see ``FILE_HASHES``), in label order; ``"all"`` takes every topic listed there.
        test_split: the fraction held out as the test set.
        seed: the shuffling seed.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: 1-D object arrays of ``str`` texts and int64 labels, label ``i``
        being ``categories[i]``.
    """
    chosen = _categories(categories)
    if not 0 <= test_split < 1:
        raise ValueError(f"fortunes.load_data: test_split must be in [0, 1), got {test_split}")
    texts: list[str] = []
    labels: list[int] = []
    for label, category in enumerate(chosen):
        found = load_category(category)
        texts += found
        labels += [label] * len(found)
    order = np.arange(len(texts))
    np.random.RandomState(seed).shuffle(order)
    x = np.empty(len(texts), dtype=object)
    x[:] = texts
    x, y = x[order], np.asarray(labels, dtype=np.int64)[order]
    cut = int(len(x) * (1 - test_split))
    return (x[:cut], y[:cut]), (x[cut:], y[cut:])


def get_label_names(categories: str | Iterable[str] = DEFAULT_CATEGORIES) -> tuple[str, ...]:
    """The topic names, indexed by label, for the same ``categories`` given to ``load_data``."""
    return _categories(categories)
