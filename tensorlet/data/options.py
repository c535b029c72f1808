"""``tf.data.Options``: performance settings of a pipeline. tensorlet records them (``ds.options()`` gives them
back) but its pipeline runs the same way whatever they say: elements always keep their order."""
from __future__ import annotations

import enum
from typing import Any, Iterator

from tensorlet.data.chunk import Chunk
from tensorlet.data.dataset import Dataset
from tensorlet.data.iterator import IterContext


class AutoShardPolicy(enum.IntEnum):
    """``tf.data.experimental.AutoShardPolicy``."""

    OFF = -1
    AUTO = 0
    FILE = 1
    DATA = 2
    HINT = 3


class ExternalStatePolicy(enum.IntEnum):
    WARN = 0
    IGNORE = 1
    FAIL = 2


class _OptionsBase:
    """A group of named options: unknown names are an AttributeError, as in TensorFlow."""

    _defaults: dict[str, Any] = {}

    def __init__(self) -> None:
        for key, value in self._defaults.items():
            object.__setattr__(self, key, value() if isinstance(value, type) else value)

    def __setattr__(self, name: str, value: Any) -> None:
        if name not in self._defaults:
            raise AttributeError(f"Cannot set the property {name} on {type(self).__name__}.")
        object.__setattr__(self, name, value)

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and all(getattr(self, k) == getattr(other, k) for k in self._defaults)

    __hash__ = None  # type: ignore[assignment]

    def _merged(self, other: _OptionsBase) -> Any:
        out = type(self)()
        for key, default in self._defaults.items():
            mine, theirs = getattr(self, key), getattr(other, key)
            if isinstance(mine, _OptionsBase):
                object.__setattr__(out, key, mine._merged(theirs))
            else:
                object.__setattr__(out, key, theirs if theirs != (default() if isinstance(default, type)
                                                                   else default) else mine)
        return out

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={getattr(self, k)!r}' for k in self._defaults)})"


class DistributeOptions(_OptionsBase):
    _defaults = {"auto_shard_policy": AutoShardPolicy.AUTO, "num_devices": None}


class OptimizationOptions(_OptionsBase):
    _defaults = {name: None for name in (
        "apply_default_optimizations", "filter_fusion", "filter_parallelization", "inject_prefetch",
        "map_and_batch_fusion", "map_and_filter_fusion", "map_fusion", "map_parallelization", "noop_elimination",
        "parallel_batch", "seq_interleave_prefetch", "shuffle_and_repeat_fusion", "warm_start")}


class ThreadingOptions(_OptionsBase):
    _defaults = {"max_intra_op_parallelism": None, "private_threadpool_size": None}


class AutotuneOptions(_OptionsBase):
    _defaults = {"enabled": None, "cpu_budget": None, "ram_budget": None, "autotune_algorithm": None}


class Options(_OptionsBase):
    """``tf.data.Options()``: set attributes, then ``ds.with_options(options)``.

    Example:
        >>> import tensorlet as tf
        >>> options = tf.data.Options()
        >>> options.experimental_distribute.auto_shard_policy = tf.data.experimental.AutoShardPolicy.DATA
        >>> tf.data.Dataset.range(3).with_options(options).options().experimental_distribute.auto_shard_policy
        <AutoShardPolicy.DATA: 2>
    """

    _defaults = {"autotune": AutotuneOptions, "deterministic": None, "experimental_deterministic": None,
                 "experimental_distribute": DistributeOptions, "experimental_external_state_policy": None,
                 "experimental_optimization": OptimizationOptions, "experimental_slack": None,
                 "experimental_symbolic_checkpoint": None, "experimental_warm_start": None,
                 "framework_type": None, "threading": ThreadingOptions, "experimental_threading": ThreadingOptions,
                 "dataset_name": None}

    def merge(self, options: Options) -> Options:
        """These options with the ones set in ``options`` on top."""
        if not isinstance(options, Options):
            raise TypeError(f"Options.merge: expected tf.data.Options, got {type(options).__name__}")
        return self._merged(options)  # type: ignore[no-any-return]


class OptionsDataset(Dataset):
    _repr_name = "_OptionsDataset"

    def __init__(self, input_dataset: Dataset, options: Any) -> None:
        if not isinstance(options, Options):
            raise TypeError(f"with_options: expected tf.data.Options, got {type(options).__name__}")
        self._input = input_dataset
        super().__init__([input_dataset], input_dataset.element_spec)
        self._options = input_dataset.options().merge(options)

    def _cardinality(self) -> int:
        return self._input._cardinality()

    def _chunks(self, ctx: IterContext) -> Iterator[Chunk]:
        return self._input._chunks(ctx)
