"""TD seed 002, §5 and §7 (questions 8, 9 and 14): Keras models as scikit-learn estimators.

    python examples/handout_002_sklearn.py
``TENSORLET_EXAMPLE_EPOCHS`` (default 10) and ``TENSORLET_EXAMPLE_SAMPLES`` (default 6000 MNIST images) keep it
short; ``TENSORLET_EXAMPLE_JOBS`` sets n_jobs for the cross-validations (default 1).
"""
from __future__ import annotations

import os

from sklearn.model_selection import GridSearchCV, cross_val_score

from tensorlet.keras.datasets import boston_housing, mnist
from tensorlet.keras.layers import Dense
from tensorlet.keras.models import Sequential
from tensorlet.keras.wrappers.scikit_learn import KerasClassifier, KerasRegressor

EPOCHS = int(os.environ.get("TENSORLET_EXAMPLE_EPOCHS", "10"))
SAMPLES = int(os.environ.get("TENSORLET_EXAMPLE_SAMPLES", "6000"))
JOBS = int(os.environ.get("TENSORLET_EXAMPLE_JOBS", "1"))

(x_train, y_train), (x_test, y_test) = mnist.load_data()
x_train = x_train[:SAMPLES].reshape(-1, 784).astype("float32") / 255.0
y_train = y_train[:SAMPLES]
x_test = x_test.reshape(-1, 784).astype("float32") / 255.0


def ma_fonction(n_hidden=2, width=128, optimizer="sgd"):
    """build_fn: a compiled MLP with `n_hidden` ReLU layers of `width` units."""
    model = Sequential()
    for i in range(n_hidden):
        model.add(Dense(width, activation="relu", **({"input_dim": 784} if i == 0 else {})))
    model.add(Dense(10, activation="softmax"))
    model.compile(optimizer=optimizer, loss="categorical_crossentropy", metrics=["accuracy"])
    return model


# Q8 : deux couches cachées, nombre d'itérations et taille de batch fixés à la construction
clf = KerasClassifier(build_fn=ma_fonction, n_hidden=2, epochs=EPOCHS, batch_size=200, verbose=0)
clf.fit(x_train, y_train)
print(f"Q8 : score (taux de bonnes classifications) sur le test = {clf.score(x_test, y_test):.4f}")

# Q9 : validation croisée, rmsprop contre sgd
for optimizer in ("rmsprop", "sgd"):
    clf = KerasClassifier(build_fn=ma_fonction, optimizer=optimizer, epochs=EPOCHS, batch_size=200, verbose=0)
    scores = cross_val_score(clf, x_train, y_train, cv=3, n_jobs=JOBS)
    print(f"Q9 : {optimizer} : {scores.mean():.4f} +/- {scores.std():.4f}")

# Q14 : Boston Housing, choix par validation croisée de la profondeur, de la largeur et de l'optimiseur
(xb_train, yb_train), (xb_test, yb_test) = boston_housing.load_data()
mean, std = xb_train.mean(axis=0), xb_train.std(axis=0)
xb_train, xb_test = (xb_train - mean) / std, (xb_test - mean) / std


def regression_net(n_hidden=1, width=32, optimizer="adam"):
    model = Sequential()
    for i in range(n_hidden):
        model.add(Dense(width, activation="relu", **({"input_dim": 13} if i == 0 else {})))
    model.add(Dense(1, **({"input_dim": 13} if n_hidden == 0 else {})))
    model.compile(optimizer=optimizer, loss="mse")
    return model


grid = GridSearchCV(KerasRegressor(build_fn=regression_net, epochs=EPOCHS * 5, batch_size=16, verbose=0),
                    {"n_hidden": [1, 2], "width": [16, 64], "optimizer": ["adam", "rmsprop"]}, cv=3, n_jobs=JOBS)
grid.fit(xb_train, yb_train)
print(f"Q14 : meilleure structure {grid.best_params_}, R² de validation croisée {grid.best_score_:.3f}")
print(f"Q14 : R² sur le test = {grid.best_estimator_.score(xb_test, yb_test):.3f}")
