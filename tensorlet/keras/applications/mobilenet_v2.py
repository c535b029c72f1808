"""``keras.applications.mobilenet_v2``."""
from tensorlet.applications.mobilenet_v2 import (  # noqa: F401
    MobileNetV2,
    decode_predictions,
    preprocess_input,
)
