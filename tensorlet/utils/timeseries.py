"""``keras.utils.timeseries_dataset_from_array``: batches of sliding windows over a time series, as a Dataset.

Window ``i`` starts at ``start_index + p_i`` (``p_i = i * sequence_stride``) and holds ``sequence_length`` steps
taken every ``sampling_rate``; its target, when ``targets`` is given, is ``targets[start_index + p_i]`` (the
target of the window's first step: slice the targets to shift them). With ``shuffle``, the window order is
shuffled once with ``seed``, and each pass shuffles again locally (a buffer of ``8 * batch_size`` windows), as in
Keras.
"""
from __future__ import annotations

from typing import Any

import numpy as np


def _array(x: Any) -> np.ndarray:
    if hasattr(x, "numpy"):
        return np.asarray(x.numpy())
    if hasattr(x, "to_numpy"):
        return np.asarray(x.to_numpy())
    return np.asarray(x)


def _check(data: np.ndarray, sequence_stride: int, sampling_rate: int, start_index: Any, end_index: Any) -> None:
    n = len(data)
    if start_index:
        if start_index < 0:
            raise ValueError(f"`start_index` must be 0 or greater. Received: start_index={start_index}")
        if start_index >= n:
            raise ValueError(f"`start_index` must be lower than the length of the data. Received: "
                             f"start_index={start_index}, for data of length {n}")
    if end_index:
        if start_index and end_index <= start_index:
            raise ValueError(f"`end_index` must be higher than `start_index`. Received: start_index={start_index}, "
                             f"and end_index={end_index} ")
        if end_index >= n:
            raise ValueError(f"`end_index` must be lower than the length of the data. Received: "
                             f"end_index={end_index}, for data of length {n}")
        if end_index <= 0:
            raise ValueError(f"`end_index` must be higher than 0. Received: end_index={end_index}")
    for name, value in (("sampling_rate", sampling_rate), ("sequence_stride", sequence_stride)):
        if value <= 0:
            raise ValueError(f"`{name}` must be higher than 0. Received: {name}={value}")
        if value >= n:
            raise ValueError(f"`{name}` must be lower than the length of the data. Received: {name}={value}, for "
                             f"data of length {n}")


def timeseries_dataset_from_array(data: Any, targets: Any, sequence_length: int, sequence_stride: int = 1,
                                  sampling_rate: int = 1, batch_size: int | None = 128, shuffle: bool = False,
                                  seed: int | None = None, start_index: int | None = None,
                                  end_index: int | None = None) -> Any:
    """A Dataset of ``(windows, targets)`` batches (just windows when ``targets`` is None).

    Example:
        >>> import numpy as np, tensorlet as tf
        >>> ds = tf.keras.utils.timeseries_dataset_from_array(np.arange(10), None, sequence_length=4,
        ...                                                   sequence_stride=3, batch_size=2)
        >>> [b.numpy().tolist() for b in ds]
        [[[0, 1, 2, 3], [3, 4, 5, 6]], [[6, 7, 8, 9]]]
    """
    import tensorlet as tf

    data = _array(data)
    _check(data, int(sequence_stride), int(sampling_rate), start_index, end_index)
    start = 0 if start_index is None else int(start_index)
    stop = len(data) if end_index is None else int(end_index)
    steps = data[start:stop]
    num_seqs = stop - start - (int(sequence_length) - 1) * int(sampling_rate)
    target_steps = None
    if targets is not None:
        target_steps = _array(targets)[start:stop]
        num_seqs = min(num_seqs, len(_array(targets)))
    positions = np.arange(0, max(num_seqs, 0), int(sequence_stride), dtype=np.int64)
    if shuffle:
        if seed is None:
            seed = int(np.random.randint(1_000_000))
        np.random.RandomState(seed).shuffle(positions)
    offsets = np.arange(int(sequence_length), dtype=np.int64) * int(sampling_rate)
    steps_t = tf.constant(steps)
    windows = tf.data.Dataset.from_tensor_slices(positions)
    if shuffle:
        windows = windows.shuffle(8 * batch_size if batch_size else 1024, seed=seed)
    if batch_size is not None:
        windows = windows.batch(int(batch_size))

    # the positions are in range by construction; the clip only keeps the map's example inputs (which it is
    # traced on) in range too, so that the trace succeeds and the map replays one plan per batch
    last, last_target = max(len(steps) - 1, 0), max(len(target_steps) - 1 if target_steps is not None else 0, 0)

    def windows_at(p: Any) -> Any:
        return tf.gather(steps_t, tf.minimum(tf.expand_dims(p, -1) + offsets, last))

    if target_steps is None:
        gather = windows_at
    else:
        targets_t = tf.constant(target_steps)

        def gather(p: Any) -> Any:
            return windows_at(p), tf.gather(targets_t, tf.minimum(p, last_target))
    return windows.map(gather).prefetch(tf.data.AUTOTUNE)
