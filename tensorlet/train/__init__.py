"""``tf.train``: the ``Example`` protocol buffers stored in TFRecord files."""
from tensorlet.train.example import BytesList, Example, Feature, Features, FloatList, Int64List

__all__ = ["BytesList", "Example", "Feature", "Features", "FloatList", "Int64List"]
