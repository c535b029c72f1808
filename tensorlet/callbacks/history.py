"""History: records the epoch logs; ``fit`` returns it."""
from __future__ import annotations

from typing import Any

from tensorlet.callbacks.callback import Callback


class History(Callback):
    """``history.history`` maps each log key to its list of per-epoch values; ``history.epoch`` lists epochs."""

    def __init__(self) -> None:
        super().__init__()
        self.history: dict[str, list[Any]] = {}
        self.epoch: list[int] = []

    def on_train_begin(self, logs: Any = None) -> None:
        self.epoch = []

    def on_epoch_end(self, epoch: int, logs: Any = None) -> None:
        self.epoch.append(epoch)
        for k, v in (logs or {}).items():
            self.history.setdefault(k, []).append(v)
        if self.model is not None:
            self.model.history = self
