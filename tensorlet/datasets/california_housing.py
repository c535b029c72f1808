"""California housing (StatLib, 1990 census): 20,640 block groups, in two flavours.

- :func:`load_data` is Keras 3's ``keras.datasets.california_housing``: the file's 8 raw columns (longitude,
  latitude, housingMedianAge, totalRooms, totalBedrooms, population, households, medianIncome) as float32, and the
  median house value in dollars, split like Keras.
- :func:`fetch_california_housing` is scikit-learn's: 8 derived features (MedInc, HouseAge, AveRooms, AveBedrms,
  Population, AveOccup, Latitude, Longitude) as float64, the target in units of 100,000$, feature names and an
  optional pandas frame. It reads a prepared ``california_housing.npz`` (a mirror, or the cache) or else derives
  the features from scikit-learn's source archive ``cal_housing.tgz``, as scikit-learn does.
"""
from __future__ import annotations

import os
import tarfile
from typing import Any

import numpy as np

from tensorlet.datasets.boston_housing import Split, check_test_split, shuffle_split
from tensorlet.datasets.npz_sequences import load_npz
from tensorlet.utils.file_utils import DatasetUnavailableError, get_file

ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/california_housing.npz"
FILE_HASHES = (
    "1a2e3a52e0398de6463aebe6f4a8da34fb21fbb6b934cf88c3425e766f2a1a6f",  # Keras' published sha256
    "b8eeec7c54afc7c38002d854dfc343d7a11d1c865578b753957752c00e8574cf",  # same arrays, compressed (shared copy)
)
KERAS_LAYOUT_NAMES = ("california_housing_keras_layout.npz",)  # its name in the shared datasets folder

# scikit-learn's flavour: a prepared npz (keys x, y, feature_names), else scikit-learn's own source archive.
MAX_NPZ_BYTES = 1 << 24  # either layout holds under 2 MB
SKLEARN_NPZ = "california_housing.npz"
SKLEARN_NPZ_HASH = "406ad5f386cbfda6a55cabdd78c83bec4647a90eb364c10c20900f2833460095"
SKLEARN_SUBDIR = os.path.join("datasets", "sklearn")
ARCHIVE_ORIGIN = "https://ndownloader.figshare.com/files/5976036"
ARCHIVE_NAME = "cal_housing.tgz"
ARCHIVE_HASH = "aaa5c9a6afe2225cc2aed2723682ae403280c4a3695a2ddda4ffb5d8215ea681"  # pinned by scikit-learn
ARCHIVE_MEMBER = "CaliforniaHousing/cal_housing.data"
FEATURE_NAMES = ["MedInc", "HouseAge", "AveRooms", "AveBedrms", "Population", "AveOccup", "Latitude", "Longitude"]
TARGET_NAME = "MedHouseVal"
DESCR = ("California housing (StatLib; Pace and Barry, 1997): 20,640 census block groups of the 1990 U.S. census, "
         "8 numeric features, target: median house value in units of 100,000$.")


def load_data(version: str = "large", path: str = "california_housing.npz", test_split: float = 0.2,
              seed: int = 113) -> tuple[Split, Split]:
    """Load California housing in Keras 3's layout, split exactly as Keras splits it.

    Args:
        version: ``"large"`` (20,640 rows) or ``"small"`` (the first 600 rows).
        path: the file name in the cache.
        test_split: fraction of the rows kept for the test set.
        seed: seed of the shuffle that precedes the split.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: float32 features (16512, 8) and (4128, 8) and float32 values in
        dollars with the defaults.
    """
    if version not in ("large", "small"):
        raise ValueError(f'version must be "large" or "small", got {version!r}')
    check_test_split(test_split)
    local = get_file(path, origin=ORIGIN, file_hash=FILE_HASHES, alt_names=KERAS_LAYOUT_NAMES)
    arrays = load_npz(local, ("x", "y"), max_bytes=MAX_NPZ_BYTES)
    x, y = arrays["x"], arrays["y"]
    if version == "small":
        x, y = x[:600], y[:600]
    return shuffle_split(x, y, test_split, seed)


