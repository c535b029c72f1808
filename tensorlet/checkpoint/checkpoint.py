"""``tf.train.Checkpoint``: save and restore the variables of a graph of objects (models, layers, optimizers,
``tf.Variable``s, ``tf.Module``s, and lists and dicts of them).

``save`` numbers checkpoints with ``save_counter`` and records the newest in the directory's ``checkpoint`` file;
``write`` writes exactly the prefix it is given. ``restore`` and ``read`` match the saved object graph against the
live objects and restore at once what exists and the rest when it is created (``checkpoint.restore``). The files
and their content are described in ``checkpoint.bundle``.

Example:
    >>> import tempfile, os
    >>> import tensorlet as tf
    >>> folder = tempfile.mkdtemp()
    >>> ckpt = tf.train.Checkpoint(step=tf.Variable(3))
    >>> path = ckpt.save(os.path.join(folder, "ckpt"))
    >>> os.path.basename(path)
    'ckpt-1'
    >>> restored = tf.train.Checkpoint(step=tf.Variable(0))
    >>> status = restored.restore(path).assert_consumed()
    >>> int(restored.step)
    3
"""
from __future__ import annotations

import os
from typing import Any

import numpy as np

from tensorlet.autodiff.tensor import Variable
from tensorlet.checkpoint import bundle, graph, state_file
from tensorlet.checkpoint.restore import CheckpointLoadStatus, InitializationOnlyStatus, Restoration
from tensorlet.errors import NotFoundError
from tensorlet.name_scopes import name_scope
from tensorlet.trackable import deferred
from tensorlet.trackable.autotrackable import AutoTrackable


class CheckpointOptions:
    """Options of ``save``/``write``/``restore`` (``tf.train.CheckpointOptions``).

    tensorlet writes synchronously on the CPU, so ``experimental_io_device`` and asynchronous checkpointing
    (``enable_async``) are accepted and have no effect; ``experimental_skip_slot_variables`` leaves optimizer slots
    out of saves and restores; ``experimental_write_callbacks`` are called with the saved path after each write.
    """

    def __init__(self, experimental_io_device: Any = None, experimental_enable_async_checkpoint: bool = False,
                 experimental_write_callbacks: Any = None, enable_async: bool = False,
                 experimental_sharding_callback: Any = None, experimental_skip_slot_variables: bool = False) -> None:
        self.experimental_io_device = experimental_io_device
        self.experimental_enable_async_checkpoint = experimental_enable_async_checkpoint
        self.enable_async = enable_async
        self.experimental_write_callbacks = experimental_write_callbacks
        self.experimental_sharding_callback = experimental_sharding_callback
        self.experimental_skip_slot_variables = experimental_skip_slot_variables


