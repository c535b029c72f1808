"""``keras.applications.resnet50``."""
from tensorlet.applications.resnet import (  # noqa: F401
    ResNet50,
    decode_predictions,
    preprocess_input,
)
