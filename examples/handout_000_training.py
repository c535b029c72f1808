"""TP Module 1 (seed 000): the model-building and training parts, answered, with ``import tensorlet as tf``.

Sections follow the handout: perceptron (Sequential and Functional), the 784-256-256-128-10 MLP, weights,
MNIST with sparse labels then one-hot labels, CIFAR-10 when its files are available, and the California
housing regression that overfits. ``TENSORLET_EXAMPLE_EPOCHS`` shortens every training run (the handout uses
20 and 50 epochs); ``TENSORLET_EXAMPLE_SAMPLES`` caps the number of training images.

    python examples/handout_000_training.py
"""
from __future__ import annotations

import os
import random

import numpy as np

import tensorlet as tf
from tensorlet.keras import models
from tensorlet.keras.layers import Activation, Dense, Flatten, Input

EPOCHS = int(os.environ.get("TENSORLET_EXAMPLE_EPOCHS", "20"))
SAMPLES = int(os.environ.get("TENSORLET_EXAMPLE_SAMPLES", "0")) or None
PLOTS = os.environ.get("TENSORLET_EXAMPLE_PLOTS", "")  # folder for the history plots ("" = none)

# freeze de l'aléatoire, pour avoir des expériences reproductibles
RANDOM_SEED = 42
os.environ["PYTHONHASHSEED"] = str(RANDOM_SEED)
random.seed(RANDOM_SEED)
np.random.seed(RANDOM_SEED)
os.environ["TF_DETERMINISTIC_OPS"] = "1"
tf.random.set_seed(RANDOM_SEED)


def train_test_split(*arrays, test_size=0.25, random_state=None):
    """scikit-learn's split when installed (the handout uses it), else the same 25% shuffle by hand."""
    try:
        from sklearn.model_selection import train_test_split as split

        return split(*arrays, test_size=test_size, random_state=random_state)
    except ImportError:
        n = len(arrays[0])
        perm = np.random.RandomState(random_state).permutation(n)
        n_test = int(np.ceil(n * test_size))
        test, train = perm[:n_test], perm[n_test:]
        return [part for a in arrays for part in (a[train], a[test])]


def plot_history(history, name, ylim):
    if not PLOTS:
        return
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.figure(figsize=(12, 8))
    for key, values in history.history.items():
        plt.plot(values, label=key)
    plt.grid(True)
    plt.gca().set_ylim(*ylim)
    plt.legend()
    plt.savefig(os.path.join(PLOTS, f"{name}.png"))
    plt.close()


# -- Perceptron: API séquentielle puis fonctionnelle -----------------------------------------------------------
model = models.Sequential([Input(shape=(10,), name="Input"), Dense(1), Activation("sigmoid")], name="SeqAPI")
model.summary()
assert model.count_params() == 11

inputs = Input(shape=(10,))
hid = Dense(1)(inputs)
out = Activation("sigmoid")(hid)
model = tf.keras.Model(inputs=inputs, outputs=out, name="FuncAPI")
model.summary()

# -- Le MLP 784-256-256-128-10 (séquentiel, puis fonctionnel) --------------------------------------------------
model = models.Sequential([
    Input(shape=(784,)),
    Dense(256, name="dense1"), Activation("relu", name="relu1"),
    Dense(256, name="dense2"), Activation("relu", name="relu2"),
    Dense(128, name="dense3"), Activation("relu"),
    Dense(10, name="logits"), Activation("softmax", name="clf"),
], name="SeqAPI")
model.summary()  # Total params: 300,938

inputs = Input(shape=(784,), name="Input")
dns1 = Dense(256, name="dense1")(inputs)
act1 = Activation("relu", name="relu1")(dns1)
dns2 = Dense(256, name="dense2")(act1)
act2 = Activation("relu", name="relu2")(dns2)
dns3 = Dense(128, name="dense3")(act2)
act3 = Activation("relu", name="relu3")(dns3)
dns4 = Dense(10, name="logits")(act3)
clf = Activation("softmax", name="softmax")(dns4)
model = tf.keras.Model(inputs=inputs, outputs=clf, name="FuncAPI")

# -- Weights & Biases -------------------------------------------------------------------------------------------
layer = model.get_layer("dense1")
weights, biases = layer.get_weights()
print(f"Poids : {weights.shape},\nNombre de neurones dans la couche : {weights.shape[1]},\nBiais : {biases.shape[0]}")
layer = model.layers[3]
weights, biases = layer.get_weights()
print(f"Poids : {weights.shape},\nNombre de neurones dans la couche : {weights.shape[1]},\nBiais : {biases.shape[0]}")


# -- MNIST ------------------------------------------------------------------------------------------------------
def mnist_mlp():
    return models.Sequential([
        Input(shape=(28, 28, 1)), Flatten(),
        Dense(256, name="dense1"), Activation("relu", name="relu1"),
        Dense(256, name="dense2"), Activation("relu", name="relu2"),
        Dense(128, name="dense3"), Activation("relu"),
        Dense(10, name="logits"), Activation("softmax", name="clf"),
    ], name="SeqAPI")


