"""``keras.preprocessing`` (Keras 2): the ``text`` and ``sequence`` helpers, and
``timeseries_dataset_from_array`` and ``text_dataset_from_directory``."""
from tensorlet.keras.preprocessing import sequence, text
from tensorlet.keras.utils import timeseries_dataset_from_array
from tensorlet.utils.text_dataset import text_dataset_from_directory  # noqa: F401  (Keras 2's spelling)
