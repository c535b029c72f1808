"""``keras.utils.split_dataset``: a dataset (or arrays) cut in two datasets, e.g. train and test.

Sizes follow Keras: a float is a fraction of the elements (rounded), an int a count, None the complement of the
other side; the left split takes the first elements and the right split the last ones, after a shuffle with
``seed`` when asked. A batched dataset is split element by element and both splits batched again the same way.
The dataset is read once, whole, into memory.
"""
from __future__ import annotations

import random
from typing import Any

import numpy as np

from tensorlet import tree


def _sizes(left: Any, right: Any, total: int) -> tuple[int, int]:
    kinds = (int, float)
    if left is not None and type(left) not in kinds and right is not None and type(right) not in kinds:
        raise TypeError(f"Invalid `left_size` and `right_size` Types. Expected: integer or float or None, "
                        f"Received: type(left_size)={type(left)} and type(right_size)={type(right)}")
    for name, value in (("left_size", left), ("right_size", right)):
        if value is not None and type(value) not in kinds:
            raise TypeError(f"Invalid `{name}` Type. Expected: int or float or None, Received: "
                            f"type({name})={type(value)}.")
    if left == 0 and right == 0:
        raise ValueError("Both `left_size` and `right_size` are zero. At least one of the split sizes must be "
                         "non-zero.")
    for name, value in (("left_size", left), ("right_size", right)):
        if (type(value) is int and (value <= 0 or value >= total)) or \
                (type(value) is float and (value <= 0 or value >= 1)):
            raise ValueError(f"`{name}` should be either a positive integer smaller than {total}, or a float "
                             f"within the range `[0, 1]`. Received: {name}={value}")
    if type(left) is float and type(right) is float and left + right > 1:
        raise ValueError("The sum of `left_size` and `right_size` is greater than 1. It must be less than or equal "
                         "to 1.")
    n_left = round(left * total) if type(left) is float else left
    n_right = round(right * total) if type(right) is float else right
    if n_left is None:
        n_left = total - n_right
    elif n_right is None:
        n_right = total - n_left
    if n_left + n_right > total:
        raise ValueError(f"The sum of `left_size` and `right_size` should be smaller than the {total}. Received: "
                         f"left_size + right_size = {n_left + n_right}and total_length = {total}")
    for n, side in ((n_left, "left"), (n_right, "right")):
        if n == 0:
            raise ValueError(f"With `dataset` of length={total}, `left_size`={n_left} and `right_size`={n_right}."
                             f"Resulting {side} side dataset split will be empty. Adjust any of the aforementioned "
                             "parameters")
    return int(n_left), int(n_right)


def split_dataset(dataset: Any, left_size: Any = None, right_size: Any = None, shuffle: bool = False,
                  seed: int | None = None) -> tuple[Any, Any]:
    """``(left, right)`` Datasets from a Dataset, a NumPy array, or a list/tuple of arrays of one length.

    Example:
        >>> import numpy as np, tensorlet as tf
        >>> left, right = tf.keras.utils.split_dataset(np.arange(10), left_size=0.8)
        >>> len(left), len(right)
        (8, 2)
    """
    from tensorlet.data.batching import BatchDataset
    from tensorlet.data.dataset import Dataset

    if right_size is None and left_size is None:
        raise ValueError("At least one of the `left_size` or `right_size` must be specified. Received: "
                         "left_size=None and right_size=None")
    batch_size = None
    if isinstance(dataset, Dataset):
        if dataset._cardinality() == -1:
            raise ValueError("split_dataset: the dataset is infinite (repeat()); it must be finite to be split")
        if isinstance(dataset, BatchDataset):
            batch_size = dataset._size
            dataset = dataset.unbatch()
        elements = [tree.map_structure(np.asarray, e) for e in dataset.as_numpy_iterator()]
        structure = dataset.element_spec
    elif isinstance(dataset, (list, tuple)):
        arrays = [np.asarray(a) for a in dataset]
        if len({len(a) for a in arrays}) > 1:
            raise ValueError(f"split_dataset: the arrays must have the same length, got {[len(a) for a in arrays]}")
        elements = [tuple(a[i] for a in arrays) for i in range(len(arrays[0]))] if arrays else []
        structure = tuple(arrays)
    elif isinstance(dataset, np.ndarray):
        elements = list(dataset)
        structure = dataset
    else:
        raise TypeError("The `dataset` argument must be either a `tf.data.Dataset` object or a list/tuple of "
                        f"arrays. Received: dataset={dataset} of type {type(dataset)}")
    if shuffle:
        random.Random(random.randint(0, 10**6) if seed is None else seed).shuffle(elements)
    n_left, n_right = _sizes(left_size, right_size, len(elements))
    splits = []
    for part in (elements[:n_left], elements[len(elements) - n_right:]):
        stacked = tree.map_structure(lambda *leaves: np.stack(leaves), *part) if tree.is_nested(structure) \
            else np.stack(part)
        ds = Dataset.from_tensor_slices(stacked)
        if batch_size is not None:
            ds = ds.batch(batch_size)
        splits.append(ds.prefetch(-1))
    return splits[0], splits[1]
