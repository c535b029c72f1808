"""train_on_batch, test_on_batch, predict_on_batch: one batch through the same steps as fit."""
from __future__ import annotations

from typing import Any

from tensorlet import backend
from tensorlet.training import argument_checks as checks
from tensorlet.training import data_adapter as da
from tensorlet.training.locks import exclusive


class BatchAPI:
    """Mixed into Trainer; relies on its ``_prepare_arrays``, ``_ensure_built``, ``_batch`` and ``_logs``."""

    # -- single batches ------------------------------------------------------------------------------------
    @exclusive
    def train_on_batch(self, x: Any, y: Any = None, sample_weight: Any = None, class_weight: Any = None,
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
    def test_on_batch(self, x: Any, y: Any = None, sample_weight: Any = None, reset_metrics: bool = True,
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

    def predict_on_batch(self, x: Any) -> Any:
        return self.predict(x, batch_size=da.num_samples(da.to_numpy(x)) or 1, verbose=0)

    def _single_result(self, return_dict: bool) -> Any:
        logs = self._logs()
        if return_dict:
            return logs
        values = list(logs.values())
        return values[0] if len(values) == 1 else values
