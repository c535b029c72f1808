"""Boston housing (Keras layout and split) and California housing (Keras 3 layout, and scikit-learn's)."""
from __future__ import annotations

from typing import Any

import numpy as np

from tensorlet.utils.file_utils import get_file

BASE = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
BOSTON_HASHES = ["f553886a1f8d56431e820c5b82552d9d95cfcb96d1e678153f8839538947dff5",  # Keras' file
                 "0c1bbf0b79b8c2996afa31b259ca6cff56f5a6f72501358901ae5aa8fadd6e2f"]  # same arrays, re-packed
CALIFORNIA_HASHES = ["1a2e3a52e0398de6463aebe6f4a8da34fb21fbb6b934cf88c3425e766f2a1a6f",
                     "b8eeec7c54afc7c38002d854dfc343d7a11d1c865578b753957752c00e8574cf"]
CALIFORNIA_SKLEARN_HASH = "406ad5f386cbfda6a55cabdd78c83bec4647a90eb364c10c20900f2833460095"
FEATURE_NAMES = ["MedInc", "HouseAge", "AveRooms", "AveBedrms", "Population", "AveOccup", "Latitude", "Longitude"]


def _split(x: np.ndarray, y: np.ndarray, test_split: float, seed: int) -> Any:
    if not 0 <= test_split < 1:
        raise ValueError(f"test_split must be in [0, 1), got {test_split}")
    indices = np.arange(len(x))
    np.random.RandomState(seed).shuffle(indices)
    x, y = x[indices], y[indices]
    n_train = int(len(x) * (1 - test_split))
    return (x[:n_train], y[:n_train]), (x[n_train:], y[n_train:])


class _Boston:
    @staticmethod
    def load_data(path: str = "boston_housing.npz", test_split: float = 0.2, seed: int = 113) -> Any:
        """13 features and the median value (k$), shuffled with ``RandomState(seed)`` then split as Keras does."""
        local = get_file(path, origin=BASE + "boston_housing.npz", file_hash=BOSTON_HASHES)
        with np.load(local, allow_pickle=False) as f:
            return _split(f["x"], f["y"], test_split, seed)


class _California:
    @staticmethod
    def load_data(version: str = "large", path: str = "california_housing.npz", test_split: float = 0.2,
                  seed: int = 113) -> Any:
        """Keras 3's layout: the 8 raw StatLib columns (float32) and the value in dollars; 'small' keeps 600 rows."""
        if version not in ("large", "small"):
            raise ValueError(f"version must be 'large' or 'small', got {version!r}")
        local = get_file(path, origin=BASE + "california_housing.npz", file_hash=CALIFORNIA_HASHES,
                         cache_subdir="datasets/keras_layout", mirror_names=["california_housing_keras_layout.npz"])
        with np.load(local, allow_pickle=False) as f:
            x, y = f["x"], f["y"]
        if version == "small":
            x, y = x[:600], y[:600]
        return _split(x, y, test_split, seed)


boston_housing = _Boston()
california_housing = _California()


class Bunch(dict):
    """A dict whose keys are also attributes (scikit-learn's Bunch)."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def fetch_california_housing(data_home: str | None = None, as_frame: bool = False, return_X_y: bool = False,
                             download_if_missing: bool = True) -> Any:
    """California housing as scikit-learn serves it: 8 features (MedInc ... Longitude), target in 100k$.

    Returns a Bunch with ``data``, ``target``, ``feature_names``, ``target_names`` and ``frame`` (a pandas
    DataFrame when ``as_frame=True``), or ``(data, target)`` with ``return_X_y``.
    """
    local = get_file("california_housing.npz", origin=None, file_hash=CALIFORNIA_SKLEARN_HASH, cache_dir=data_home,
                     cache_subdir="datasets/sklearn_layout")
    with np.load(local, allow_pickle=False) as f:
        data, target = f["x"], f["y"]
        names = [str(n) for n in f["feature_names"]] if "feature_names" in f else FEATURE_NAMES
    frame = None
    if as_frame:
        import pandas as pd

        data = pd.DataFrame(data, columns=names)
        target = pd.Series(target, name="MedHouseVal")
        frame = pd.concat([data, target], axis=1)
    if return_X_y:
        return data, target
    return Bunch(data=data, target=target, feature_names=names, target_names=["MedHouseVal"], frame=frame,
                 DESCR="California housing (StatLib), 20,640 districts; target: median house value in 100,000$.")
