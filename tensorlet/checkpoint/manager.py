"""``tf.train.CheckpointManager``: numbered checkpoints in one directory, the newest ``max_to_keep`` kept.

Each ``save`` writes ``<directory>/<checkpoint_name>-<n>`` (``n`` is the checkpoint's ``save_counter`` or the
``checkpoint_number`` given), records it in the directory's ``checkpoint`` file, then deletes the oldest managed
checkpoints beyond ``max_to_keep``, except one every ``keep_checkpoint_every_n_hours``, which stays on disk but
leaves the managed list. A manager created on a directory that already has checkpoints picks them up, so training
resumes where it stopped (``restore_or_initialize``).
"""
from __future__ import annotations

import collections
import glob
import logging
import os
import time
from typing import Any, Callable

from tensorlet.checkpoint import bundle, state_file

_log = logging.getLogger("tensorflow")


def _as_int(x: Any) -> int:
    return int(x.numpy()) if hasattr(x, "numpy") else int(x)


class CheckpointManager:
    """Manages the checkpoints of one ``tf.train.Checkpoint`` in ``directory``.

    Args:
        checkpoint: the ``tf.train.Checkpoint`` to save and restore.
        directory: where checkpoints go (created on first save).
        max_to_keep: how many recent checkpoints to keep (None keeps all).
        keep_checkpoint_every_n_hours: also keep one checkpoint per this many hours out of those deleted.
        checkpoint_name: the prefix of the file names (``ckpt``).
        step_counter: a variable holding the training step (needed with ``checkpoint_interval``).
        checkpoint_interval: save only when ``step_counter`` moved by at least this many steps since the last save.
        init_fn: called by ``restore_or_initialize`` when there is no checkpoint to restore.

    Raises:
        ValueError: when ``max_to_keep`` is not positive, or ``checkpoint_interval`` is given without
            ``step_counter``.
    """

    def __init__(self, checkpoint: Any, directory: Any, max_to_keep: int | None,
                 keep_checkpoint_every_n_hours: float | None = None, checkpoint_name: str = "ckpt",
                 step_counter: Any = None, checkpoint_interval: int | None = None,
                 init_fn: Callable[[], Any] | None = None, last_checkpoint_step: int | None = None) -> None:
        if max_to_keep is not None and max_to_keep <= 0:
            raise ValueError(f"Expected a positive integer or `None` for `max_to_keep`, got {max_to_keep}.")
        if checkpoint_interval is not None and step_counter is None:
            raise ValueError("`step_counter` should be passed if `checkpoint_interval` is not None.")
        self._checkpoint = checkpoint
        self._max_to_keep = max_to_keep
        self._keep_every_hours = keep_checkpoint_every_n_hours
        self._directory = os.fspath(directory)
        self._prefix = os.path.join(self._directory, checkpoint_name)
        self._step_counter = step_counter
        self._checkpoint_interval = checkpoint_interval
        self._last_checkpoint_step = last_checkpoint_step
        self._init_fn = init_fn
        now = time.time()
        self._kept: collections.OrderedDict[str, float] = collections.OrderedDict()
        state = state_file.get_checkpoint_state(self._directory)
        if state is None:
            self._latest: str | None = None
            self._last_preserved = now - 1.0
        else:
            self._latest = state.model_checkpoint_path
            self._last_preserved = min(state.last_preserved_timestamp, now)
            stamps = state.all_model_checkpoint_timestamps or [self._last_preserved] * len(
                state.all_model_checkpoint_paths)
            for path, stamp in zip(state.all_model_checkpoint_paths, stamps):
                stamp = min(stamp, now)
                if stamp > self._last_preserved:
                    self._kept[path] = stamp

    @property
    def directory(self) -> str:
        return self._directory

    @property
    def checkpoint(self) -> Any:
        return self._checkpoint

    @property
    def checkpoint_interval(self) -> int | None:
        return self._checkpoint_interval

    @property
    def latest_checkpoint(self) -> str | None:
        """The prefix of the newest checkpoint (None before the first), for ``checkpoint.restore``."""
        return self._latest

    @property
    def checkpoints(self) -> list[str]:
        """The managed checkpoints, oldest first (not those kept by ``keep_checkpoint_every_n_hours``)."""
        return list(self._kept)

    def save(self, checkpoint_number: Any = None, check_interval: bool = True, options: Any = None) -> str | None:
        """Write a new checkpoint, record it, and delete the oldest beyond ``max_to_keep``.

        Args:
            checkpoint_number: the number in the file name (an int or an integer variable); by default the
                checkpoint's ``save_counter``, which is incremented either way.
            check_interval: with ``checkpoint_interval``, skip the save unless the step moved far enough.
            options: a ``tf.train.CheckpointOptions``.

        Returns:
            The new checkpoint's prefix, or None when the interval check skipped it.
        """
        if self._checkpoint_interval is not None:
            step = _as_int(self._step_counter)
            if self._last_checkpoint_step is not None:
                if step == self._last_checkpoint_step:
                    return None
                if check_interval and step < self._last_checkpoint_step + self._checkpoint_interval:
                    return None
            self._last_checkpoint_step = step
        counter = self._checkpoint.save_counter
        counter.assign_add(1)
        number = _as_int(counter if checkpoint_number is None else checkpoint_number)
        path = self._checkpoint.write(f"{self._prefix}-{number}", options=options)
        self._kept.pop(path, None)  # an overwritten checkpoint moves to the end
        self._kept[path] = time.time()
        self._latest = path
        self._record()  # the new checkpoint is recorded before anything is deleted
        self._sweep()
        self._record()
        return path

    def _record(self) -> None:
        state_file.write_state(self._directory, self._latest or "", list(self._kept),
                               list(self._kept.values()), self._last_preserved)

    def _sweep(self) -> None:
        if not self._max_to_keep:
            return
        while len(self._kept) > self._max_to_keep:
            path, stamp = self._kept.popitem(last=False)
            if self._keep_every_hours and stamp - self._keep_every_hours * 3600.0 >= self._last_preserved:
                self._last_preserved = stamp  # kept on disk, no longer managed
                continue
            for name in [bundle.index_path(path)] + glob.glob(glob.escape(path) + ".data-?????-of-?????"):
                try:
                    os.remove(name)
                except FileNotFoundError:
                    pass

    def restore_or_initialize(self) -> str | None:
        """Restore the newest checkpoint and return its prefix; without one, call ``init_fn`` and return None."""
        if self._latest is not None:
            self._checkpoint.restore(self._latest)
            if self._checkpoint_interval is not None:
                self._last_checkpoint_step = _as_int(self._step_counter)
            return self._latest
        if self._init_fn is not None:
            self._init_fn()
            _log.info("Customized initialization is done through the passed `init_fn`.")
        return None

    def sync(self) -> None:
        """Nothing to wait for: saves are synchronous."""
