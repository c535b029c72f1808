"""CallbackList: dispatches each hook to every callback; batch hooks only to those that override them."""
from __future__ import annotations

from typing import Any

from tensorlet.callbacks.callback import Callback

_BATCH_HOOKS = ("on_train_batch_begin", "on_train_batch_end", "on_test_batch_begin", "on_test_batch_end",
                "on_predict_batch_begin", "on_predict_batch_end", "on_batch_begin", "on_batch_end")


def _overrides(cb: Callback, hook: str) -> bool:
    if not getattr(cb, "_wants_batch_logs", True):
        return False
    return hook in vars(cb) or getattr(type(cb), hook, None) is not getattr(Callback, hook)


class CallbackList:
    def __init__(self, callbacks: Any = None, model: Any = None, params: dict[str, Any] | None = None) -> None:
        self.callbacks: list[Callback] = list(callbacks or [])
        for cb in self.callbacks:
            if model is not None:
                cb.set_model(model)
            if params is not None:
                cb.set_params(params)
        self._batch = {h: [getattr(cb, h) for cb in self.callbacks if _overrides(cb, h)] for h in _BATCH_HOOKS}
        # Keras 2's on_batch_* hooks are the train-batch hooks
        self._batch["on_train_batch_begin"] += self._batch["on_batch_begin"]
        self._batch["on_train_batch_end"] += self._batch["on_batch_end"]

    def wants(self, hook: str) -> bool:
        return bool(self._batch.get(hook))

    def _call(self, hook: str, *args: Any) -> None:
        for cb in self.callbacks:
            getattr(cb, hook)(*args)

    def _call_batch(self, hook: str, batch: int, logs: Any) -> None:
        for f in self._batch[hook]:
            f(batch, logs)

    def on_train_begin(self, logs: Any = None) -> None: self._call("on_train_begin", logs)
    def on_train_end(self, logs: Any = None) -> None: self._call("on_train_end", logs)
    def on_epoch_begin(self, epoch: int, logs: Any = None) -> None: self._call("on_epoch_begin", epoch, logs)
    def on_epoch_end(self, epoch: int, logs: Any = None) -> None: self._call("on_epoch_end", epoch, logs)
    def on_test_begin(self, logs: Any = None) -> None: self._call("on_test_begin", logs)
    def on_test_end(self, logs: Any = None) -> None: self._call("on_test_end", logs)
    def on_predict_begin(self, logs: Any = None) -> None: self._call("on_predict_begin", logs)
    def on_predict_end(self, logs: Any = None) -> None: self._call("on_predict_end", logs)

    def on_train_batch_begin(self, batch: int, logs: Any = None) -> None:
        self._call_batch("on_train_batch_begin", batch, logs)

    def on_train_batch_end(self, batch: int, logs: Any = None) -> None:
        self._call_batch("on_train_batch_end", batch, logs)

    def on_test_batch_begin(self, batch: int, logs: Any = None) -> None:
        self._call_batch("on_test_batch_begin", batch, logs)

    def on_test_batch_end(self, batch: int, logs: Any = None) -> None:
        self._call_batch("on_test_batch_end", batch, logs)

    def on_predict_batch_begin(self, batch: int, logs: Any = None) -> None:
        self._call_batch("on_predict_batch_begin", batch, logs)

    def on_predict_batch_end(self, batch: int, logs: Any = None) -> None:
        self._call_batch("on_predict_batch_end", batch, logs)
