"""Pretrained weights: Keras' official ImageNet files, fetched and verified like the datasets, or a local file.

The official files are the ones Keras downloads (same URLs, same published checksums, recorded in each family's
module). They are Keras 2 HDF5 weight files: a ``layer_names`` list and one group per layer, matched to the
model's layers that hold weights by position (saving/legacy_h5.py reads them). They are fetched with
``get_file`` into ``~/.tensorlet/models`` (a copy already in ``~/.keras/models`` is reused when it verifies);
``$TENSORLET_DATASETS_MIRROR`` may point at a folder or URL holding them (a ``models/`` subfolder is looked in
first). Offline, the error names the file, its checksum and where to put it.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from tensorlet.utils.file_utils import DatasetUnavailableError, get_file

KERAS_APPLICATIONS = "https://storage.googleapis.com/tensorflow/keras-applications/"


@dataclass(frozen=True)
class WeightFile:
    """One official weights file: its name in the cache, its URL, and Keras' checksum (md5 or sha256; None where
    Keras publishes none, as for MobileNet v1 and v2)."""

    fname: str
    origin: str
    file_hash: str | None = None


def official(fname: str, folder: str, file_hash: str | None, base: str = KERAS_APPLICATIONS) -> WeightFile:
    """The file ``fname`` in ``<base><folder>/`` (the layout of Keras' storage bucket)."""
    return WeightFile(fname, f"{base}{folder}/{fname}" if folder else f"{base}{fname}", file_hash)


def check_arguments(weights: Any, include_top: bool, classes: int) -> None:
    """Keras' two rules: ``weights`` is None, "imagenet" or an existing file; ImageNet weights with the classifier
    top need 1000 classes."""
    if not (weights in (None, "imagenet") or (isinstance(weights, (str, os.PathLike)) and os.path.exists(weights))):
        raise ValueError("The `weights` argument should be either `None` (random initialization), 'imagenet' "
                         f"(pre-training on ImageNet), or the path to the weights file to be loaded. Received: "
                         f"weights={weights!r}")
    if weights == "imagenet" and include_top and classes != 1000:
        raise ValueError(f"If using `weights='imagenet'` with `include_top=True`, `classes` should be 1000. "
                         f"Received: classes={classes}")


def fetch(file: WeightFile) -> str:
    """The local path of a verified copy of an official weights file (downloaded once)."""
    try:
        return get_file(file.fname, file.origin, cache_subdir="models", file_hash=file.file_hash)
    except DatasetUnavailableError as e:
        raise DatasetUnavailableError(f"The ImageNet weights {file.fname!r} are not available (no network, or the "
                                      f"download failed).\n{e}") from None


def load(model: Any, weights: Any, file: WeightFile | None) -> Any:
    """Load ``weights`` into ``model``: the official ``file`` for "imagenet", a local file for a path."""
    if weights == "imagenet":
        if file is None:
            raise ValueError(f'Model "{model.name}": Keras publishes no ImageNet weights for this configuration')
        model.load_weights(fetch(file))
    elif weights is not None:
        model.load_weights(os.fspath(weights))
    return model
