"""``keras.preprocessing`` (Keras 2): the ``text`` and ``sequence`` helpers, and
``timeseries_dataset_from_array``."""
from tensorlet.keras.preprocessing import sequence, text
from tensorlet.keras.utils import timeseries_dataset_from_array
