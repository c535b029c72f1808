"""``keras.preprocessing.text`` (Keras 2): Tokenizer and the text helpers."""
from tensorlet.preprocessing.text import hashing_trick, one_hot, text_to_word_sequence
from tensorlet.preprocessing.tokenizer import Tokenizer, tokenizer_from_json
