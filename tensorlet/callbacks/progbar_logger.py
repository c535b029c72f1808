"""ProgbarLogger: prints ``Epoch i/N`` and the progress bar (verbose=1) or one line per epoch (verbose=2)."""
from __future__ import annotations

from typing import Any

from tensorlet.callbacks.callback import Callback
from tensorlet.utils.io_utils import print_msg
from tensorlet.utils.progbar import Progbar


class ProgbarLogger(Callback):
    def __init__(self, count_mode: str = "steps", stateful_metrics: Any = None) -> None:
        super().__init__()
        self.verbose = 1
        self.epochs = 1
        self.bar: Progbar | None = None
        self.seen = 0

    def set_params(self, params: dict[str, Any]) -> None:
        super().set_params(params)
        self.verbose = params.get("verbose", 1)
        self.epochs = params.get("epochs", 1)
        # the batch hooks only matter for a bar drawn in place; skipping them keeps fit's loop lean
        self._wants_batch_logs = self.verbose == 1 and Progbar(None).dynamic

    def on_epoch_begin(self, epoch: int, logs: Any = None) -> None:
        if self.verbose:
            print_msg(f"Epoch {epoch + 1}/{self.epochs}")
        self.bar = Progbar(self.params.get("steps"), verbose=self.verbose)
        self.seen = 0

    def on_train_batch_end(self, batch: int, logs: Any = None) -> None:
        self.seen = batch + 1
        if self.bar is not None and self.verbose == 1 and self.bar.dynamic:
            self.bar.update(self.seen, list((logs or {}).items()), finalize=False)

    def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
        if self.bar is not None:
            target = self.bar.target if self.bar.target is not None else self.seen
            self.bar.target = target
            self.bar.update(target, list((logs or {}).items()), finalize=True)

    # evaluate / predict with their own bars
    def on_test_begin(self, logs: Any = None) -> None:
        if self.model is not None and getattr(self.model, "_in_fit", False):
            return
        self.bar = Progbar(self.params.get("steps"), verbose=self.verbose)
        self.seen = 0

    def on_test_batch_end(self, batch: int, logs: Any = None) -> None:
        if self.model is not None and getattr(self.model, "_in_fit", False):
            return
        self.seen = batch + 1
        if self.bar is not None and self.verbose == 1 and self.bar.dynamic:
            self.bar.update(self.seen, list((logs or {}).items()), finalize=False)

    def on_test_end(self, logs: Any = None) -> None:
        if self.model is not None and getattr(self.model, "_in_fit", False):
            return
        if self.bar is not None:
            self.bar.target = self.bar.target or self.seen
            self.bar.update(self.bar.target, list((logs or {}).items()), finalize=True)

    def on_predict_begin(self, logs: Any = None) -> None:
        self.bar = Progbar(self.params.get("steps"), verbose=self.verbose)
        self.seen = 0

    def on_predict_batch_end(self, batch: int, logs: Any = None) -> None:
        self.seen = batch + 1
        if self.bar is not None and self.verbose == 1 and self.bar.dynamic:
            self.bar.update(self.seen, None, finalize=False)

    def on_predict_end(self, logs: Any = None) -> None:
        if self.bar is not None:
            self.bar.target = self.bar.target or self.seen
            self.bar.update(self.bar.target, None, finalize=True)