class Bunch(dict):
    """A dict whose keys are also attributes, like scikit-learn's ``Bunch``."""

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value

    def __dir__(self) -> list[str]:
        return list(self.keys())


def derive_features(raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's features from the 9 raw StatLib columns (longitude, latitude, housingMedianAge, totalRooms,
    totalBedrooms, population, households, medianIncome, medianHouseValue): per-household averages of rooms,
    bedrooms and occupants, and the value in 100,000$."""
    lon, lat, age, rooms, bedrooms, population, households, income, value = raw.T
    x = np.column_stack([income, age, rooms / households, bedrooms / households, population,
                         population / households, lat, lon])
    return x, value / 100000.0


def _from_archive(archive: str) -> tuple[np.ndarray, np.ndarray]:
    with tarfile.open(archive) as tar:  # read the one data member; nothing is extracted
        member = tar.getmember(ARCHIVE_MEMBER)
        stream = tar.extractfile(member) if member.isfile() else None
        if stream is None:
            raise ValueError(f"{archive}: {ARCHIVE_MEMBER} is not a regular file")
        with stream:
            raw = np.loadtxt(stream, delimiter=",", ndmin=2)
    if raw.shape[1] != 9:
        raise ValueError(f"{archive}: expected 9 columns, got {raw.shape[1]}")
    return derive_features(raw)


def _load_sklearn_flavour(data_home: str | None, download_if_missing: bool) -> tuple[np.ndarray, np.ndarray]:
    subdir = "" if data_home else SKLEARN_SUBDIR  # data_home holds the files directly, as in scikit-learn
    try:
        npz = get_file(SKLEARN_NPZ, file_hash=SKLEARN_NPZ_HASH, cache_dir=data_home, cache_subdir=subdir)
        arrays = load_npz(npz, ("x", "y"), max_bytes=MAX_NPZ_BYTES)
        return arrays["x"], arrays["y"]
    except DatasetUnavailableError as no_npz:
        origin = ARCHIVE_ORIGIN if download_if_missing else None
        try:
            archive = get_file(ARCHIVE_NAME, origin=origin, file_hash=ARCHIVE_HASH, cache_dir=data_home,
                               cache_subdir=subdir)
        except DatasetUnavailableError as no_archive:
            raise DatasetUnavailableError(f"{no_npz}\n\nNor was scikit-learn's source archive found:\n{no_archive}")\
                from None
    return _from_archive(archive)


def fetch_california_housing(*, data_home: str | None = None, download_if_missing: bool = True,
                             return_X_y: bool = False, as_frame: bool = False) -> Any:
    """California housing as scikit-learn's ``fetch_california_housing`` serves it.

    Args:
        data_home: a folder to cache the data in (default: ``~/.tensorlet/datasets/sklearn``).
        download_if_missing: download scikit-learn's source archive when no local copy verifies.
        return_X_y: return ``(data, target)`` instead of a Bunch.
        as_frame: make ``data`` a pandas DataFrame and ``target`` a Series, and fill ``frame`` (needs pandas).

    Returns:
        A :class:`Bunch` with ``data`` (20640, 8) float64, ``target`` (20640,) float64 in 100,000$,
        ``feature_names``, ``target_names``, ``frame`` (None unless ``as_frame``) and ``DESCR``; or
        ``(data, target)`` with ``return_X_y``.

    Example:
        >>> housing = fetch_california_housing()  # doctest: +SKIP
        >>> housing.data.shape, housing.feature_names[0]  # doctest: +SKIP
        ((20640, 8), 'MedInc')
    """
    data, target = _load_sklearn_flavour(data_home, download_if_missing)
    frame = None
    if as_frame:
        try:
            import pandas as pd
        except ImportError:
            raise ImportError("fetch_california_housing(as_frame=True) needs pandas: pip install pandas") from None
        data = pd.DataFrame(data, columns=FEATURE_NAMES)
        target = pd.Series(target, name=TARGET_NAME)
        frame = pd.concat([data, target], axis=1)
    if return_X_y:
        return data, target
    return Bunch(data=data, target=target, frame=frame, target_names=[TARGET_NAME],
                 feature_names=list(FEATURE_NAMES), DESCR=DESCR)
