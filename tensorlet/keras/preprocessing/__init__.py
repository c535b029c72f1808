"""``keras.preprocessing`` (Keras 2): the ``text``, ``sequence`` and ``image`` helpers,
``timeseries_dataset_from_array``, ``image_dataset_from_directory`` and ``text_dataset_from_directory``."""
from tensorlet.keras.preprocessing import image, sequence, text
from tensorlet.keras.utils import timeseries_dataset_from_array
from tensorlet.preprocessing.image.dataset_from_directory import image_dataset_from_directory
from tensorlet.utils.text_dataset import text_dataset_from_directory  # noqa: F401  (Keras 2's spelling)
