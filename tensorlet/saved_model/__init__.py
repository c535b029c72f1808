"""``tf.saved_model``: ``save`` and ``load`` a directory in tensorlet's own layout (``saved_model.save`` says what
is in it; TensorFlow's protobuf graph is not produced, and TensorFlow's SavedModels are not read). Re-exports only.
"""
from tensorlet.saved_model.load import LoadOptions, contains_saved_model, load  # noqa: F401
from tensorlet.saved_model.save import SaveOptions, save  # noqa: F401

SERVING = "serve"
TRAINING = "train"
GPU = "gpu"
TPU = "tpu"
DEFAULT_SERVING_SIGNATURE_DEF_KEY = "serving_default"
