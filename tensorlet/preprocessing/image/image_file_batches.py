"""ImageFileBatches: batches of image files decoded on demand, the stand-in for the ``tf.data.Dataset`` that
``image_dataset_from_directory`` returns until tensorlet has tf.data.

Each batch loads its files with the dataset's load function (``tf.io.read_file``, ``tf.image.decode_image`` and a
resize) on a pool of threads (Pillow's decoders and NumPy release the GIL), and the next batch is loaded while
the current one is used. It is a Keras Sequence (``len`` batches, ``data[i]``, ``on_epoch_end`` reshuffles), so
``fit``/``evaluate``/``predict`` read it, and iterating gives ``(images, labels)`` Tensors (or images). The Dataset
methods course code chains on the loader work: ``take``, ``skip``, ``map``, ``cache`` (decoded images kept in
memory), ``prefetch``, ``shuffle``, ``batch``, ``unbatch``, ``as_numpy_iterator``.
"""
from __future__ import annotations

import concurrent.futures
import os
import threading
from typing import Any, Callable, Iterator

import numpy as np

from tensorlet.autodiff.tensor import Tensor, _wrap

_POOL: concurrent.futures.ThreadPoolExecutor | None = None
_POOL_LOCK = threading.Lock()


def _pool() -> concurrent.futures.ThreadPoolExecutor:
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            _POOL = concurrent.futures.ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 2),
                                                          thread_name_prefix="tensorlet-images")
    return _POOL


def _array(x: Any) -> np.ndarray:
    return np.asarray(x.numpy() if isinstance(x, Tensor) else x)


class ImageFileBatches:
    """Batches of ``(load(path), label)`` over ``paths`` (labels already encoded, or None)."""

    def __init__(self, paths: list[str], labels: np.ndarray | None, load: Callable[[str], Any],
                 batch_size: int | None, shuffle: bool = False, seed: int | None = None, **attributes: Any) -> None:
        self.paths, self.labels_array, self.load = list(paths), labels, load
        self.batch_size = None if batch_size is None else int(batch_size)
        self.shuffle_each_epoch = shuffle
        self._rng = np.random.RandomState(seed)
        self._order = self._rng.permutation(len(self.paths)) if shuffle else np.arange(len(self.paths))
        self._transforms: list[Callable[..., Any]] = []
        self._range: tuple[int, int | None] = (0, None)
        self._cache: dict[int, np.ndarray] | None = None
        self._iterated = False
        self._attributes = attributes  # class_names, file_paths
        for key, value in attributes.items():
            setattr(self, key, value)

    # -- elements and batches --------------------------------------------------------------------------
    def _total(self) -> int:
        n = len(self.paths)
        return -(-n // self.batch_size) if self.batch_size else n

    def __len__(self) -> int:
        start, stop = self._range
        total = self._total()
        return max(0, (total if stop is None else min(stop, total)) - start)

    def _image(self, k: int) -> np.ndarray:
        if self._cache is not None and k in self._cache:
            return self._cache[k]
        image = _array(self.load(self.paths[k]))
        if self._cache is not None:
            self._cache[k] = image
        return image

    def _indices(self, i: int) -> np.ndarray:
        if not 0 <= i < len(self):
            raise IndexError(f"batch index {i} out of range for {len(self)} batches")
        k = self._range[0] + i
        if self.batch_size:
            return self._order[k * self.batch_size:(k + 1) * self.batch_size]
        return self._order[k:k + 1]

    def _assemble(self, idx: np.ndarray, images: list[np.ndarray]) -> Any:
        x = np.stack(images) if self.batch_size else images[0]
        parts: tuple[Any, ...] = (_wrap(x),)
        if self.labels_array is not None:
            y = self.labels_array[idx] if self.batch_size else self.labels_array[idx[0]]
            parts += (_wrap(np.asarray(y)),)
        item = parts if len(parts) > 1 else parts[0]
        for fn in self._transforms:
            item = fn(*item) if isinstance(item, tuple) else fn(item)
        return item

    def _submit(self, i: int) -> tuple[np.ndarray, list[Any]]:
        idx = self._indices(i)
        pool = _pool()
        return idx, [pool.submit(self._image, int(k)) for k in idx]

    def __getitem__(self, i: int) -> Any:
        idx, futures = self._submit(i)
        return self._assemble(idx, [f.result() for f in futures])

    def on_epoch_end(self) -> None:
        if self.shuffle_each_epoch:
            self._order = self._rng.permutation(len(self.paths))

    def __iter__(self) -> Iterator[Any]:
        if self._iterated:  # each new pass is a new epoch (a Dataset reshuffles per iteration)
            self.on_epoch_end()
        self._iterated = True
        n = len(self)
        pending = self._submit(0) if n else None
        for i in range(n):
            assert pending is not None
            idx, futures = pending
            pending = self._submit(i + 1) if i + 1 < n else None  # the next batch decodes meanwhile
            yield self._assemble(idx, [f.result() for f in futures])

    # -- the Dataset methods course code chains ----------------------------------------------------------
    def _copy(self) -> ImageFileBatches:
        out = ImageFileBatches.__new__(ImageFileBatches)
        out.__dict__.update(self.__dict__)
        out._transforms = list(self._transforms)
        out._order = self._order.copy()
        return out

    def take(self, count: int) -> ImageFileBatches:
        out = self._copy()
        start, stop = self._range
        if count >= 0:
            end = start + int(count)
            out._range = (start, end if stop is None else min(stop, end))
        return out

    def skip(self, count: int) -> ImageFileBatches:
        out = self._copy()
        start, stop = self._range
        out._range = (start + max(0, int(count)), stop)
        return out

    def map(self, map_func: Callable[..., Any], num_parallel_calls: Any = None, deterministic: Any = None,
            name: Any = None) -> ImageFileBatches:
        out = self._copy()
        out._transforms.append(map_func)
        return out

    def cache(self, filename: str = "", name: Any = None) -> ImageFileBatches:
        """Keep decoded images in memory after their first load (``filename`` is ignored: memory only)."""
        out = self._copy()
        out._cache = self._cache if self._cache is not None else {}
        return out

    def prefetch(self, buffer_size: Any = None, name: Any = None) -> ImageFileBatches:
        return self  # iteration always decodes one batch ahead

    def shuffle(self, buffer_size: int, seed: int | None = None, reshuffle_each_iteration: Any = None,
                name: Any = None) -> ImageFileBatches:
        out = self._copy()
        out.shuffle_each_epoch = reshuffle_each_iteration is not False
        out._rng = np.random.RandomState(seed)
        out._order = out._rng.permutation(len(self.paths))
        return out

    def batch(self, batch_size: int, drop_remainder: bool = False, num_parallel_calls: Any = None,
              deterministic: Any = None, name: Any = None) -> ImageFileBatches:
        if self.batch_size or self._transforms:
            raise ValueError("ImageFileBatches.batch: only the unbatched images (batch_size=None, before any map) can "
                             "be batched again")
        out = self._copy()
        out.batch_size = int(batch_size)
        return out

    def unbatch(self, name: Any = None) -> ImageFileBatches:
        if self._transforms:
            raise ValueError("ImageFileBatches.unbatch: unbatch before map")
        out = self._copy()
        out.batch_size = None
        out._range = (0, None)
        return out

    def as_numpy_iterator(self) -> Iterator[Any]:
        for item in self:
            yield tuple(_array(p) for p in item) if isinstance(item, tuple) else _array(item)

    def __repr__(self) -> str:
        what = "images and labels" if self.labels_array is not None else "images"
        return f"<ImageFileBatches: {len(self)} batches of {self.batch_size} {what}>"