class Checkpoint(AutoTrackable):
    """Groups trackable objects, saving and restoring their variables (``tf.train.Checkpoint``).

    Args:
        root: optional; an object whose own children are saved at the top of the checkpoint (as
            ``Model.save_weights`` does for a model).
        **kwargs: the objects to track, by name: models, layers, optimizers, ``tf.Variable``s, ``tf.Module``s,
            other checkpoints, and lists, tuples and dicts of them. Attributes set later are tracked too.

    Raises:
        ValueError: when a keyword argument is not trackable (named, with its type).
    """

    _TRACKING_IGNORED = AutoTrackable._TRACKING_IGNORED | {"_checkpoint_root_object", "_save_counter"}
    _checkpoint_root_object: Any  # both set past attribute tracking (object.__setattr__)
    _save_counter: Variable | None

    def __init__(self, root: Any = None, **kwargs: Any) -> None:
        if root is not None and not graph.is_trackable(root):
            raise ValueError(_untrackable("root", root))
        object.__setattr__(self, "_checkpoint_root_object", root)
        object.__setattr__(self, "_save_counter", None)
        for name, value in sorted(kwargs.items()):
            if not graph.is_trackable(value):
                raise ValueError(_untrackable(name, value))
            setattr(self, name, value)

    # -- what is tracked ----------------------------------------------------------------------------------
    @property
    def save_counter(self) -> Variable:
        """How many times ``save`` ran (an int64 variable, saved with the checkpoint; created on first use)."""
        counter = self._save_counter
        if counter is None:
            with name_scope(""):
                counter = Variable(np.int64(0), trainable=False, name="save_counter")
            object.__setattr__(self, "_save_counter", counter)
            deferred.notify(self)
        return counter

    def _checkpoint_children(self) -> list[tuple[str, Any]]:
        out = graph.attribute_children(self._tracked_attributes())
        if self._save_counter is not None:
            out.append(("save_counter", self._save_counter))
        root = self._checkpoint_root_object
        if root is not None:
            names = {name for name, _ in out}
            out += [(name, child) for name, child in graph.children(root) if name not in names]
        return out

    # -- writing ---------------------------------------------------------------------------------------------
    def write(self, file_prefix: Any, options: CheckpointOptions | None = None) -> str:
        """Write a checkpoint at exactly ``file_prefix`` (no numbering, no ``checkpoint`` file update).

        Returns:
            ``file_prefix``, the path to pass to ``read`` or ``restore``.
        """
        prefix = os.fspath(file_prefix)
        skip_slots = bool(options is not None and options.experimental_skip_slot_variables)
        g = graph.ObjectGraph(self, skip_slots=skip_slots)
        values = [(g.key(i), v._value) for i, v in g.variables()]
        bundle.write(prefix, values, g.to_json())
        for callback in (options.experimental_write_callbacks or []) if options is not None else []:
            callback(prefix)
        return prefix

    def save(self, file_prefix: Any, options: CheckpointOptions | None = None) -> str:
        """Increment ``save_counter``, write ``<file_prefix>-<save_counter>`` and name it the newest checkpoint in
        its directory's ``checkpoint`` file.

        Returns:
            The checkpoint's prefix, e.g. ``'./tf_ckpts/ckpt-1'``.
        """
        counter = self.save_counter
        counter.assign_add(1)
        path = self.write(f"{os.fspath(file_prefix)}-{int(counter.numpy())}", options=options)
        state_file.write_state(os.path.dirname(path), path, [path])
        return path

    # -- reading ---------------------------------------------------------------------------------------------
    def read(self, save_path: Any, options: CheckpointOptions | None = None) -> CheckpointLoadStatus:
        """Restore from the checkpoint at ``save_path`` (a prefix, as ``write`` and ``save`` return).

        Variables that exist are restored now; the others when they are created. Returns a status whose
        assertions say how well the checkpoint matched.
        """
        prefix = _resolve_prefix(os.fspath(save_path))
        reader = bundle.BundleReader(prefix)
        skip_slots = bool(options is not None and options.experimental_skip_slot_variables)
        return CheckpointLoadStatus(Restoration(reader, self, skip_slots=skip_slots))

    def restore(self, save_path: Any, options: CheckpointOptions | None = None) -> Any:
        """``read``, plus: ``save_path=None`` (no checkpoint yet, as ``manager.latest_checkpoint`` gives before
        the first save) restores nothing and returns a status whose assertions fail; a tensorlet SavedModel
        directory restores from its variables; ``save_counter`` is created (use ``read`` for checkpoints made by
        ``write``, which have none, as TensorFlow advises).
        """
        if save_path is None:
            return InitializationOnlyStatus()
        try:
            status = self.read(save_path, options=options)
        except NotFoundError as e:
            raise NotFoundError(f"Error when restoring from checkpoint or SavedModel at {os.fspath(save_path)}: {e}. "
                                "Please double-check that the path is correct. You may be missing the checkpoint "
                                "suffix (e.g. the '-1' in 'path/to/ckpt-1').") from None
        self.save_counter  # noqa: B018  (created now, so that the saved count is restored into it)
        return status

    def sync(self) -> None:
        """Nothing to wait for: tensorlet writes checkpoints synchronously."""

    def __repr__(self) -> str:
        names = [name for name, _ in self._checkpoint_children()]
        return f"<tf.train.Checkpoint tracking {names}>"


def _resolve_prefix(path: str) -> str:
    if path.endswith(".index") and bundle.exists(path[: -len(".index")]):
        return path[: -len(".index")]
    if os.path.isdir(path):
        variables = os.path.join(path, "variables", "variables")
        if bundle.exists(variables):
            return variables  # a SavedModel directory
        latest = state_file.latest_checkpoint(path)
        if latest is not None:
            raise ValueError(f"{path} is a directory of checkpoints; restore one of them by its prefix, e.g. "
                             f"tf.train.latest_checkpoint({path!r}) = {latest!r}")
    return path


def _untrackable(name: str, value: Any) -> str:
    return (f"tf.train.Checkpoint was expecting '{name}' to be a trackable object (a tf.Variable, tf.Module, Keras "
            "layer, model or optimizer, a tf.data iterator, another Checkpoint, or a list or dict of them), got "
            f"{type(value).__name__}: {str(value)[:80]}. tensorlet does not checkpoint other objects.")
