"""``keras.applications.mobilenet``."""
from tensorlet.applications.mobilenet import (  # noqa: F401
    MobileNet,
    decode_predictions,
    preprocess_input,
)
