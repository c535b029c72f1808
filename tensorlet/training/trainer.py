"""compile / fit / evaluate / predict: the training loop, and the only place it lives.

Callbacks see the loop through their hooks and ``logs``; they stop it by setting ``model.stop_training``.
"""
from __future__ import annotations

import sys
import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Callable

import numpy as np

from tensorlet import backend, tree
from tensorlet.layers import tracking
from tensorlet.layers.arguments import integer_arguments
from tensorlet.layers.layer import Layer
from tensorlet.training import argument_checks as checks
from tensorlet.training import data_adapter as da
from tensorlet.training import input_conforming, targets
from tensorlet.training.batch_api import BatchAPI
from tensorlet.training.compile_utils import LossContainer, LossTracker, MetricsContainer
from tensorlet.training.locks import exclusive, model_locks
from tensorlet.training.loop_utils import (
    VALIDATION_BATCH_FACTOR,
    _batch_blind,
    _due,
    _metric_value,
    _validate_loss_spec,
)
from tensorlet.training.resume import FitProgress
from tensorlet.training.step_api import StepAPI
from tensorlet.training.steps import StepRunner

if TYPE_CHECKING:
    from tensorlet.autodiff.tensor import Tensor, Variable


def _is_dataset(x: Any) -> bool:
    """Whether ``x`` is a tf.data.Dataset (without importing tensorlet.data when nothing made one)."""
    data = sys.modules.get("tensorlet.data.dataset")
    return data is not None and isinstance(x, data.Dataset)


_COMPILE_IGNORED = ("sample_weight_mode", "target_tensors", "distribute", "experimental_run_tf_function",
                    "pss_evaluation_shards", "auto_scale_loss")


