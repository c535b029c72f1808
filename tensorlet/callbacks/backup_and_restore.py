"""BackupAndRestore: resume an interrupted ``fit`` at the right epoch, with weights and optimizer state."""
from __future__ import annotations

import os
import shutil
from typing import Any

import numpy as np

from tensorlet.callbacks.callback import Callback


class BackupAndRestore(Callback):
    """Back up the training state at the end of each epoch (or every ``save_freq`` batches); a new ``fit`` with
    the same ``backup_dir`` restores it and continues from the next epoch.

    The backup is a NumPy ``.npz`` (no pickle) written atomically: a crash never leaves a half-written backup.
    """

    def __init__(self, backup_dir: Any, save_freq: Any = "epoch", delete_checkpoint: bool = True,
                 double_checkpoint: bool = False) -> None:
        super().__init__()
        if not backup_dir:
            raise ValueError("BackupAndRestore needs a backup_dir")
        self.backup_dir = os.fspath(backup_dir)
        self.save_freq, self.delete_checkpoint = save_freq, delete_checkpoint
        self._path = os.path.join(self.backup_dir, "training_state.npz")
        self._batches = 0
        self._epoch = 0

    @property
    def _wants_batch_logs(self) -> bool:
        return self.save_freq != "epoch"

    def on_train_begin(self, logs: Any = None) -> None:
        if not os.path.exists(self._path):
            return
        with np.load(self._path, allow_pickle=False) as data:
            n_w = int(data["n_weights"])
            n_o = int(data["n_optimizer"])
            weights = [data[f"w{i}"] for i in range(n_w)]
            opt_state = [data[f"o{i}"] for i in range(n_o)]
            epoch = int(data["epoch"])
        self.model.set_weights(weights)
        opt = self.model.optimizer
        if opt_state:
            if hasattr(opt, "build") and not getattr(opt, "built", True):
                opt.build(self.model.trainable_weights)
            opt.set_weights(opt_state)
        self.model._resume_epoch = epoch + 1

    def on_epoch_begin(self, epoch: int, logs: Any = None) -> None:
        self._epoch = epoch

    def on_train_batch_end(self, batch: int, logs: Any = None) -> None:
        if self.save_freq != "epoch":
            self._batches += 1
            if self._batches % int(self.save_freq) == 0:
                self._backup(self._epoch - 1)

    def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
        if self.save_freq == "epoch":
            self._backup(epoch)

    def _backup(self, epoch: int) -> None:
        os.makedirs(self.backup_dir, exist_ok=True)
        weights = self.model.get_weights()
        opt = self.model.optimizer
        opt_state = list(opt.get_weights()) if hasattr(opt, "get_weights") else []
        arrays = {f"w{i}": w for i, w in enumerate(weights)}
        arrays.update({f"o{i}": np.asarray(o) for i, o in enumerate(opt_state)})
        tmp = self._path + ".tmp.npz"
        np.savez(tmp, n_weights=len(weights), n_optimizer=len(opt_state), epoch=epoch, **arrays)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, self._path)

    def on_train_end(self, logs: Any = None) -> None:
        if self.delete_checkpoint and os.path.isdir(self.backup_dir):
            shutil.rmtree(self.backup_dir, ignore_errors=True)
