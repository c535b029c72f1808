"""Topic classification of fortune cookies, the Keras 2 way (Tokenizer -> pad_sequences -> Embedding -> ...), as the
DeepLearning.AI NLP notebooks write it, on a real corpus that needs no network (Debian's ``fortunes`` package).

    apt-get install fortunes        # or copy the topic files into $TENSORLET_DATASETS_MIRROR/fortunes/
    python examples/text_fortunes_tokenizer.py [--model pooling|bilstm] [--epochs 15]

``TENSORLET_EXAMPLE_EPOCHS`` and ``TENSORLET_EXAMPLE_SAMPLES`` shorten the run (the tests do).
"""
from __future__ import annotations

import argparse
import os

import numpy as np

import tensorlet as tf
from tensorlet.datasets import fortunes
from tensorlet.keras.preprocessing.sequence import pad_sequences
from tensorlet.keras.preprocessing.text import Tokenizer

VOCAB_SIZE = 5000
MAX_LENGTH = 60
EMBEDDING_DIM = 32


def build(model_kind: str, classes: int) -> tf.keras.Model:
    layers = tf.keras.layers
    if model_kind == "bilstm":
        body = [layers.Bidirectional(layers.LSTM(32)), layers.Dropout(0.3)]
    else:
        body = [layers.GlobalAveragePooling1D()]
    model = tf.keras.Sequential([
        layers.Input(shape=(MAX_LENGTH,)),
        layers.Embedding(VOCAB_SIZE, EMBEDDING_DIM),
        *body,
        layers.Dense(32, activation="relu"),
        layers.Dense(classes, activation="softmax"),
    ])
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    return model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=("pooling", "bilstm"), default="pooling")
    parser.add_argument("--epochs", type=int, default=int(os.environ.get("TENSORLET_EXAMPLE_EPOCHS", 15)))
    args = parser.parse_args()
    samples = int(os.environ.get("TENSORLET_EXAMPLE_SAMPLES", 0)) or None
    tf.keras.utils.set_random_seed(7)

    (x_train, y_train), (x_test, y_test) = fortunes.load_data()
    x_train, y_train = x_train[:samples], y_train[:samples]
    names = fortunes.get_label_names()
    print(f"{len(x_train)} training and {len(x_test)} test fortunes, topics {names}")

    tokenizer = Tokenizer(num_words=VOCAB_SIZE, oov_token="<OOV>")
    tokenizer.fit_on_texts(x_train)
    print(f"{len(tokenizer.word_index)} distinct words; the most frequent: {list(tokenizer.word_index)[1:8]}")
    train = pad_sequences(tokenizer.texts_to_sequences(x_train), maxlen=MAX_LENGTH, padding="post",
                          truncating="post")
    test = pad_sequences(tokenizer.texts_to_sequences(x_test), maxlen=MAX_LENGTH, padding="post", truncating="post")

    model = build(args.model, len(names))
    model.fit(train, y_train, epochs=args.epochs, batch_size=32, validation_split=0.1, verbose=2)
    loss, accuracy = model.evaluate(test, y_test, verbose=0)
    majority = np.bincount(y_test).max() / len(y_test)
    print(f"Test accuracy: {accuracy:.4f} (always guessing the largest topic: {majority:.4f})")

    probe = ["The program crashed because of a bug in the compiler",
             "The senator promised lower taxes before the election"]
    guesses = model.predict(pad_sequences(tokenizer.texts_to_sequences(probe), maxlen=MAX_LENGTH, padding="post"),
                            verbose=0).argmax(axis=1)
    for text, guess in zip(probe, guesses):
        print(f"  {names[guess]:>10}: {text}")


if __name__ == "__main__":
    main()
