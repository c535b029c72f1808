"""Image codecs on string tensors: ``decode_jpeg``/``png``/``bmp``/``gif``/``image``, ``encode_jpeg``/``png``,
``decode_and_crop_jpeg``, ``extract_jpeg_shape``, ``is_jpeg``, and JPEG-quality adjustments.

Decoding runs in Pillow (an optional dependency: ``pip install 'tensorlet[image]'``). Pillow's JPEG decoder is
libjpeg-turbo, as TensorFlow's is, with the same defaults (accurate integer DCT, fancy upsampling), so decoded
pixels normally equal TensorFlow's; the parity tests measure it. Grayscale output from a colour JPEG is the
decoder's luma channel (as in TensorFlow), not a conversion of the decoded RGB.

Inside a traced function (``tf.function``, a dataset's ``map``) each codec call is a host step, run on every call
with that call's string.
"""
from __future__ import annotations

import io
from typing import Any

import numpy as np

from tensorlet.autodiff.host_call import host_call
from tensorlet.autodiff.tensor import Tensor, constant
from tensorlet.dtypes import np_dtype
from tensorlet.image.pillow import pil_image

_JPEG, _PNG, _GIF, _BMP, _WEBP = b"\xff\xd8\xff", b"\x89PN", b"GIF", b"BM", b"RIFF"


def _bytes(contents: Any) -> bytes:
    """The bytes of a scalar string tensor, ``bytes`` or ``str`` (latin-1, as TF strings are byte strings)."""
    value = contents.numpy() if isinstance(contents, Tensor) else contents
    if isinstance(value, (list, tuple)):
        value = np.asarray(value, dtype=object)
    if isinstance(value, np.ndarray):
        if value.ndim != 0:
            raise ValueError(f"contents must be a scalar string (one encoded image), got shape {value.shape}")
        value = value[()]
    if isinstance(value, str):
        value = value.encode("latin-1")
    if not isinstance(value, (bytes, bytearray, memoryview)):
        raise TypeError(f"contents must be a string tensor or bytes (an encoded image), got {type(value).__name__}")
    return bytes(value)


def _host(fn: Any, contents: Any, *args: Any) -> Tensor:
    """Run ``fn(bytes, *args)`` now, or in a traced function on every call (the output shaped as now)."""
    t = contents if isinstance(contents, Tensor) else constant(_bytes(contents))

    def run(c: Any) -> Any:
        return constant(fn(_bytes(c), *args))

    return host_call(run, (t,), example=lambda: fn(_bytes(t), *args))  # type: ignore[no-any-return]


def _open(data: bytes, what: str) -> Any:
    Image = pil_image()
    try:
        img = Image.open(io.BytesIO(data))
        img.load() if what != "header" else None
    except Exception as e:  # noqa: BLE001 - Pillow raises many types for corrupt data
        from tensorlet.errors import InvalidArgumentError

        raise InvalidArgumentError(f"Unknown image file format or corrupt data ({what}): {e}") from None
    return img


def _check_channels(channels: Any, allowed: tuple[int, ...], fn: str) -> int:
    c = 0 if channels is None else int(channels)
    if c not in allowed:
        raise ValueError(f"{fn}: channels must be one of {list(allowed)}, got {channels!r}")
    return c


def _to_array(img: Any, channels: int, dtype: Any = np.uint8) -> np.ndarray:
    """Pixels of a Pillow image as (H, W, C): C as in the file for channels=0, else converted."""
    mode = img.mode
    if mode in ("P", "PA"):
        img = img.convert("RGBA" if "transparency" in img.info or mode == "PA" else "RGB")
    elif mode in ("1",):
        img = img.convert("L")
    elif mode in ("CMYK", "YCbCr", "LAB", "HSV"):
        img = img.convert("RGB")
    wide = img.mode in ("I;16", "I;16B", "I;16L", "I") and np.dtype(dtype) == np.uint16
    if img.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        arr = np.asarray(img)
        if not wide:  # 16-bit samples keep their high byte, as libpng's strip_16
            arr = (arr.astype(np.uint32) >> 8).astype(np.uint8)
        arr = arr[..., None]
    else:
        arr = np.asarray(img)
        if arr.ndim == 2:
            arr = arr[..., None]
        if np.dtype(dtype) == np.uint16:
            arr = arr.astype(np.uint16) * 257
    have = arr.shape[-1]
    if channels and channels != have:
        arr = _convert_channels(arr, channels)
    return np.ascontiguousarray(arr)


