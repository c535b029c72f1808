"""ModelCheckpoint: save the model (or its weights) during training, optionally only when it improves."""
from __future__ import annotations

import os
import warnings
from typing import Any

from tensorlet.callbacks.callback import Callback
from tensorlet.callbacks.monitor import Monitor


class ModelCheckpoint(Callback):
    """Save the model at some frequency, with ``filepath`` formatted from the epoch and the logs.

    Args:
        filepath: e.g. ``"weights.{epoch:02d}-{val_loss:.2f}.h5"``; ``.h5``/``.hdf5`` gives the classic HDF5 file,
            ``.keras`` the zip format, ``.weights.h5`` weights only.
        monitor, mode: the quantity compared when ``save_best_only``.
        save_best_only: save only when ``monitor`` beats every earlier save.
        save_weights_only: save weights instead of the whole model.
        save_freq: ``'epoch'``, or an integer number of batches.
        period: the classic Keras 2 argument: save every ``period`` epochs (deprecated in Keras, kept here).
        initial_value_threshold: the value ``monitor`` must beat for the first save.

    Example (seed 002, question 12: every 2 epochs, only if the validation loss beats all earlier saves):
        >>> ModelCheckpoint("best.keras", monitor="val_loss", save_best_only=True, period=2)  # doctest: +SKIP
    """

    def __init__(self, filepath: Any, monitor: str = "val_loss", verbose: int = 0, save_best_only: bool = False,
                 save_weights_only: bool = False, mode: str = "auto", save_freq: Any = "epoch",
                 initial_value_threshold: float | None = None, period: int | None = None,
                 options: Any = None, **kwargs: Any) -> None:
        super().__init__()
        if kwargs:
            raise TypeError(f"ModelCheckpoint got unexpected keyword argument(s): {sorted(kwargs)}")
        self.filepath = os.fspath(filepath)
        self.monitor, self.verbose = monitor, verbose
        self.save_best_only, self.save_weights_only = save_best_only, save_weights_only
        self.watch = Monitor(monitor, mode)
        self.best = self.watch.initial if initial_value_threshold is None else float(initial_value_threshold)
        if period is not None:
            warnings.warn("`period` is deprecated in Keras; tensorlet keeps it: the model is saved every "
                          f"{period} epochs. `save_freq` counts batches.", DeprecationWarning, stacklevel=2)
            if save_freq != "epoch":
                raise ValueError("Pass either `period` (epochs) or an integer `save_freq` (batches), not both")
        self.period = int(period or 1)
        if save_freq != "epoch" and not (isinstance(save_freq, int) and save_freq > 0):
            raise ValueError(f"Unrecognized save_freq: {save_freq!r}; expected 'epoch' or a positive integer")
        self.save_freq = save_freq
        self._epochs_since_save = 0
        self._batches_seen = 0
        self._current_epoch = 0

    def on_epoch_begin(self, epoch: int, logs: Any = None) -> None:
        self._current_epoch = epoch

    def on_train_batch_end(self, batch: int, logs: Any = None) -> None:
        if self.save_freq == "epoch":
            return
        self._batches_seen += 1
        if self._batches_seen % self.save_freq == 0:
            self._save(self._current_epoch, logs, batch=batch)

    def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
        if self.save_freq != "epoch":
            return
        self._epochs_since_save += 1
        if self._epochs_since_save >= self.period:
            self._epochs_since_save = 0
            self._save(epoch, logs)

    def _path(self, epoch: int, logs: Any, batch: int | None) -> str:
        values = dict(logs or {})
        if batch is not None:
            values["batch"] = batch + 1
        try:
            return self.filepath.format(epoch=epoch + 1, **values)
        except KeyError as e:
            raise KeyError(f'Failed to format the ModelCheckpoint filepath "{self.filepath}": key {e} is not in the '
                           f"logs (available: {sorted(values)})") from None

    def _save(self, epoch: int, logs: Any, batch: int | None = None) -> None:
        path = self._path(epoch, logs, batch)
        if self.save_best_only:
            current = (logs or {}).get(self.monitor)
            if current is None:
                warnings.warn(f"Can save best model only with {self.monitor} available, skipping.", RuntimeWarning,
                              stacklevel=3)
                return
            if not self.watch.improved(current, self.best):
                if self.verbose > 0:
                    print(f"\nEpoch {epoch + 1}: {self.monitor} did not improve from {self.best:.5f}")
                return
            if self.verbose > 0:
                print(f"\nEpoch {epoch + 1}: {self.monitor} improved from {self.best:.5f} to {current:.5f}, saving "
                      f"model to {path}")
            self.best = current
        elif self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: saving model to {path}")
        folder = os.path.dirname(path)
        if folder:
            os.makedirs(folder, exist_ok=True)
        if self.save_weights_only:
            self.model.save_weights(path, overwrite=True)
        else:
            self.model.save(path, overwrite=True)
