"""``keras.applications.vgg16``."""
from tensorlet.applications.vgg import (  # noqa: F401
    VGG16,
    decode_predictions,
    preprocess_input,
)
