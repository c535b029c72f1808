"""``keras.utils.text_dataset_from_directory``: labelled texts from one folder per class."""
from __future__ import annotations

import os
from typing import Any

import numpy as np


def text_dataset_from_directory(directory: str, labels: Any = "inferred", label_mode: str | None = "int",
                                class_names: Any = None, batch_size: int | None = 32, max_length: int | None = None,
                                shuffle: bool = True, seed: int | None = None, validation_split: float | None = None,
                                subset: str | None = None, follow_links: bool = False, verbose: bool = True) -> Any:
    """Batches of ``(texts, labels)`` from ``directory/<class name>/*.txt`` (Keras' layout and rules).

    Classes are the subfolder names in alphanumeric order (or ``class_names``); ``labels`` may also be None (texts
    only) or one label per file, in the sorted order of the file paths. ``label_mode``: "int", "categorical"
    (one-hot), "binary" (float, two classes) or None. With ``shuffle`` the files are shuffled once with ``seed``
    (then the last ``validation_split`` of them is the "validation" subset; "both" returns the two), and the
    training elements are reshuffled every epoch (a buffer of ``8 * batch_size``, as Keras). ``max_length``
    truncates each text to that many bytes.

    Returns a ``tf.data.Dataset`` of batches (of elements when ``batch_size`` is None) with ``class_names`` and
    ``file_paths`` attributes.

    Example:
        >>> train = text_dataset_from_directory("reviews/train", batch_size=32)  # doctest: +SKIP
        >>> train.class_names  # doctest: +SKIP
        ['neg', 'pos']
    """
    if labels not in ("inferred", None) and not isinstance(labels, (list, tuple)):
        raise ValueError(f"text_dataset_from_directory: `labels` must be 'inferred', None, or a list/tuple of "
                         f"labels. Received: labels={labels!r}")
    if label_mode not in ("int", "categorical", "binary", None):
        raise ValueError(f"text_dataset_from_directory: `label_mode` must be 'int', 'categorical', 'binary' or "
                         f"None. Received: label_mode={label_mode!r}")
    if labels is None or label_mode is None:
        labels, label_mode = None, None
    if validation_split is not None and not 0 < validation_split < 1:
        raise ValueError(f"text_dataset_from_directory: `validation_split` must be in (0, 1). Received: "
                         f"{validation_split}")
    if (validation_split is None) != (subset is None):
        raise ValueError("text_dataset_from_directory: `validation_split` and `subset` must be given together")
    if subset not in (None, "training", "validation", "both"):
        raise ValueError(f"text_dataset_from_directory: `subset` must be 'training', 'validation' or 'both'. "
                         f"Received: subset={subset!r}")
    if validation_split and shuffle and seed is None:
        raise ValueError("text_dataset_from_directory: with `validation_split` and `shuffle`, give a `seed` so that "
                         "the training and validation subsets do not overlap")
    if seed is None:
        seed = int(np.random.randint(1_000_000))
    paths, label_ids, names = _index(directory, labels, class_names, follow_links)
    if verbose:
        print(f"Found {len(paths)} files" + (f" belonging to {len(names)} classes." if labels is not None else "."))
    if label_mode == "binary" and len(names) != 2:
        raise ValueError(f'text_dataset_from_directory: label_mode="binary" needs 2 classes; found {len(names)}: '
                         f"{names}")
    if shuffle:  # the same permutation of paths and labels
        np.random.RandomState(seed).shuffle(paths)
        np.random.RandomState(seed).shuffle(label_ids)
    splits = _split(len(paths), validation_split, subset)
    results = []
    for which, (start, stop) in splits:
        if verbose and validation_split:
            print(f"Using {stop - start} files for {which}.")
        part_paths = paths[start:stop]
        texts = np.empty(len(part_paths), dtype=object)
        texts[:] = [_read(p, max_length) for p in part_paths]
        elements: tuple[np.ndarray, ...] = (texts,)
        if label_mode is not None:
            elements += (_encode(np.asarray(label_ids[start:stop], dtype=np.int64), label_mode, len(names)),)
        results.append(_dataset(elements, batch_size, shuffle and which == "training", seed, list(names),
                                list(part_paths)))
    return results[0] if len(results) == 1 else results


def _dataset(elements: tuple[np.ndarray, ...], batch_size: int | None, shuffle: bool, seed: int,
             class_names: list[str], file_paths: list[str]) -> Any:
    from tensorlet.data import Dataset

    ds = Dataset.from_tensor_slices(elements if len(elements) > 1 else elements[0])
    if shuffle:
        ds = ds.shuffle(buffer_size=8 * batch_size if batch_size else 1024, seed=seed)
    if batch_size is not None:
        ds = ds.batch(batch_size)
    ds.class_names, ds.file_paths = class_names, file_paths
    return ds


def _index(directory: str, labels: Any, class_names: Any, follow_links: bool) -> tuple[list[str], list[int],
                                                                                          list[str]]:
    if not os.path.isdir(directory):
        raise ValueError(f"text_dataset_from_directory: {directory!r} is not a directory")
    subdirs = sorted(d for d in os.listdir(directory) if os.path.isdir(os.path.join(directory, d)))
    if labels == "inferred":
        if class_names is not None:
            if sorted(class_names) != sorted(subdirs) and set(class_names) - set(subdirs):
                raise ValueError(f"text_dataset_from_directory: `class_names` {list(class_names)} do not match the "
                                 f"subdirectories of {directory!r}: {subdirs}")
            subdirs = list(class_names)
        paths, ids = [], []
        for k, name in enumerate(subdirs):
            found = _text_files(os.path.join(directory, name), follow_links)
            paths += found
            ids += [k] * len(found)
        return paths, ids, subdirs
    paths = _text_files(directory, follow_links)
    if labels is None:
        return paths, [0] * len(paths), []
    if len(labels) != len(paths):
        raise ValueError(f"text_dataset_from_directory: {len(labels)} labels given for {len(paths)} .txt files in "
                         f"{directory!r}")
    names = [str(c) for c in (class_names or sorted({int(v) for v in labels}))]
    return paths, [int(v) for v in labels], names


def _text_files(folder: str, follow_links: bool) -> list[str]:
    out = []
    for root, _, files in sorted(os.walk(folder, followlinks=follow_links)):
        out += [os.path.join(root, f) for f in sorted(files) if f.lower().endswith(".txt")]
    return sorted(out)


def _read(path: str, max_length: int | None) -> bytes:
    with open(path, "rb") as f:
        data = f.read()
    return data[:max_length] if max_length is not None else data


def _split(n: int, validation_split: float | None, subset: str | None) -> list[tuple[str, tuple[int, int]]]:
    if not validation_split:
        return [("training", (0, n))]
    n_val = int(validation_split * n)
    parts = {"training": ("training", (0, n - n_val)), "validation": ("validation", (n - n_val, n))}
    return [parts["training"], parts["validation"]] if subset == "both" else [parts[str(subset)]]


def _encode(ids: np.ndarray, mode: str, n_classes: int) -> np.ndarray:
    if mode == "int":
        return ids.astype(np.int32)
    if mode == "binary":
        return ids.astype(np.float32).reshape(-1, 1)
    return np.eye(n_classes, dtype=np.float32)[ids]
