"""``keras.applications.vgg19``."""
from tensorlet.applications.vgg import (  # noqa: F401
    VGG19,
    decode_predictions,
    preprocess_input,
)
