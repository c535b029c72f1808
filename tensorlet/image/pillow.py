"""Pillow, the optional image codec library (``pip install 'tensorlet[image]'``)."""
from __future__ import annotations

from typing import Any

INSTALL_HINT = "pip install 'tensorlet[image]'  (or: pip install pillow)"


def pil_image() -> Any:
    """``PIL.Image``, or an ImportError that says what to install."""
    try:
        from PIL import Image
    except ImportError:
        raise ImportError("Decoding and encoding image files needs Pillow, which is not installed. Install it with: "
                          + INSTALL_HINT) from None
    return Image
