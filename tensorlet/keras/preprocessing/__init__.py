"""``keras.preprocessing`` (Keras 2): the ``text`` and ``sequence`` helpers."""
from tensorlet.keras.preprocessing import sequence, text
from tensorlet.utils.text_dataset import text_dataset_from_directory  # noqa: F401  (Keras 2's spelling)
