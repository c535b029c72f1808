"""Inspecting checkpoint files: ``tf.train.load_checkpoint``, ``list_variables`` and ``load_variable``.

A checkpoint holds values by key (the object path of each variable, ``net/l1/kernel/.ATTRIBUTES/VARIABLE_VALUE``)
and the object graph; ``_CHECKPOINTABLE_OBJECT_GRAPH`` is listed as TensorFlow lists it, its value being the
graph as JSON bytes.
"""
from __future__ import annotations

import os
from typing import Any

from tensorlet import dtypes
from tensorlet.checkpoint import bundle, state_file


def checkpoint_prefix(ckpt_dir_or_file: Any) -> str:
    """A checkpoint prefix, or the newest one of a directory.

    Raises:
        ValueError: for a directory without checkpoints.
    """
    path = os.fspath(ckpt_dir_or_file)
    if os.path.isdir(path):
        latest = state_file.latest_checkpoint(path)
        if latest is None:
            raise ValueError(f"Couldn't find 'checkpoint' file or checkpoints in given directory {path}")
        return latest
    if path.endswith(".index") and bundle.exists(path[: -len(".index")]):
        return path[: -len(".index")]
    return path


class CheckpointReader:
    """Keys, shapes, dtypes and values of one checkpoint (``tf.train.load_checkpoint``)."""

    def __init__(self, prefix: str) -> None:
        self._bundle = bundle.BundleReader(prefix)

    def get_variable_to_shape_map(self) -> dict[str, list[int]]:
        out = {key: self._bundle.shape(key) for key in self._bundle.keys()}
        out[bundle.GRAPH_KEY] = []
        return out

    def get_variable_to_dtype_map(self) -> dict[str, Any]:
        out = {key: self._bundle.dtype(key) for key in self._bundle.keys()}
        out[bundle.GRAPH_KEY] = dtypes.string
        return out

    def has_tensor(self, key: str) -> bool:
        return key == bundle.GRAPH_KEY or self._bundle.has(key)

    def get_tensor(self, key: str) -> Any:
        """The value under ``key`` as a NumPy array (the object graph as JSON bytes).

        Raises:
            NotFoundError: for a key the checkpoint does not hold.
        """
        if key == bundle.GRAPH_KEY:
            return self._bundle.graph_json
        return self._bundle.get(key)

    def debug_string(self) -> bytes:
        lines = [f"{k} ({self._bundle.dtype(k).name}) {self._bundle.shape(k)}" for k in sorted(self._bundle.keys())]
        return ("\n".join(lines) + "\n").encode("utf-8")


def load_checkpoint(ckpt_dir_or_file: Any) -> CheckpointReader:
    """A ``CheckpointReader`` for a checkpoint prefix, or for the newest checkpoint of a directory."""
    return CheckpointReader(checkpoint_prefix(ckpt_dir_or_file))


def list_variables(ckpt_dir_or_file: Any) -> list[tuple[str, list[int]]]:
    """``[(key, shape), ...]`` of every value in a checkpoint, sorted by key.

    Example:
        >>> import tempfile, os
        >>> import tensorlet as tf
        >>> prefix = tf.train.Checkpoint(w=tf.Variable([1.0, 2.0])).write(os.path.join(tempfile.mkdtemp(), "c"))
        >>> tf.train.list_variables(prefix)
        [('_CHECKPOINTABLE_OBJECT_GRAPH', []), ('w/.ATTRIBUTES/VARIABLE_VALUE', [2])]
    """
    shapes = load_checkpoint(ckpt_dir_or_file).get_variable_to_shape_map()
    return sorted(shapes.items())


def load_variable(ckpt_dir_or_file: Any, name: str) -> Any:
    """The value stored under ``name`` (a ``:0`` suffix is ignored), as a NumPy array."""
    if name.endswith(":0"):
        name = name[:-2]
    return load_checkpoint(ckpt_dir_or_file).get_tensor(name)
