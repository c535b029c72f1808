"""TD « keras & perceptron multi-couches » (seed 002), questions 1 to 7, answered in standalone-Keras style.

The course's ``dataset_utils`` module is not public, so ``prepare_mnist`` and ``prepare_boston`` below are
written from the handout's description: flattened MNIST scaled to [0, 1] with one-hot labels
(classification), and standardized Boston housing (regression). Questions 8-9 and 14 (scikit-learn wrappers)
and 10-13 (callbacks) have their own scripts. ``TENSORLET_EXAMPLE_EPOCHS`` shortens training (default 10).

    python examples/handout_002_mlp.py
"""
from __future__ import annotations

import os

from tensorlet.keras import regularizers
from tensorlet.keras.datasets import boston_housing, mnist
from tensorlet.keras.layers import Dense, Dropout
from tensorlet.keras.models import Sequential
from tensorlet.keras.utils import to_categorical

EPOCHS = int(os.environ.get("TENSORLET_EXAMPLE_EPOCHS", "10"))
SAMPLES = int(os.environ.get("TENSORLET_EXAMPLE_SAMPLES", "0")) or None


def prepare_mnist():
    """Q1: (60000, 784) float inputs in [0, 1] and (60000, 10) one-hot labels: a classification problem."""
    (x_train, y_train), (x_test, y_test) = mnist.load_data()
    if SAMPLES:
        x_train, y_train = x_train[:SAMPLES], y_train[:SAMPLES]
    x_train = x_train.reshape(len(x_train), -1).astype("float32") / 255.0
    x_test = x_test.reshape(len(x_test), -1).astype("float32") / 255.0
    return x_train, x_test, to_categorical(y_train, 10), to_categorical(y_test, 10)


def prepare_boston():
    """Q1: (404, 13) standardized inputs and (404,) prices in k$: a regression problem."""
    (x_train, y_train), (x_test, y_test) = boston_housing.load_data()
    mean, std = x_train.mean(axis=0), x_train.std(axis=0)
    return (x_train - mean) / std, (x_test - mean) / std, y_train, y_test


def mlp(n_hidden, width=128, regularizer=None, dropout=0.0, input_dim=784, n_out=10):
    model = Sequential()
    for i in range(n_hidden):
        kwargs = {"input_dim": input_dim} if i == 0 else {}
        model.add(Dense(units=width, activation="relu", kernel_regularizer=regularizer, **kwargs))
        if dropout:
            model.add(Dropout(dropout))
    out_kwargs = {"input_dim": input_dim} if n_hidden == 0 else {}
    model.add(Dense(units=n_out, activation="softmax", kernel_regularizer=regularizer, **out_kwargs))
    model.compile(optimizer="sgd", loss="categorical_crossentropy", metrics=["accuracy"])
    return model


X_train, X_test, y_train, y_test = prepare_mnist()
print("MNIST :", X_train.shape, y_train.shape, "-> classification")
xb, _, yb, _ = prepare_boston()
print("Boston :", xb.shape, yb.shape, "-> régression")

# Q2 - Q3 : 0, 1, 2 et 3 couches cachées de 128 neurones ReLU, sortie softmax
scores = {}
for depth in range(4):
    model = mlp(depth)
    model.fit(X_train, y_train, verbose=2, epochs=EPOCHS, batch_size=200)
    scores[depth] = model.evaluate(X_test, y_test, verbose=0)[1]
    print(f"{depth} couche(s) cachée(s) : précision test = {scores[depth]:.4f}, {model.count_params()} paramètres")

# Q4 : nombre de paramètres du modèle à 3 couches cachées, et un modèle à 1 couche cachée comparable
deep = mlp(3)
n_params = deep.count_params()
width = int(round((n_params - 10) / (784 + 1 + 10)))
wide = mlp(1, width=width)
print(f"3 couches : {n_params} paramètres ; 1 couche de {width} neurones : {wide.count_params()} paramètres")
for name, model in (("profond", deep), ("large", wide)):
    model.fit(X_train, y_train, verbose=0, epochs=EPOCHS, batch_size=200)
    print(f"modèle {name} : précision test = {model.evaluate(X_test, y_test, verbose=0)[1]:.4f}")

# Q5 : 30 % du jeu d'apprentissage en validation (les derniers 30 %, avant mélange)
for depth in (1, 3):
    history = mlp(depth).fit(X_train, y_train, verbose=0, epochs=EPOCHS, batch_size=200, validation_split=0.3)
    print(f"{depth} couche(s) : précision de validation finale = {history.history['val_accuracy'][-1]:.4f}")

# Q6 : régularisation L1 sur chaque couche
history = mlp(3, regularizer=regularizers.l1(1e-4)).fit(X_train, y_train, verbose=0, epochs=EPOCHS,
                                                         batch_size=200, validation_split=0.3)
print(f"L1 : précision de validation finale = {history.history['val_accuracy'][-1]:.4f}")

# Q7 : Drop-Out de 10 %
history = mlp(3, dropout=0.1).fit(X_train, y_train, verbose=0, epochs=EPOCHS, batch_size=200,
                                  validation_split=0.3)
print(f"Dropout : précision de validation finale = {history.history['val_accuracy'][-1]:.4f}")
