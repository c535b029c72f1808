"""``keras.applications.mobilenet_v3``."""
from tensorlet.applications.mobilenet_v3 import (  # noqa: F401
    MobileNetV3Large,
    MobileNetV3Small,
    decode_predictions,
    preprocess_input,
)