(X_train, y_train), (X_test, y_test) = tf.keras.datasets.mnist.load_data()
if SAMPLES:
    X_train, y_train = X_train[:SAMPLES], y_train[:SAMPLES]
X_train = X_train.reshape(-1, 28, 28, 1).astype("float32")
X_test = X_test.reshape(-1, 28, 28, 1).astype("float32")
X_train, X_valid, y_train, y_valid = train_test_split(X_train, y_train, random_state=42)
X_test = (X_test - 127.5) / 127.5
X_train = (X_train - 127.5) / 127.5
X_valid = (X_valid - 127.5) / 127.5

model = mnist_mlp()
model.compile(loss="sparse_categorical_crossentropy", optimizer=tf.keras.optimizers.SGD(lr=0.001),
              metrics=["accuracy"])
history = model.fit(X_train, y_train, epochs=EPOCHS, batch_size=64, validation_data=(X_valid, y_valid), verbose=2)
plot_history(history, "mnist_sparse", (0, 1))
test_loss, test_acc = model.evaluate(X_test, y_test, verbose=2)
print(f"MNIST (labels entiers) : précision sur le test = {test_acc:.4f}")

# Autre méthode : one-hot encoding
y_train_oh = tf.keras.utils.to_categorical(y_train, num_classes=10)
y_test_oh = tf.keras.utils.to_categorical(y_test, num_classes=10)
y_valid_oh = tf.keras.utils.to_categorical(y_valid, num_classes=10)
model = mnist_mlp()
model.compile(loss="categorical_crossentropy", optimizer=tf.keras.optimizers.SGD(lr=0.001), metrics=["accuracy"])
history = model.fit(X_train, y_train_oh, epochs=EPOCHS, batch_size=64, validation_data=(X_valid, y_valid_oh),
                    verbose=2)
plot_history(history, "mnist_onehot", (0, 1))
test_loss_oh, test_acc_oh = model.evaluate(X_test, y_test_oh, verbose=2)
print(f"MNIST (one-hot) : précision sur le test = {test_acc_oh:.4f}")

# -- CIFAR-10 (quand les fichiers sont disponibles) -------------------------------------------------------------
try:
    (X_train, y_train), (X_test, y_test) = tf.keras.datasets.cifar10.load_data()
except Exception as e:  # noqa: BLE001 - no network and no local copy here: say so and go on
    print(f"CIFAR-10 indisponible ({type(e).__name__}) : section sautée")
else:
    if SAMPLES:
        X_train, y_train = X_train[:SAMPLES], y_train[:SAMPLES]
    # Réponse : les labels sont des entiers de forme (n, 1), pas du one-hot
    X_train = X_train.reshape(-1, 32, 32, 3).astype("float32")
    X_test = X_test.reshape(-1, 32, 32, 3).astype("float32")
    X_train, X_valid, y_train, y_valid = train_test_split(X_train, y_train, random_state=RANDOM_SEED)
    X_test, X_train, X_valid = [(a - 127.5) / 127.5 for a in (X_test, X_train, X_valid)]
    model = models.Sequential([
        Input(shape=(32, 32, 3)), Flatten(),
        Dense(256, name="dense1"), Activation("relu", name="relu1"),
        Dense(256, name="dense2"), Activation("relu", name="relu2"),
        Dense(128, name="dense3"), Activation("relu"),
        Dense(10, name="logits"), Activation("softmax", name="clf"),
    ], name="SeqAPI")
    model.compile(loss="sparse_categorical_crossentropy", optimizer=tf.keras.optimizers.SGD(lr=0.001),
                  metrics=["accuracy"])
    history = model.fit(X_train, y_train, epochs=EPOCHS, batch_size=64, validation_data=(X_valid, y_valid),
                        verbose=2)
    plot_history(history, "cifar10", (0, 2))
    print("CIFAR-10 :", model.evaluate(X_test, y_test, verbose=2))

# -- Overfit sur une régression : California housing ------------------------------------------------------------
housing = tf.datasets.fetch_california_housing()
X_train, X_test, y_train, y_test = train_test_split(housing.data, housing.target, random_state=RANDOM_SEED)
X_train, X_valid, y_train, y_valid = train_test_split(X_train, y_train, random_state=RANDOM_SEED)
print(X_train.shape[1:])
mean, std = X_train.mean(axis=0), X_train.std(axis=0)  # StandardScaler, fitted on each split as the handout does
X_train = (X_train - mean) / std
X_valid = (X_valid - X_valid.mean(axis=0)) / X_valid.std(axis=0)
X_test = (X_test - X_test.mean(axis=0)) / X_test.std(axis=0)
model = models.Sequential([Input(shape=(8,)), Dense(10), Activation("relu"), Dense(1)], name="SeqAPI")
model.compile(loss="mean_squared_error", optimizer=tf.keras.optimizers.SGD(lr=0.001))
history = model.fit(X_train, y_train, epochs=max(EPOCHS * 5 // 2, 1), validation_data=(X_valid, y_valid), verbose=2)
plot_history(history, "california_overfit", (0, 10))
print(f"California housing : MSE de validation finale = {history.history['val_loss'][-1]:.4f}")
