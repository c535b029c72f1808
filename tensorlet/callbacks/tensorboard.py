"""TensorBoard: write event files that the ``tensorboard`` package reads, under log_dir/train and /validation,
with the tags tf.keras 2 writes (seen with tf_keras 2.21), so that both runs look alike in one dashboard:

- ``train``: ``keras`` (the model's JSON, step 0, with ``write_graph``), ``epoch_<metric>``, the weight histograms
  ``<weight name with ':' as '_'>/histogram`` (``dense/kernel_0/histogram``) every ``histogram_freq`` epochs, and
  ``batch_<metric>`` with an integer ``update_freq``;
- ``validation``: ``evaluation_<metric>_vs_iterations`` at the optimizer's step count when an evaluation ends, then
  ``epoch_<metric>`` for the ``val_`` logs.
"""
from __future__ import annotations

import os
import time
from typing import Any

import numpy as np

from tensorlet import backend
from tensorlet.callbacks.callback import Callback


class TensorBoard(Callback):
    """Log scalars (``epoch_loss``, ``epoch_accuracy``, ...), weight histograms and the model graph for TensorBoard.

    Args:
        log_dir: the root folder; training logs go to ``log_dir/train``, validation logs to ``log_dir/validation``.
        histogram_freq: write weight histograms every this many epochs (0: never).
        write_graph: write the model's JSON config under the ``keras`` tag (TensorBoard's graph dashboard shows it
            as the Keras model graph), for Sequential and Functional models as tf.keras does. TensorFlow's own op
            graph is not written (tensorlet has none).
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
        self.write_steps_per_second = write_steps_per_second
        if update_freq == "batch":
            update_freq = 1
        if update_freq != "epoch" and not (isinstance(update_freq, int) and update_freq > 0):
            raise ValueError(f"update_freq must be 'epoch', 'batch' or a positive integer, got {update_freq!r}")
        self.update_freq = update_freq
        self.profile_batch = profile_batch
        self._writers: dict[str, Any] = {}
        self._global_batch = 0
        self._epoch_start = (0.0, 0)  # time and optimizer step when the epoch began

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
        if self.write_graph and _graph_model(self.model):
            self._writer("train").add_keras_model("keras", self.model.to_json(), 0)

    def on_epoch_begin(self, epoch: int, logs: Any = None) -> None:
        self._epoch_start = (time.time(), self._iterations() or 0)

    def _iterations(self) -> int | None:
        iterations = getattr(getattr(self.model, "optimizer", None), "iterations", None)
        if iterations is None:
            return None
        return int(np.asarray(backend.to_numpy(getattr(iterations, "_value", iterations))))

    def on_train_batch_end(self, batch: int, logs: Any = None) -> None:
        self._global_batch += 1
        if self.update_freq != "epoch" and self._global_batch % self.update_freq == 0:
            w = self._writer("train")
            for key, value in (logs or {}).items():
                w.add_scalar(f"batch_{key}", float(value), self._global_batch)

    def on_test_end(self, logs: Any = None) -> None:
        step = self._iterations()
        if step is None or not logs:
            return
        w = self._writer("validation")
        for key, value in logs.items():
            w.add_scalar(f"evaluation_{key}_vs_iterations", float(value), step)
        w.flush()

    def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
        logs = dict(logs or {})
        lr = self._scheduled_learning_rate()
        if lr is not None:
            logs["learning_rate"] = lr
        if self.write_steps_per_second:
            start, start_step = self._epoch_start
            logs["steps_per_second"] = ((self._iterations() or 0) - start_step) / max(time.time() - start, 1e-9)
        for key, value in logs.items():
            if key.startswith("val_"):
                self._writer("validation").add_scalar(f"epoch_{key[4:]}", float(value), epoch)
            else:
                self._writer("train").add_scalar(f"epoch_{key}", float(value), epoch)
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            train = self._writer("train")
            for layer in self.model.layers:
                for w in layer.weights:
                    train.add_histogram(f"{w.name.replace(':', '_')}/histogram",
                                        np.asarray(backend.to_numpy(w._value)), epoch)
        for writer in self._writers.values():
            writer.flush()

    def _scheduled_learning_rate(self) -> float | None:
        """The learning rate when a schedule sets it (tf.keras 2 logs ``epoch_learning_rate`` only then)."""
        from tensorlet.optimizers.schedules.learning_rate_schedule import LearningRateSchedule

        opt = getattr(self.model, "optimizer", None)
        if opt is None or not isinstance(getattr(opt, "_learning_rate", None), LearningRateSchedule):
            return None
        lr = opt.learning_rate
        return float(np.asarray(backend.to_numpy(getattr(lr, "_value", lr))))

    def on_train_end(self, logs: Any = None) -> None:
        for writer in self._writers.values():
            writer.close()
        self._writers.clear()


def _graph_model(model: Any) -> bool:
    """Sequential and Functional models: the ones tf.keras writes under ``keras`` (a subclassed model's JSON
    would not rebuild it)."""
    return type(model).__name__ == "Sequential" or hasattr(model, "_nodes")
