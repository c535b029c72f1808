"""The file listing and splitting rules of Keras' ``*_dataset_from_directory`` loaders.

Classes are the subfolders in sorted order (hidden ones skipped), or those named by ``class_names``; files are
listed per class, folders walked in sorted order and files sorted within each; with ``shuffle`` the list is
permuted once by ``np.random.RandomState(seed)`` (paths and labels alike), and ``validation_split`` takes the last
``int(split * n)`` files for validation. A given seed therefore gives the same files in the same subsets as Keras.
"""
from __future__ import annotations

import os
from typing import Any

import numpy as np


def check_validation_split_arg(validation_split: Any, subset: Any, shuffle: bool, seed: Any) -> None:
    if validation_split and not 0 < validation_split < 1:
        raise ValueError(f"`validation_split` must be between 0 and 1, received: {validation_split}")
    if (validation_split or subset) and not (validation_split and subset):
        raise ValueError("If `subset` is set, `validation_split` must be set, and inversely.")
    if subset not in ("training", "validation", "both", None):
        raise ValueError(f'`subset` must be either "training", "validation" or "both", received: {subset}')
    if validation_split and shuffle and seed is None:
        raise ValueError("If using `validation_split` and shuffling the data, you must provide a `seed` argument, to "
                         "make sure that there is no overlap between the training and validation subset.")


def _class_folders(directory: str, class_names: Any) -> tuple[list[str], list[str]]:
    """(folders to index, class names in label order)."""
    subdirs = [d.rstrip("/") for d in sorted(os.listdir(directory))
               if os.path.isdir(os.path.join(directory, d)) and not d.startswith(".")]
    if class_names is None:
        return subdirs, subdirs
    names = list(class_names)
    if sorted(names) == subdirs:  # every folder, in an order of the caller's: Keras 2 lists folders sorted
        return subdirs, names
    if not set(names) <= set(subdirs):
        raise ValueError(f"The `class_names` passed did not match the names of the subdirectories of the target "
                         f"directory. Expected: {subdirs} (or a subset of it), but received: class_names={names}")
    return names, names  # a subset (Keras 3): only those folders, in the given order


def _files_below(folder: str, formats: tuple[str, ...], follow_links: bool) -> list[str]:
    found = []
    for root, _, files in sorted(os.walk(folder, followlinks=follow_links), key=lambda walked: walked[0]):
        found += [os.path.join(root, f) for f in sorted(files) if f.lower().endswith(formats)]
    return found


def index_directory(directory: str, labels: Any, formats: tuple[str, ...], class_names: Any = None,
                    shuffle: bool = True, seed: Any = None, follow_links: bool = False, verbose: bool = True
                    ) -> tuple[list[str], np.ndarray | None, list[Any] | None]:
    """(file paths, labels, class names) for a directory, in Keras' order (shuffled once if ``shuffle``)."""
    if not os.path.isdir(directory):
        raise ValueError(f"The directory {directory!r} does not exist or is not a directory")
    if labels == "inferred":
        folders, names = _class_folders(directory, class_names)
        index = {name: k for k, name in enumerate(names)}
        paths: list[str] = []
        ids: list[int] = []
        for folder in folders:
            found = _files_below(os.path.join(directory, folder), formats, follow_links)
            paths += found
            ids += [index[folder]] * len(found)
        label_array: np.ndarray | None = np.asarray(ids, dtype="int32")
        out_names: list[Any] = names
    else:
        if class_names is not None:
            raise ValueError("You can only pass `class_names` if `labels='inferred'`: with given labels the class "
                             f"names are the sorted labels, and without labels there are none. Received: "
                             f"labels={labels!r}, class_names={class_names!r}")
        paths = _files_below(directory, formats, follow_links)
        if labels is None:  # tf.keras 2 reports the one unnamed "class" of the whole folder (Keras 3: None)
            label_array, out_names = None, [""]
        else:
            if len(labels) != len(paths):
                raise ValueError(f"Expected the lengths of `labels` to match the number of files in the target "
                                 f"directory. len(labels) is {len(labels)} while we found {len(paths)} files in "
                                 f"directory {directory}.")
            label_array = np.asarray(labels)
            out_names = sorted(set(np.asarray(labels).tolist()))
    if verbose:
        print(f"Found {len(paths)} files belonging to {len(out_names)} classes." if label_array is not None
              else f"Found {len(paths)} files.")
    if shuffle:
        seed = int(np.random.randint(10**6)) if seed is None else seed
        np.random.RandomState(seed).shuffle(paths)
        if label_array is not None:
            np.random.RandomState(seed).shuffle(label_array)
    return paths, label_array, out_names


def training_or_validation_split(samples: list[Any], labels: Any, validation_split: Any, subset: str | None,
                                 verbose: bool = True) -> tuple[list[Any], Any]:
    """The training part (all but the last ``int(split * n)``) or the validation part (those last ones)."""
    if not validation_split:
        return samples, labels
    n_val = int(validation_split * len(samples))
    # Python's slices as Keras writes them: samples[:-n] and samples[-n:] (with n = 0 the training part is empty)
    if subset == "training":
        if verbose:
            print(f"Using {len(samples) - n_val} files for training.")
        return samples[:-n_val], (labels[:-n_val] if labels is not None else None)
    if subset == "validation":
        if verbose:
            print(f"Using {n_val} files for validation.")
        return samples[-n_val:], (labels[-n_val:] if labels is not None else None)
    raise ValueError(f'`subset` must be either "training" or "validation", received: {subset}')
