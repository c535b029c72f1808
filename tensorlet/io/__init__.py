"""``tf.io``: TFRecord files, ``tf.train.Example`` parsing, whole files, and tensors as bytes."""
from tensorlet.io.example_parsing import (
    FixedLenFeature,
    FixedLenSequenceFeature,
    VarLenFeature,
    parse_example,
    parse_single_example,
)
from tensorlet.io.file_io import matching_files, read_file, write_file
from tensorlet.io.tensor_bytes import decode_raw, parse_tensor, serialize_tensor
from tensorlet.io.tfrecord import TFRecordOptions, TFRecordWriter

__all__ = ["FixedLenFeature", "FixedLenSequenceFeature", "TFRecordOptions", "TFRecordWriter", "VarLenFeature",
           "decode_raw", "matching_files", "parse_example", "parse_single_example", "parse_tensor", "read_file",
           "serialize_tensor", "write_file"]
