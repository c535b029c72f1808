"""``keras.applications.xception``."""
from tensorlet.applications.xception import (  # noqa: F401
    Xception,
    decode_predictions,
    preprocess_input,
)
