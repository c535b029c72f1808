"""``keras.preprocessing.sequence`` (Keras 2); Keras 3 spells it ``keras.utils.pad_sequences``."""
from tensorlet.utils.padding import pad_sequences
