"""``tf.io``: TFRecord files, ``tf.train.Example`` parsing, whole files (``read_file``, ``write_file``), the
``gfile`` file API, tensors as bytes, and the image codecs (``decode_jpeg``, ``decode_png``, ``decode_image``,
``encode_jpeg``, ``encode_png``...)."""
from tensorlet.image.codecs import (
    decode_and_crop_jpeg,
    decode_bmp,
    decode_gif,
    decode_image,
    decode_jpeg,
    decode_png,
    encode_jpeg,
    encode_png,
    extract_jpeg_shape,
    is_jpeg,
)
from tensorlet.io import gfile
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
           "decode_and_crop_jpeg", "decode_bmp", "decode_gif", "decode_image", "decode_jpeg", "decode_png",
           "decode_raw", "encode_jpeg", "encode_png", "extract_jpeg_shape", "gfile", "is_jpeg", "matching_files",
           "parse_example", "parse_single_example", "parse_tensor", "read_file", "serialize_tensor", "write_file"]
