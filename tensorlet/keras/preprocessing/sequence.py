"""``keras.preprocessing.sequence`` (Keras 2): pad_sequences (Keras 3 spells it ``keras.utils.pad_sequences``) and
the word2vec helpers skipgrams and make_sampling_table."""
from tensorlet.preprocessing.sequence import make_sampling_table, skipgrams
from tensorlet.utils.padding import pad_sequences
