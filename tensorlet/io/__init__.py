"""``tf.io``: whole files (``read_file``, ``write_file``), the ``gfile`` file API, and the image codecs
(``decode_jpeg``, ``decode_png``, ``decode_image``, ``encode_jpeg``, ``encode_png``...)."""
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
from tensorlet.io.file_contents import read_file, write_file

__all__ = ["decode_and_crop_jpeg", "decode_bmp", "decode_gif", "decode_image", "decode_jpeg", "decode_png",
           "encode_jpeg", "encode_png", "extract_jpeg_shape", "gfile", "is_jpeg", "read_file", "write_file"]
