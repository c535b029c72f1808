"""BackupAndRestore: resume an interrupted ``fit`` where it stopped, with weights, optimizer and random state."""
from __future__ import annotations

import os
import shutil
from typing import Any

import numpy as np

from tensorlet.callbacks.callback import Callback
from tensorlet.saving.atomic import atomic_path
from tensorlet.training.resume import ResumePoint, capture_random_state, restore_random_state


class BackupAndRestore(Callback):
    """Back up the training state at the end of each epoch (or every ``save_freq`` batches); a new ``fit`` with
    the same ``backup_dir`` restores it and continues after the last backup: at the next epoch, or, with an
    integer ``save_freq``, at the next batch of the interrupted epoch (as tf.keras does).

    The state is the weights, the optimizer's state, the position (epoch, batch, and that epoch's shuffled
    order) and every random stream training draws from (``tensorlet.training.resume``), so a resumed run ends
    with the weights an uninterrupted run with the same seed would have, bit for bit, with ``shuffle=True`` and
    ``Dropout``. The backup is a NumPy ``.npz`` (no pickle) written atomically: a crash never leaves a
    half-written backup.

    Args:
        backup_dir: the folder for the backup (deleted at the end of a completed fit unless
            ``delete_checkpoint=False``).
        save_freq: ``"epoch"``, or a number of batches between backups.
        delete_checkpoint: delete the backup when ``fit`` completes.
    """

    def __init__(self, backup_dir: Any, save_freq: Any = "epoch", delete_checkpoint: bool = True,
                 double_checkpoint: bool = False) -> None:
        super().__init__()
        if not backup_dir:
            raise ValueError("BackupAndRestore needs a backup_dir")
        if save_freq != "epoch" and save_freq is not False and (
                isinstance(save_freq, bool) or not isinstance(save_freq, (int, np.integer)) or save_freq < 1):
            raise ValueError(f"BackupAndRestore: save_freq must be 'epoch' or a positive number of batches, "
                             f"received save_freq={save_freq!r}")
        self.backup_dir = os.fspath(backup_dir)
        self.save_freq, self.delete_checkpoint = save_freq, delete_checkpoint
        self._path = os.path.join(self.backup_dir, "training_state.npz")
        self._batches = 0

    @property
    def _wants_batch_logs(self) -> bool:
        return self.save_freq != "epoch"

    def on_train_begin(self, logs: Any = None) -> None:
        self._batches = 0
        if not os.path.exists(self._path):
            return
        with np.load(self._path, allow_pickle=False) as data:
            weights = [data[f"w{i}"] for i in range(int(data["n_weights"]))]
            opt_state = [data[f"o{i}"] for i in range(int(data["n_optimizer"]))]
            epoch, step = int(data["epoch"]), int(data["step"]) if "step" in data else -1
            order = data["order"] if "order" in data else None
            random_state = str(data["random_state"]) if "random_state" in data else None
        self.model.set_weights(weights)
        opt = self.model.optimizer
        if opt_state:
            if hasattr(opt, "build") and not getattr(opt, "built", True):
                opt.build(self.model.trainable_weights)
            opt.set_weights(opt_state)
        if random_state is not None:
            restore_random_state(self.model, random_state)
        progress = getattr(self.model, "_fit_progress", None)
        if progress is None:
            return
        steps = progress.steps_per_epoch
        if step < 0 or (steps is not None and step + 1 >= steps):  # saved at an epoch's end: the next epoch
            progress.resume = ResumePoint(epoch + 1)
        else:
            progress.resume = ResumePoint(epoch, step + 1, order)

    def on_train_batch_end(self, batch: int, logs: Any = None) -> None:
        if self.save_freq in ("epoch", False):
            return
        self._batches += 1
        if self._batches % int(self.save_freq) == 0:
            progress = self.model._fit_progress
            self._backup(progress.epoch, batch, progress.order)

    def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
        if self.save_freq == "epoch":
            self._backup(epoch, -1, None)

    def _backup(self, epoch: int, step: int, order: Any) -> None:
        os.makedirs(self.backup_dir, exist_ok=True)
        weights = self.model.get_weights()
        opt = self.model.optimizer
        opt_state = list(opt.get_weights()) if hasattr(opt, "get_weights") else []
        arrays = {f"w{i}": w for i, w in enumerate(weights)}
        arrays.update({f"o{i}": np.asarray(o) for i, o in enumerate(opt_state)})
        if order is not None:
            arrays["order"] = np.asarray(order)
        with atomic_path(self._path) as tmp, open(tmp, "wb") as f:
            np.savez(f, n_weights=len(weights), n_optimizer=len(opt_state), epoch=epoch, step=step,
                     random_state=np.array(capture_random_state(self.model)), **arrays)

    def on_train_end(self, logs: Any = None) -> None:
        if self.delete_checkpoint and os.path.isdir(self.backup_dir):
            shutil.rmtree(self.backup_dir, ignore_errors=True)
