"""TensorBoard: write event files that the ``tensorboard`` package reads, under log_dir/train and /validation."""
from __future__ import annotations

import os
from typing import Any

import numpy as np

from tensorlet import backend
from tensorlet.callbacks.callback import Callback


class TensorBoard(Callback):
    """Log scalars (``epoch_loss``, ``epoch_accuracy``, ..., ``epoch_learning_rate``), weight histograms and the
    model summary for TensorBoard.

    Args:
        log_dir: the root folder; training logs go to ``log_dir/train``, validation logs to ``log_dir/validation``.
        histogram_freq: write weight histograms every this many epochs (0: never).
        write_graph: write the model summary as text (TensorBoard's graph view needs TensorFlow's graph format,
            which tensorlet does not produce).
        update_freq: ``'epoch'``, ``'batch'``, or an integer: also write ``batch_loss`` (and metrics) every N batches.
        profile_batch: accepted for compatibility and ignored (no profiler).
    """

    def __init__(self, log_dir: Any = "logs", histogram_freq: int = 0, write_graph: bool = True,
                 write_images: bool = False, write_steps_per_second: bool = False, update_freq: Any = "epoch",
                 profile_batch: Any = 0, embeddings_freq: int = 0, embeddings_metadata: Any = None,
                 **kwargs: Any) -> None:
        super().__init__()
        self.log_dir = os.fspath(log_dir)
        self.histogram_freq, self.write_graph = histogram_freq, write_graph
        if update_freq == "batch":
            update_freq = 1
        if update_freq != "epoch" and not (isinstance(update_freq, int) and update_freq > 0):
            raise ValueError(f"update_freq must be 'epoch', 'batch' or a positive integer, got {update_freq!r}")
        self.update_freq = update_freq
        self.profile_batch = profile_batch
        self._writers: dict[str, Any] = {}
        self._global_batch = 0

    @property
    def _wants_batch_logs(self) -> bool:
        return self.update_freq != "epoch"

    def _writer(self, split: str) -> Any:
        w = self._writers.get(split)
        if w is None:
            from tensorlet.summary import create_file_writer

            w = self._writers[split] = create_file_writer(os.path.join(self.log_dir, split))
        return w

    def on_train_begin(self, logs: Any = None) -> None:
        self._global_batch = 0
        if self.write_graph:
            lines: list[str] = []
            try:
                self.model.summary(print_fn=lines.append)
            except ValueError:
                return
            self._writer("train").add_text("model_summary", "    " + "\n    ".join(lines), 0)

    def on_train_batch_end(self, batch: int, logs: Any = None) -> None:
        self._global_batch += 1
        if self.update_freq != "epoch" and self._global_batch % self.update_freq == 0:
            w = self._writer("train")
            for key, value in (logs or {}).items():
                w.add_scalar(f"batch_{key}", float(value), self._global_batch)

    def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
        logs = logs or {}
        train, val = self._writer("train"), None
        for key, value in logs.items():
            if key.startswith("val_"):
                val = val or self._writer("validation")
                val.add_scalar(f"epoch_{key[4:]}", float(value), epoch)
            elif key not in ("learning_rate", "lr"):
                train.add_scalar(f"epoch_{key}", float(value), epoch)
        opt = getattr(self.model, "optimizer", None)
        if opt is not None:
            lr = logs.get("learning_rate", getattr(opt, "learning_rate", None))
            if lr is not None:
                train.add_scalar("epoch_learning_rate", float(getattr(lr, "_value", lr)), epoch)
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            for w in self.model.weights:
                train.add_histogram(w.path, np.asarray(backend.to_numpy(w._value)), epoch)
        for writer in self._writers.values():
            writer.flush()

    def on_train_end(self, logs: Any = None) -> None:
        for writer in self._writers.values():
            writer.close()
        self._writers.clear()
