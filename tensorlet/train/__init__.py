"""``tf.train``: the ``Example`` protocol buffers stored in TFRecord files."""
from tensorlet.train.example import BytesList, Example, Feature, Features, FloatList, Int64List

__all__ = ["BytesList", "Example", "Feature", "Features", "FloatList", "Int64List"]


def __getattr__(name: str) -> object:
    raise AttributeError(f"module 'tensorflow.train' has no attribute '{name}': tensorflow.train.{name} is not "
                         "provided by tensorlet (its tf.train holds the Example protocol buffers)")
