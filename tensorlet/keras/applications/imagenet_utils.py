"""``keras.applications.imagenet_utils``."""
from tensorlet.applications.imagenet_utils import decode_predictions, preprocess_input  # noqa: F401