class Trainer(StepAPI, BatchAPI):
    """Mixed into Model: the Keras training API."""

    if TYPE_CHECKING:  # provided by Layer, Model's other base; seen by the type checker only, so nothing here
        # can shadow Layer's definitions in the MRO
        built: bool
        build: Callable[[Any], None]
        __call__: Callable[..., Any]

        @property
        def trainable_weights(self) -> list[Variable]: ...
        @property
        def losses(self) -> list[Tensor]: ...

    def __init__(self) -> None:
        self.compiled = False
        self.optimizer: Any = None
        self.loss: Any = None
        self.stop_training = False
        self.history: Any = None
        self._runner: StepRunner | None = None
        self._in_fit = False

    # -- compile -------------------------------------------------------------------------------------------
    def compile(self, optimizer: Any = "rmsprop", loss: Any = None, metrics: Any = None, loss_weights: Any = None,
                weighted_metrics: Any = None, run_eagerly: bool = False, steps_per_execution: int = 1,
                jit_compile: Any = None, **kwargs: Any) -> None:
        """Configure the model for training (strings or objects for optimizer, loss and metrics)."""
        from tensorlet import optimizers

        unknown = set(kwargs) - set(_COMPILE_IGNORED)
        if unknown:
            raise TypeError(f"compile() got unexpected keyword argument(s): {sorted(unknown)}")
        self.optimizer = optimizers.get(optimizer)
        _validate_loss_spec(loss)
        self.loss = loss
        self._compile_args = (loss, metrics, loss_weights, weighted_metrics)
        self._run_eagerly = bool(run_eagerly)
        self.steps_per_execution = steps_per_execution
        self.compiled = True
        self._loss_container_obj: LossContainer | None = None
        self._metrics_container: MetricsContainer | None = None
        self._runner = None
        self.__dict__.pop("_step_functions", None)  # custom steps are traced again for the new compile
        self._loss_tracker = LossTracker("loss")
        self._output_trackers: list[LossTracker] = []

    def _compile_config(self) -> Any:
        from tensorlet.saving.compile_config import compile_config_of

        return compile_config_of(self)

    @property
    def run_eagerly(self) -> bool:
        return getattr(self, "_run_eagerly", False)

    @run_eagerly.setter
    def run_eagerly(self, value: bool) -> None:
        self._run_eagerly = bool(value)
        self._runner = None
        self.__dict__.pop("_step_functions", None)

    def _require_compiled(self, what: str) -> None:
        if not self.compiled:
            raise RuntimeError(f"You must compile your model before {what}. Call `model.compile(optimizer, loss)`.")

    @property
    def _output_names(self) -> list[str]:
        names = getattr(self, "output_names", None)
        if names:
            return list(names)
        return list(self.__dict__.get("_pseudo_output_names") or ["output_1"])

    @property
    def _output_keys(self) -> list[Any]:
        """What dicts of targets, sample weights, losses and metrics are keyed by, one key per output: a model
        with dict outputs uses its own keys (in ``outputs`` order), any other model its output names (tf.keras)."""
        structure = getattr(self, "_output_structure", None)
        if isinstance(structure, Mapping):
            paths = [path for path, _ in tree.flatten_with_path(structure)]
            if all(len(path) == 1 for path in paths):
                return [path[0] for path in paths]
        return self._output_names

    @property
    def _loss_container(self) -> LossContainer:
        if self._loss_container_obj is None:
            loss, _m, loss_weights, _w = self._compile_args
            container = LossContainer(loss, loss_weights, self._output_names, self._output_keys)
            self._loss_container_obj = container
            if len(self._output_names) > 1:
                self._output_trackers = [LossTracker(f"{n}_loss") for n, fn in zip(self._output_names,
                                                                                    container.losses) if fn is not None]
        return self._loss_container_obj

    def _flat_outputs(self, y_pred: Any) -> list[Any]:
        if isinstance(y_pred, Mapping):
            keys = self._output_keys
            if all(k in y_pred for k in keys):
                return [y_pred[k] for k in keys]
        return tree.flatten(y_pred)

    def _flat_targets(self, y: Any) -> list[Any]:
        if type(y) is np.ndarray:  # one target array, the common case: no output names to look up per batch
            a = targets.target_array(y)
            return [targets.rank_matched(a, self._output_ranks, 0) if a.ndim == 1 else a]
        names = self._output_keys
        if y is None:
            return [None] * len(names)
        if isinstance(y, dict):
            ys = [None if y.get(k) is None else targets.target_array(y[k]) for k in names]
        elif isinstance(y, (list, tuple)) and len(names) > 1:
            ys = [targets.target_array(v) for v in y]
        else:
            ys = [targets.target_array(y)]
        # tf.keras 2's match_dtype_and_rank: 1-D targets beside (N, 1)-like predictions get a last axis, here on the
        # arrays (a view) rather than as an op in every traced step
        return targets.match_ranks(ys, self._output_ranks)

    @property
    def _output_ranks(self) -> list[int]:
        outputs = getattr(self, "outputs", None) if hasattr(self, "_nodes") else None
        if not outputs:
            return list(self.__dict__.get("_pseudo_output_ranks") or [])
        cached = self.__dict__.get("_output_ranks_of")
        if cached is None or cached[0] is not outputs:  # once per graph, not per batch
            cached = self.__dict__["_output_ranks_of"] = (outputs, [len(t.shape) for t in outputs])
        return cached[1]

    def _flat_weights(self, sw: Any, n: int) -> list[Any]:
        if sw is None:
            return [None] * n
        if isinstance(sw, dict):
            return [None if sw.get(k) is None else np.asarray(sw[k], dtype=np.float32) for k in self._output_keys]
        if isinstance(sw, (list, tuple)) and n > 1:
            return [np.asarray(v, dtype=np.float32) for v in sw]
        return [np.asarray(sw, dtype=np.float32)] * n  # one array weights every output, as in Keras

    @property
    def metrics(self) -> list[Any]:
        """The loss tracker(s) first, then the compiled metrics (as Keras lists them)."""
        out: list[Any] = []
        if self.compiled:
            out.append(self._loss_tracker)
            out += self._output_trackers
        if getattr(self, "_metrics_container", None) is not None:
            out += self._metrics_container.all()  # type: ignore[union-attr]
        # then, as tf.keras 2: metric objects held in attributes and add_metric's, the model's then its layers'
        # (walking every layer costs tens of microseconds, and fit reads the metrics after each batch)
        cached = self.__dict__.get("_layer_metrics")
        if cached is None or cached[0] != tracking.generation():
            cached = self.__dict__["_layer_metrics"] = (tracking.generation(), Layer.metrics.fget(self))  # type: ignore
        return out + [m for m in cached[1] if all(m is not seen for seen in out)] if cached[1] else out

    @property
    def metrics_names(self) -> list[str]:
        names = [m.name for m in self.metrics]
        return names or ["loss"]

    def reset_metrics(self) -> None:
        for m in self.metrics:
            m.reset_state()

    # -- one batch -----------------------------------------------------------------------------------------
    def _runner_obj(self) -> StepRunner:
        runner = self._runner
        if runner is None:
            with model_locks(self).build:
                runner = self._runner
                if runner is None:
                    runner = self._runner = StepRunner(self)
        return runner

    def _ensure_built(self, x: Any) -> None:
        subclassed = not hasattr(self, "_nodes")
        if self.built and not (hasattr(self, "_stack") and not getattr(self, "inputs", None)) and \
                not (subclassed and "_pseudo_output_names" not in self.__dict__):
            return
        with model_locks(self).build:  # two threads' first calls must not build two sets of weights
            if hasattr(self, "_stack"):
                if not self.built or not getattr(self, "inputs", None):
                    self.build((None,) + tuple(da.flat(x)[0].shape[1:]))
            elif subclassed and "_pseudo_output_names" not in self.__dict__:
                # one sample builds the weights (not a pass over all the data) and shows the outputs, which
                # a subclassed model names as Keras does: output_1, output_2... (a dict's keys)
                outputs = self(da.take(x, slice(0, 1)))
                self._pseudo_output_names = targets.output_names_of(outputs)
                self._pseudo_output_ranks = [t.ndim for t in da.flat(outputs) if hasattr(t, "ndim")]

    def _batch(self, kind: str, x: Any, y: Any, sw: Any) -> tuple[float, list[Any], list[Any], list[Any]]:
        xs, ys = da.flat(x), self._flat_targets(y)
        sws = [None] * len(ys) if sw is None else self._flat_weights(sw, len(ys))
        if not backend.current().numpy_arrays:  # host batches become backend arrays here, once per step
            xs, ys, sws = _on_backend(xs), _on_backend(ys), _on_backend(sws)
        runner = self._runner or self._runner_obj()
        if kind == "train":
            outs = runner.train(xs, x, ys, sws)
        else:
            outs = runner.test(xs, x, ys, sws)
        loss = float(outs[0])
        n_parts = len(self._output_trackers)
        n_masks, added = len(runner.masked_outputs), runner.added_metrics
        end = len(outs) - len(added)
        parts, preds = outs[1:1 + n_parts], outs[1 + n_parts:end - n_masks]
        masks: list[Any] | None = None
        if n_masks:
            masks = [None] * len(preds)
            for i, m in zip(runner.masked_outputs, outs[end - n_masks:end]):
                masks[i] = m
        for metric, value in zip(added, outs[end:]):  # Layer.add_metric values of this batch
            metric.update_state(value)
        n = int(xs[0].shape[0]) if xs else 0
        self._loss_tracker.add(loss, n)
        for tracker, part in zip(self._output_trackers, parts):
            tracker.add(float(part), n)
        mc = self._metrics_container
        if mc is None:
            _l, metrics, _w, weighted = self._compile_args
            mc = self._metrics_container = MetricsContainer(metrics, weighted, self._output_names,
                                                            self._loss_container.names, self._output_keys)
        if not mc.built:
            mc.build(ys, preds)
        mc.update(ys, preds, sws, masks)
        return loss, ys, preds, sws

    def _logs(self, prefix: str = "") -> dict[str, float]:
        return {prefix + m.name: _metric_value(m) for m in self.metrics}

    # -- fit -----------------------------------------------------------------------------------------------
    @exclusive
    @integer_arguments
    def fit(self, x: Any = None, y: Any = None, batch_size: int | None = None, epochs: int = 1, verbose: Any = "auto",
            callbacks: Any = None, validation_split: float = 0.0, validation_data: Any = None, shuffle: Any = True,
            class_weight: Any = None, sample_weight: Any = None, initial_epoch: int = 0,
            steps_per_epoch: int | None = None, validation_steps: int | None = None,
            validation_batch_size: int | None = None, validation_freq: Any = 1, max_queue_size: int = 10,
            workers: int = 1, use_multiprocessing: bool = False, nb_epoch: int | None = None, **kwargs: Any) -> Any:
        """Train for ``epochs`` epochs; returns the History callback."""
        from tensorlet.callbacks.callback_list import CallbackList
        from tensorlet.callbacks.history import History
        from tensorlet.callbacks.progbar_logger import ProgbarLogger

        if kwargs:
            raise TypeError(f"fit() got unexpected keyword argument(s): {sorted(kwargs)}")
        self._require_compiled("training/testing")
        if nb_epoch is not None:
            warnings.warn("`nb_epoch` is deprecated; use `epochs`", DeprecationWarning, stacklevel=2)
            epochs = nb_epoch
        verbose = checks.verbosity(verbose)
        batch_size = checks.count(batch_size, "batch_size") or 32
        steps_per_epoch = checks.count(steps_per_epoch, "steps_per_epoch", allow_minus_one=True)
        validation_steps = checks.count(validation_steps, "validation_steps", allow_minus_one=True)
        validation_batch_size = checks.count(validation_batch_size, "validation_batch_size")
        epochs, initial_epoch = checks.fit_arguments(epochs, initial_epoch, validation_split, validation_freq)
        train, val = self._make_data(x, y, sample_weight, class_weight, batch_size, shuffle, steps_per_epoch,
                                     validation_split, validation_data, validation_batch_size, validation_steps)
        history = History()
        cbs = list(callbacks or [])
        if verbose:
            cbs.append(ProgbarLogger())
        cbs.append(history)
        steps = len(train) or None
        cb = CallbackList(cbs, model=self, params={"verbose": verbose, "epochs": epochs, "steps": steps})
        if validation_batch_size is None and _batch_blind(val, cbs) and not self._has_custom_step("test"):
            val.batch_size = batch_size * VALIDATION_BATCH_FACTOR  # fewer, larger validation steps; same means
        self.stop_training = False
        self._in_fit = True
        want_batch = cb.wants("on_train_batch_end")
        want_batch_begin = cb.wants("on_train_batch_begin")
        progress = self._fit_progress = FitProgress()
        progress.batches, progress.steps_per_epoch = train, steps
        cb.on_train_begin()
        resume = progress.resume  # set by BackupAndRestore when it found an interrupted run
        if resume is not None:
            initial_epoch = max(initial_epoch, resume.epoch)
        logs: dict[str, float] = {}
        try:
            for epoch in range(initial_epoch, epochs):
                self.reset_metrics()
                progress.epoch, progress.step = epoch, -1
                cb.on_epoch_begin(epoch)
                custom = self._has_custom_step("train")
                step = -1
                batch_logs: dict[str, float] = {}
                start, order = 0, None
                if resume is not None and epoch == resume.epoch:  # the interrupted epoch: its order, its next batch
                    start, order = resume.step, resume.order
                    step = start - 1
                with backend.current().blas_threads(self, "train") as tick:  # BLAS threads: backend/threads.py
                    for step, (bx, by, bsw) in enumerate(train.epoch(order, start), start):
                        if want_batch_begin:
                            cb.on_train_batch_begin(step)
                        if custom:
                            batch_logs = self._custom_step("train", bx, by, bsw)
                        else:
                            self._batch("train", bx, by, bsw)
                        progress.step = step
                        if want_batch:
                            cb.on_train_batch_end(step, batch_logs if custom else self._logs())
                        tick()
                        if self.stop_training:
                            break
                if step < start:
                    if getattr(train, "exhausted", False):  # a dataset ran out at an epoch's start: stop (Keras)
                        break
                    raise ValueError("The training data produced no batch; check x, steps_per_epoch and batch_size")
                logs = dict(batch_logs) if custom else self._logs()
                if val is not None and _due(epoch, validation_freq):
                    logs.update(self._evaluate_batches(val, cb, prefix="val_"))
                cb.on_epoch_end(epoch, logs)
                if self.stop_training:
                    break
        finally:
            self._in_fit = False
        finalize = getattr(self.optimizer, "finalize_variable_values", None)
        if finalize is not None:  # e.g. swap in the moving averages when use_ema=True
            finalize(self.trainable_weights)
        cb.on_train_end(logs)
        self.history = history
        return history

    def _make_data(self, x: Any, y: Any, sw: Any, class_weight: Any, batch_size: int, shuffle: Any,
                   steps: int | None, validation_split: float, validation_data: Any, val_bs: int | None,
                   val_steps: int | None) -> tuple[Any, Any]:
        if _is_dataset(x):
            from tensorlet.training.dataset_batches import DatasetBatches, reject_arguments

            reject_arguments(y, sw, validation_split, x)
            train: Any = DatasetBatches(x, steps, self, "fit", class_weight, self._stop_on_exhausted)
        elif da.is_generator_like(x):
            if validation_split:
                raise ValueError("validation_split is only supported for array inputs, not generators/Sequences")
            train = da.GeneratorBatches(x, steps=steps, shuffle=bool(shuffle) and hasattr(x, "__getitem__"))
            self._peek_build(train)
        else:
            x, y, sw = self._prepare_arrays(x, y, sw, "fit")
            if class_weight is not None and y is not None:
                cw = checks.class_sample_weights(y, class_weight, checks.class_count(self))
                sw = cw if sw is None else np.asarray(sw, np.float32) * cw
            if validation_split and validation_data is None:
                x, y, sw, vx, vy, vsw = da.split_validation(x, y, sw, float(validation_split))
                validation_data = (vx, vy, vsw)
            elif validation_split:
                da.split_validation(x, y, sw, float(validation_split))  # still validate the argument
            self._ensure_built(x)
            self._check_targets(y)
            train = da.ArrayBatches(x, y, sw, batch_size, shuffle, steps)
        val: Any = None  # one of the batch sources, as train
        if validation_data is not None:
            if _is_dataset(validation_data):
                from tensorlet.training.dataset_batches import DatasetBatches

                val = DatasetBatches(validation_data, val_steps, self, "validation")
            elif da.is_generator_like(validation_data):
                val = da.GeneratorBatches(validation_data, steps=val_steps)
            else:
                parts = list(validation_data) if isinstance(validation_data, (list, tuple)) else []
                if len(parts) not in (2, 3):
                    raise ValueError("validation_data must be (x_val, y_val) or (x_val, y_val, val_sample_weight)")
                vx, vy, vsw = self._prepare_arrays(parts[0], parts[1], parts[2] if len(parts) == 3 else None,
                                                   "fit", "validation_data")
                val = da.ArrayBatches(vx, vy, vsw, val_bs or batch_size, False, val_steps)
        return train, val

    def _stop_on_exhausted(self) -> None:
        self.stop_training = True

    def _peek_build(self, batches: Any) -> None:
        if self.built and (not hasattr(self, "_stack") or getattr(self, "inputs", None)):
            return
        if batches.indexable:
            bx, _, _ = da.unpack(batches.data[0])
            self._ensure_built(bx)

    def _prepare_arrays(self, x: Any, y: Any, sw: Any, what: str, name: str = "x") -> tuple[Any, Any, Any]:
        if x is None:
            raise ValueError(f"{what}() needs input data `x`; received x=None")
        x = self._conform_inputs(x, name)
        y = targets.floatx_targets(da.to_numpy(checks.rows_to_array(y, "y") if checks.is_plain_rows(y) else y))
        checks.check_targets(self, y, what)
        sw = None if sw is None else da.to_numpy(sw)
        da.check_lengths(x, y, sw)
        checks.check_not_empty(x, name)
        da.check_finite(x)
        return x, y, sw

    def _conform_inputs(self, x: Any, name: str = "x") -> Any:
        """What ``fit``/``evaluate``/``predict`` make of ``x`` before batching: arrays, checked against the model."""
        x = da.to_numpy(checks.conform_x(self, x, name))
        checks.check_dict_keys(self, x, name)
        checks.check_features(self, x, name)
        checks.check_input_shapes(self, x, name)
        return input_conforming.conform(self, da.cast_inputs(x))

    def _check_targets(self, y: Any) -> None:
        """Once per fit, on the whole target array: label ranges for sparse losses, one-hot mix-ups."""
        if y is None:
            return
        from tensorlet.training.target_checks import check_targets

        out_shapes = [tuple(t.shape) for t in getattr(self, "outputs", [])] or None
        check_targets(self._loss_container, self._flat_targets(y), out_shapes)

    # -- evaluate ------------------------------------------------------------------------------------------
    def _evaluate_batches(self, data: Any, cb: Any, prefix: str = "") -> dict[str, float]:
        self.reset_metrics()  # fit read its epoch logs before validation starts
        custom = self._has_custom_step("test")
        logs: dict[str, float] = {}
        cb.on_test_begin()
        with backend.current().blas_threads(self, "test") as tick:
            for step, (bx, by, bsw) in enumerate(data.epoch()):
                cb.on_test_batch_begin(step)
                if custom:
                    logs = self._custom_step("test", bx, by, bsw)
                else:
                    self._batch("test", bx, by, bsw)
                    logs = self._logs()
                cb.on_test_batch_end(step, logs)
                tick()
        cb.on_test_end(logs)
        return {prefix + k: v for k, v in logs.items()}

    @exclusive
    @integer_arguments
    def evaluate(self, x: Any = None, y: Any = None, batch_size: int | None = None, verbose: Any = "auto",
                 sample_weight: Any = None, steps: int | None = None, callbacks: Any = None, max_queue_size: int = 10,
                 workers: int = 1, use_multiprocessing: bool = False, return_dict: bool = False,
                 **kwargs: Any) -> Any:
        """Loss and metrics on data: a scalar, a list in ``metrics_names`` order, or a dict."""
        from tensorlet.callbacks.callback_list import CallbackList
        from tensorlet.callbacks.progbar_logger import ProgbarLogger

        self._require_compiled("training/testing")
        verbose = checks.verbosity(verbose)
        batch_size = checks.count(batch_size, "batch_size") or 32
        steps = checks.count(steps, "steps", allow_minus_one=True)
        if _is_dataset(x):
            from tensorlet.training.dataset_batches import DatasetBatches, reject_arguments

            reject_arguments(y, sample_weight)
            data: Any = DatasetBatches(x, steps, self, "evaluate")
        elif da.is_generator_like(x):
            data = da.GeneratorBatches(x, steps=steps)
        else:
            x, y, sample_weight = self._prepare_arrays(x, y, sample_weight, "evaluate")
            self._ensure_built(x)
            data = da.ArrayBatches(x, y, sample_weight, batch_size, False, steps)
        cbs = list(callbacks or []) + ([ProgbarLogger()] if verbose else [])
        cb = CallbackList(cbs, model=self, params={"verbose": verbose, "steps": len(data) or None, "epochs": 1})
        logs = self._evaluate_batches(data, cb)
        if return_dict:
            return logs
        values = list(logs.values())
        return values[0] if len(values) == 1 else values

    # -- predict -------------------------------------------------------------------------------------------
    @integer_arguments
    def predict(self, x: Any, batch_size: int | None = None, verbose: Any = "auto", steps: int | None = None,
                callbacks: Any = None, max_queue_size: int = 10, workers: int = 1,
                use_multiprocessing: bool = False) -> Any:
        """Model outputs for ``x`` as NumPy arrays, computed batch by batch."""
        from tensorlet.callbacks.callback_list import CallbackList
        from tensorlet.callbacks.progbar_logger import ProgbarLogger

        verbose = checks.verbosity(verbose)
        batch_size = checks.count(batch_size, "batch_size") or 32
        steps = checks.count(steps, "steps", allow_minus_one=True)
        if _is_dataset(x):
            from tensorlet.training.dataset_batches import DatasetBatches

            data: Any = DatasetBatches(x, steps, self, "predict")
        elif da.is_generator_like(x):
            data = da.GeneratorBatches(x, steps=steps)
        else:
            x = self._conform_inputs(x)
            self._ensure_built(x)
            data = da.ArrayBatches(x, None, None, batch_size, False, steps)
        cbs = list(callbacks or []) + ([ProgbarLogger()] if verbose else [])
        cb = CallbackList(cbs, model=self, params={"verbose": verbose, "steps": len(data) or None, "epochs": 1})
        cb.on_predict_begin()
        runner = self._runner_obj()
        custom = self._has_custom_step("predict")
        chunks: list[list[Any]] = []
        with backend.current().blas_threads(self, "predict") as tick:
            for step, (bx, _, _) in enumerate(data.epoch()):
                cb.on_predict_batch_begin(step)
                outs = self._custom_predict(bx) if custom else runner.predict(_on_backend(da.flat(bx)), bx,
                                                                              _plan_rows(data))
                chunks.append([np.array(backend.to_numpy(o), copy=True) for o in outs])
                cb.on_predict_batch_end(step, {"outputs": chunks[-1]})
                tick()
        cb.on_predict_end()
        if not chunks:
            raise ValueError("predict received no data")
        outs = [np.concatenate([c[i] for c in chunks]) for i in range(len(chunks[0]))]
        structure = getattr(self, "_output_structure", None)
        if isinstance(structure, Mapping):
            return tree.pack_sequence_as(structure, outs)
        return outs[0] if len(outs) == 1 and not isinstance(structure, (list, tuple)) else outs


PREDICT_ROW_BLOCK = 32


def _plan_rows(data: Any) -> int | None:
    """The rows every predict batch runs with: a batch size of 32 or more rounded up to a multiple of 32. BLAS
    GEMM kernels round a row's result differently for ragged row counts (a few ulps; up to 1e-5 for M = 1 or
    2), so a row's prediction would depend on the batch it falls in; in blocks of 32 rows it does not. Smaller
    batch sizes keep their own plan: padding one row to 32 would make single-row predictions 7x slower."""
    batch_size = getattr(data, "batch_size", None)
    if not batch_size or batch_size < PREDICT_ROW_BLOCK:
        return batch_size
    return -(-int(batch_size) // PREDICT_ROW_BLOCK) * PREDICT_ROW_BLOCK


def _on_backend(arrays: list[Any]) -> list[Any]:
    """Host arrays (a batch) as arrays of the active backend; None entries stay None."""
    current = backend.current()
    if current.numpy_arrays:  # NumPy's arrays already are the backend's
        return arrays
    asarray = current.xp.asarray
    return [None if a is None else asarray(a) for a in arrays]
