"""train_on_batch, test_on_batch, predict_on_batch: one batch through the same steps as fit."""
from __future__ import annotations

from typing import Any, Protocol

from tensorlet import backend
from tensorlet.training import argument_checks as checks
from tensorlet.training import data_adapter as da
from tensorlet.training.locks import exclusive


class _BatchHost(Protocol):
    """What BatchAPI needs from the model it is mixed into (Trainer provides all of it)."""

    def _require_compiled(self, what: str) -> None: ...
    def _prepare_arrays(self, x: Any, y: Any, sw: Any, what: str, name: str = ...) -> tuple[Any, Any, Any]: ...
    def _ensure_built(self, x: Any) -> None: ...
    def reset_metrics(self) -> None: ...
    def _has_custom_step(self, kind: str) -> bool: ...
    def _custom_step(self, kind: str, x: Any, y: Any, sw: Any) -> dict[str, float]: ...
    def _batch(self, kind: str, x: Any, y: Any, sw: Any) -> tuple[float, list[Any], list[Any], list[Any]]: ...
    def _logs(self, prefix: str = ...) -> dict[str, float]: ...
    def _single_result(self: _BatchHost, return_dict: bool) -> Any: ...
    def predict(self, x: Any, batch_size: int | None = ..., verbose: Any = ...) -> Any: ...


class BatchAPI:
    """Mixed into Trainer; what it needs from its host is declared by ``_BatchHost``."""

    # -- single batches ------------------------------------------------------------------------------------
    @exclusive
    def train_on_batch(self: _BatchHost, x: Any, y: Any = None, sample_weight: Any = None, class_weight: Any = None,
                       reset_metrics: bool = True, return_dict: bool = False) -> Any:
        self._require_compiled("training/testing")
        x, y, sample_weight = self._prepare_arrays(x, y, sample_weight, "train_on_batch")
        if class_weight is not None:
            cw = checks.class_sample_weights(y, class_weight, checks.class_count(self))
            sample_weight = cw if sample_weight is None else sample_weight * cw
        self._ensure_built(x)
        if reset_metrics:
            self.reset_metrics()
        with backend.current().blas_threads(self, "train") as tick:  # the step's BLAS threads, as in fit
            if self._has_custom_step("train"):
                logs = self._custom_step("train", x, y, sample_weight)
                tick()
                return logs if return_dict else (list(logs.values())[0] if len(logs) == 1 else list(logs.values()))
            self._batch("train", x, y, sample_weight)
            tick()
        return self._single_result(return_dict)

    @exclusive
    def test_on_batch(self: _BatchHost, x: Any, y: Any = None, sample_weight: Any = None, reset_metrics: bool = True,
                      return_dict: bool = False) -> Any:
        self._require_compiled("training/testing")
        x, y, sample_weight = self._prepare_arrays(x, y, sample_weight, "test_on_batch")
        self._ensure_built(x)
        if reset_metrics:
            self.reset_metrics()
        with backend.current().blas_threads(self, "test") as tick:
            self._batch("test", x, y, sample_weight)
            tick()
        return self._single_result(return_dict)

    def predict_on_batch(self: _BatchHost, x: Any) -> Any:
        return self.predict(x, batch_size=da.num_samples(da.to_numpy(x)) or 1, verbose=0)

    def _single_result(self: _BatchHost, return_dict: bool) -> Any:
        logs = self._logs()
        if return_dict:
            return logs
        values = list(logs.values())
        return values[0] if len(values) == 1 else values