def _convert_channels(arr: np.ndarray, channels: int) -> np.ndarray:
    have = arr.shape[-1]
    color = arr[..., :3] if have >= 3 else np.repeat(arr[..., :1], 3, axis=-1)
    alpha = arr[..., -1:] if have in (2, 4) else np.full(arr.shape[:-1] + (1,), np.iinfo(arr.dtype).max, arr.dtype)
    if channels == 1:
        if have >= 3:  # libpng's fixed-point luma (weights 0.299, 0.587, 0.114 in 1/32768ths, truncated)
            c = color.astype(np.int64)
            gray = (9797 * c[..., 0] + 19234 * c[..., 1] + 3737 * c[..., 2]) >> 15
            return gray[..., None].astype(arr.dtype)
        return arr[..., :1]
    if channels == 2:
        return np.concatenate([_convert_channels(arr, 1), alpha], axis=-1)
    if channels == 3:
        return color
    return np.concatenate([color, alpha], axis=-1)


# -- decoders ----------------------------------------------------------------------------------------------------
def _load_jpeg(data: bytes, channels: int, ratio: int = 1, dct_method: str = "") -> Any:
    """The decoded Pillow image of a JPEG, decoded as TensorFlow's decoder does it for ``channels``/``ratio``."""
    if not data.startswith(_JPEG):
        from tensorlet.errors import InvalidArgumentError

        raise InvalidArgumentError("decode_jpeg: the contents are not a JPEG image (they do not start with FF D8 FF)")
    img = _open(data, "header")
    w, h = img.size
    luma = channels == 1 or (channels == 0 and img.mode == "L")
    if luma or ratio > 1:  # the decoder outputs luma / scales by DCT itself, as libjpeg does for TF
        img.draft("L" if luma else None, (max(w // ratio, 1), max(h // ratio, 1)))
    _choose_dct(img, luma, dct_method)
    try:
        img.load()
    except Exception as e:  # noqa: BLE001 - Pillow raises many types for corrupt data
        from tensorlet.errors import InvalidArgumentError

        raise InvalidArgumentError(f"Unknown image file format or corrupt data (jpeg): {e}") from None
    return img


def _decode_jpeg(data: bytes, channels: int, ratio: int, crop: Any = None, dct_method: str = "") -> np.ndarray:
    arr = _to_array(_load_jpeg(data, channels, ratio, dct_method), channels)
    if crop is not None:
        y, x, ch, cw = (int(v) for v in crop)
        if y < 0 or x < 0 or ch <= 0 or cw <= 0 or y + ch > arr.shape[0] or x + cw > arr.shape[1]:
            from tensorlet.errors import InvalidArgumentError

            raise InvalidArgumentError(f"decode_and_crop_jpeg: crop window {[y, x, ch, cw]} is outside the image "
                                       f"{arr.shape[0]}x{arr.shape[1]}")
        arr = arr[y:y + ch, x:x + cw]
    return np.ascontiguousarray(arr)


def _choose_dct(img: Any, luma: bool, dct_method: str) -> None:
    """Select TF's IDCT where Pillow can: TF's default (and "INTEGER_FAST") is libjpeg's fast integer IDCT, which
    Pillow selects only together with plain (not "fancy") chroma upsampling. That combination equals TF's output
    when no chroma is upsampled (grayscale output, 4:4:4 files); for subsampled colour the accurate IDCT with
    fancy upsampling is kept, which differs from TF's default by a few levels (and equals TF's
    ``dct_method="INTEGER_ACCURATE"``)."""
    if dct_method == "INTEGER_ACCURATE" or img.format != "JPEG":
        return
    from PIL import JpegImagePlugin

    if not (luma or img.mode == "L" or JpegImagePlugin.get_sampling(img) == 0):
        return
    config = getattr(img, "decoderconfig", None) or (1, 0)
    if isinstance(config, tuple) and len(config) == 2:  # (scale, draft): draft selects the fast IDCT
        img.decoderconfig = (config[0], 1)


def decode_jpeg(contents: Any, channels: int = 0, ratio: int = 1, fancy_upscaling: bool = True,
                try_recover_truncated: bool = False, acceptable_fraction: float = 1, dct_method: str = "",
                name: Any = None) -> Tensor:
    """Decode a JPEG to a uint8 ``(height, width, channels)`` tensor.

    Args:
        contents: a scalar string tensor (or bytes) holding the file.
        channels: 0 (as in the file), 1 (grayscale) or 3 (RGB).
        ratio: downscale by 1, 2, 4 or 8 while decoding.
    """
    c = _check_channels(channels, (0, 1, 3), "decode_jpeg")
    r = int(ratio)
    if r not in (1, 2, 4, 8):
        raise ValueError(f"decode_jpeg: ratio must be 1, 2, 4 or 8, got {ratio!r}")
    return _host(_decode_jpeg, contents, c, r, None, dct_method)


def decode_and_crop_jpeg(contents: Any, crop_window: Any, channels: int = 0, ratio: int = 1,
                         fancy_upscaling: bool = True, try_recover_truncated: bool = False,
                         acceptable_fraction: float = 1, dct_method: str = "", name: Any = None) -> Tensor:
    """Decode a JPEG and keep ``crop_window = [y, x, height, width]``."""
    c = _check_channels(channels, (0, 1, 3), "decode_and_crop_jpeg")
    window = np.asarray(crop_window.numpy() if isinstance(crop_window, Tensor) else crop_window).reshape(-1)
    if window.shape != (4,):
        raise ValueError(f"crop_window must be [y, x, height, width], got {crop_window!r}")
    return _host(_decode_jpeg, contents, c, int(ratio), tuple(int(v) for v in window), dct_method)


def _decode_png(data: bytes, channels: int, dtype: Any) -> np.ndarray:
    if not data.startswith(_PNG):
        from tensorlet.errors import InvalidArgumentError

        raise InvalidArgumentError("decode_png: the contents are not a PNG image")
    return _to_array(_open(data, "png"), channels, dtype)


def decode_png(contents: Any, channels: int = 0, dtype: Any = "uint8", name: Any = None) -> Tensor:
    """Decode a PNG to a uint8 (or uint16) ``(height, width, channels)`` tensor; channels 0 (as in the file), 1,
    2 (gray + alpha), 3 or 4 (RGBA)."""
    c = _check_channels(channels, (0, 1, 2, 3, 4), "decode_png")
    d = np_dtype(dtype)
    if d not in (np.uint8, np.uint16):
        raise ValueError(f"decode_png: dtype must be uint8 or uint16, got {dtype!r}")
    return _host(_decode_png, contents, c, d)


def _decode_bmp(data: bytes, channels: int) -> np.ndarray:
    if not data.startswith(_BMP):
        from tensorlet.errors import InvalidArgumentError

        raise InvalidArgumentError("decode_bmp: the contents are not a BMP image")
    return _to_array(_open(data, "bmp"), channels)


def decode_bmp(contents: Any, channels: int = 0, name: Any = None) -> Tensor:
    """Decode a BMP to a uint8 ``(height, width, channels)`` tensor (channels 0, 1, 3 or 4)."""
    return _host(_decode_bmp, contents, _check_channels(channels, (0, 1, 3, 4), "decode_bmp"))


def _gif_frames(data: bytes) -> np.ndarray:
    img = _open(data, "gif")
    frames = []
    for i in range(getattr(img, "n_frames", 1)):
        img.seek(i)
        frames.append(np.asarray(img.convert("RGB")))
    return np.stack(frames)


def _decode_gif(data: bytes) -> np.ndarray:
    if not data.startswith(_GIF):
        from tensorlet.errors import InvalidArgumentError

        raise InvalidArgumentError("decode_gif: the contents are not a GIF image")
    return _gif_frames(data)


def decode_gif(contents: Any, name: Any = None) -> Tensor:
    """Decode a (possibly animated) GIF to a uint8 ``(frames, height, width, 3)`` tensor."""
    return _host(_decode_gif, contents)


def _decode_any(data: bytes, channels: int, dtype: Any, expand_animations: bool) -> np.ndarray:
    if data.startswith(_JPEG):
        if channels not in (0, 1, 3):
            from tensorlet.errors import InvalidArgumentError

            raise InvalidArgumentError(f"JPEG does not support {channels} channels")
        return _decode_jpeg(data, channels, 1)
    if data.startswith(_PNG):
        return _decode_png(data, channels, np.uint16 if dtype == np.uint16 else np.uint8)
    if data.startswith(_GIF):
        frames = _gif_frames(data)
        if channels not in (0, 3):
            frames = _convert_channels(frames, channels)
        return frames if expand_animations else frames[0]
    if data.startswith(_BMP):
        return _decode_bmp(data, channels)
    if data.startswith(_WEBP) and data[8:12] == b"WEBP":
        return _to_array(_open(data, "webp"), channels)
    from tensorlet.errors import InvalidArgumentError

    raise InvalidArgumentError("Unknown image file format. One of JPEG, PNG, GIF, BMP required.")


def decode_image(contents: Any, channels: Any = None, dtype: Any = "uint8", name: Any = None,
                 expand_animations: bool = True) -> Tensor:
    """Decode a JPEG, PNG, GIF, BMP (or WebP) by its header; GIFs give 4-D frames unless ``expand_animations``
    is False. ``dtype`` float32 rescales to [0, 1] (``convert_image_dtype``)."""
    from tensorlet.image.dtype_conversion import convert_image_dtype

    c = _check_channels(channels, (0, 1, 2, 3, 4), "decode_image")
    d = np_dtype(dtype)
    decode_dtype = d if d in (np.uint8, np.uint16) else np.dtype(np.uint16) if d.kind != "f" else np.dtype(np.uint8)
    image = _host(_decode_any, contents, c, decode_dtype, bool(expand_animations))
    return image if d == decode_dtype else convert_image_dtype(image, d)


def _header(data: bytes) -> np.ndarray:
    if not data.startswith(_JPEG):
        from tensorlet.errors import InvalidArgumentError

        raise InvalidArgumentError("extract_jpeg_shape: the contents are not a JPEG image")
    img = _open(data, "header")
    return np.asarray([img.size[1], img.size[0], {"L": 1, "CMYK": 4}.get(img.mode, 3)])


def extract_jpeg_shape(contents: Any, output_type: Any = "int32", name: Any = None) -> Tensor:
    """[height, width, channels] of a JPEG, read from its header alone."""
    from tensorlet.ops.elementwise import cast

    return cast(_host(_header, contents), output_type)


def is_jpeg(contents: Any, name: Any = None) -> Tensor:
    """Whether the string starts like a JPEG file (FF D8 FF)."""
    return _host(lambda data: np.asarray(data.startswith(_JPEG)), contents)


# -- encoders ----------------------------------------------------------------------------------------------------
def _pillow_from_array(arr: np.ndarray, fn: str) -> Any:
    Image = pil_image()
    if arr.ndim != 3:
        raise ValueError(f"{fn}: image must be 3-dimensional (height, width, channels), got shape {arr.shape}")
    c = arr.shape[-1]
    if arr.dtype == np.uint16:
        if c != 1:
            raise ValueError(f"{fn}: 16-bit images are encoded with one channel only here, got {c}")
        return Image.fromarray(np.ascontiguousarray(arr[..., 0]))  # mode I;16
    if arr.dtype != np.uint8:
        raise TypeError(f"{fn}: image must be uint8 (or uint16 for PNG), got {arr.dtype}")
    if c not in (1, 2, 3, 4):
        raise ValueError(f"{fn}: image must have 1, 2, 3 or 4 channels, got {c}")
    return Image.fromarray(np.ascontiguousarray(arr[..., 0] if c == 1 else arr))


def _encode_jpeg(arr: np.ndarray, quality: int, progressive: bool, optimize: bool, subsampling: int,
                 dpi: tuple[int, int]) -> bytes:
    if arr.ndim != 3 or arr.shape[-1] not in (1, 3):
        raise ValueError(f"encode_jpeg: image must be (height, width, 1 or 3), got shape {arr.shape}")
    img = _pillow_from_array(np.asarray(arr), "encode_jpeg")
    buf = io.BytesIO()
    img.save(buf, format="JPEG", quality=int(quality), progressive=bool(progressive), optimize=bool(optimize),
             subsampling=subsampling, dpi=dpi)
    return buf.getvalue()


def encode_jpeg(image: Any, format: str = "", quality: int = 95, progressive: bool = False,  # noqa: A002
                optimize_size: bool = False, chroma_downsampling: bool = True, density_unit: str = "in",
                x_density: int = 300, y_density: int = 300, xmp_metadata: str = "", name: Any = None) -> Tensor:
    """Encode a uint8 ``(height, width, 1 or 3)`` image as a JPEG string tensor (Pillow's encoder)."""
    from tensorlet.ops.convert import as_tensor

    t = as_tensor(image)
    q = int(quality)
    if not 0 <= q <= 100:
        raise ValueError(f"encode_jpeg: quality must be in [0, 100], got {quality}")
    subsampling = 2 if chroma_downsampling else 0

    def run(x: Tensor) -> Tensor:
        return constant(_encode_jpeg(x.numpy(), q, progressive, optimize_size, subsampling,
                                     (int(x_density), int(y_density))))

    return host_call(run, (t,), example=lambda: np.asarray(b"", dtype=object))  # type: ignore[no-any-return]


def _encode_png(arr: np.ndarray, compression: int) -> bytes:
    img = _pillow_from_array(np.asarray(arr), "encode_png")
    buf = io.BytesIO()
    img.save(buf, format="PNG", compress_level=6 if compression < 0 else min(int(compression), 9))
    return buf.getvalue()


def encode_png(image: Any, compression: int = -1, name: Any = None) -> Tensor:
    """Encode a uint8 (or 1-channel uint16) ``(height, width, channels)`` image as a PNG string tensor."""
    from tensorlet.ops.convert import as_tensor

    t = as_tensor(image)
    level = int(compression)

    def run(x: Tensor) -> Tensor:
        return constant(_encode_png(x.numpy(), level))

    return host_call(run, (t,), example=lambda: np.asarray(b"", dtype=object))  # type: ignore[no-any-return]


# -- JPEG quality as an augmentation -----------------------------------------------------------------------------
def adjust_jpeg_quality(image: Any, jpeg_quality: Any, dct_method: str = "", name: Any = None) -> Tensor:
    """Re-encode as a JPEG of ``jpeg_quality`` (0-100) and decode again (no gradient, as in TF)."""
    from tensorlet.image.dtype_conversion import convert_image_dtype
    from tensorlet.ops.convert import as_tensor

    t = as_tensor(image)
    dtype = t._value.dtype
    channels = t._value.shape[-1]
    as_uint8 = convert_image_dtype(t, "uint8", saturate=True)
    q = jpeg_quality if isinstance(jpeg_quality, Tensor) else constant(int(jpeg_quality))

    def run(x: Tensor, quality: Tensor) -> Any:
        data = _encode_jpeg(x.numpy(), int(quality.numpy()), False, False, 2, (300, 300))
        return _decode_jpeg(data, channels, 1)

    out = host_call(run, (as_uint8, q), example=lambda: run(as_uint8, q))
    return convert_image_dtype(out, dtype, saturate=True)


def random_jpeg_quality(image: Any, min_jpeg_quality: Any, max_jpeg_quality: Any, seed: Any = None) -> Tensor:
    """``adjust_jpeg_quality`` with a quality drawn uniformly from [min, max)."""
    from tensorlet.random import uniform

    lo, hi = _quality_range(min_jpeg_quality, max_jpeg_quality)
    return adjust_jpeg_quality(image, uniform([], lo, hi, dtype="int32", seed=seed))


def stateless_random_jpeg_quality(image: Any, min_jpeg_quality: Any, max_jpeg_quality: Any, seed: Any) -> Tensor:
    from tensorlet.stateless_random import stateless_uniform

    lo, hi = _quality_range(min_jpeg_quality, max_jpeg_quality)
    return adjust_jpeg_quality(image, stateless_uniform([], seed, lo, hi, dtype="int32"))


def _quality_range(lo: Any, hi: Any) -> tuple[int, int]:
    a, b = int(lo), int(hi)
    if not (0 <= a <= 100 and 0 <= b <= 100):
        raise ValueError("jpeg encoding range must be between 0 and 100.")
    if a >= b:
        raise ValueError("`min_jpeg_quality` must be less than `max_jpeg_quality`.")
    return a, b
