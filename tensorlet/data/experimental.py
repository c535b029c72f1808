"""``tf.data.experimental``: the older spellings of ``tf.data`` features, most of them functions that return a
transformation for ``Dataset.apply``."""
from __future__ import annotations

from typing import Any, Callable

from tensorlet.data.cardinality import AUTOTUNE
from tensorlet.data.cardinality import INFINITE as INFINITE_CARDINALITY
from tensorlet.data.cardinality import UNKNOWN as UNKNOWN_CARDINALITY
from tensorlet.data.dataset import Dataset
from tensorlet.data.options import (
    AutoShardPolicy,
    AutotuneOptions,
    DistributeOptions,
    ExternalStatePolicy,
    OptimizationOptions,
    ThreadingOptions,
)

Transformation = Callable[[Dataset], Dataset]


def cardinality(dataset: Dataset) -> Any:
    """``dataset.cardinality()``."""
    return dataset.cardinality()


def assert_cardinality(expected_cardinality: Any) -> Transformation:
    """Declare the number of elements (checked as the dataset is read): ``ds.apply(assert_cardinality(n))``."""
    from tensorlet.data.assertions import AssertCardinalityDataset

    return lambda ds: AssertCardinalityDataset(ds, expected_cardinality)


def Counter(start: int = 0, step: int = 1, dtype: Any = "int64") -> Dataset:  # noqa: N802 - TensorFlow's name
    """``start, start + step, ...`` without end."""
    return Dataset.counter(start, step, dtype)


def ignore_errors(log_warning: bool = False) -> Transformation:
    return lambda ds: ds.ignore_errors(log_warning)


def unique() -> Transformation:
    return lambda ds: ds.unique()


def shuffle_and_repeat(buffer_size: int, count: int | None = None, seed: int | None = None) -> Transformation:
    return lambda ds: ds.shuffle(buffer_size, seed=seed).repeat(count)


def dense_to_ragged_batch(batch_size: int, drop_remainder: bool = False, row_splits_dtype: Any = "int64"
                          ) -> Transformation:
    return lambda ds: ds.ragged_batch(batch_size, drop_remainder, row_splits_dtype)


def group_by_window(key_func: Callable[..., Any], reduce_func: Callable[..., Any], window_size: int | None = None,
                    window_size_func: Callable[..., Any] | None = None) -> Transformation:
    return lambda ds: ds.group_by_window(key_func, reduce_func, window_size, window_size_func)


def bucket_by_sequence_length(element_length_func: Callable[..., Any], bucket_boundaries: Any,
                              bucket_batch_sizes: Any, padded_shapes: Any = None, padding_values: Any = None,
                              pad_to_bucket_boundary: bool = False, no_padding: bool = False,
                              drop_remainder: bool = False) -> Transformation:
    return lambda ds: ds.bucket_by_sequence_length(element_length_func, bucket_boundaries, bucket_batch_sizes,
                                                   padded_shapes, padding_values, pad_to_bucket_boundary,
                                                   no_padding, drop_remainder)


def scan(initial_state: Any, scan_func: Callable[..., Any]) -> Transformation:
    return lambda ds: ds.scan(initial_state, scan_func)


def take_while(predicate: Callable[..., Any]) -> Transformation:
    return lambda ds: ds.take_while(predicate)


def enumerate_dataset(start: int = 0) -> Transformation:
    return lambda ds: ds.enumerate(start)


def map_and_batch(map_func: Callable[..., Any], batch_size: int, num_parallel_batches: Any = None,
                  drop_remainder: bool = False, num_parallel_calls: Any = None) -> Transformation:
    return lambda ds: ds.map(map_func).batch(batch_size, drop_remainder)


def prefetch_to_device(device: str, buffer_size: Any = None) -> Transformation:
    """tensorlet has one device: a plain prefetch."""
    return lambda ds: ds.prefetch(AUTOTUNE if buffer_size is None else buffer_size)


def copy_to_device(target_device: str, source_device: str = "/cpu:0") -> Transformation:
    return lambda ds: ds


def sample_from_datasets(datasets: Any, weights: Any = None, seed: int | None = None,
                         stop_on_empty_dataset: bool = False) -> Dataset:
    return Dataset.sample_from_datasets(datasets, weights, seed, stop_on_empty_dataset)


def choose_from_datasets(datasets: Any, choice_dataset: Dataset, stop_on_empty_dataset: bool = True) -> Dataset:
    return Dataset.choose_from_datasets(datasets, choice_dataset, stop_on_empty_dataset)


def get_single_element(dataset: Dataset) -> Any:
    return dataset.get_single_element()


def save(dataset: Dataset, path: str, compression: Any = None, shard_func: Any = None,
         checkpoint_args: Any = None) -> None:
    dataset.save(path, compression)


def load(path: str, element_spec: Any = None, compression: Any = None, reader_func: Any = None) -> Dataset:
    return Dataset.load(path, element_spec, compression)


class TFRecordWriter:
    """``tf.data.experimental.TFRecordWriter(filename)``: ``write(dataset)`` writes a dataset of scalar strings
    as a TFRecord file."""

    def __init__(self, filename: str, compression_type: Any = None) -> None:
        self.filename, self.compression_type = filename, compression_type

    def write(self, dataset: Dataset) -> None:
        from tensorlet.io.tfrecord import TFRecordWriter as _Writer

        spec = dataset.element_spec
        if getattr(spec, "dtype", None) is None or spec.dtype.name != "string" or len(spec.shape):
            raise TypeError(f"TFRecordWriter.write: the dataset must have scalar tf.string elements, got {spec!r}")
        with _Writer(self.filename, self.compression_type) as writer:
            for record in dataset.as_numpy_iterator():
                writer.write(record)


__all__ = ["AUTOTUNE", "AutoShardPolicy", "AutotuneOptions", "Counter", "DistributeOptions", "ExternalStatePolicy",
           "INFINITE_CARDINALITY", "OptimizationOptions", "TFRecordWriter", "ThreadingOptions",
           "UNKNOWN_CARDINALITY", "assert_cardinality", "bucket_by_sequence_length", "cardinality",
           "choose_from_datasets", "copy_to_device", "dense_to_ragged_batch", "enumerate_dataset",
           "get_single_element", "group_by_window", "ignore_errors", "load", "map_and_batch",
           "prefetch_to_device", "sample_from_datasets", "save", "scan", "shuffle_and_repeat", "take_while",
           "unique"]
