"""``keras.applications.nasnet``."""
from tensorlet.applications.nasnet import (  # noqa: F401
    NASNetLarge,
    NASNetMobile,
    decode_predictions,
    preprocess_input,
)
