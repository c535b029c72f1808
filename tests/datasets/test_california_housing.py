"""California housing: Keras 3's layout and split, and scikit-learn's flavour (from the npz or the raw archive)."""
from __future__ import annotations

import io
import tarfile

import numpy as np
import pytest

from tensorlet.datasets import california_housing, fetch_california_housing
from tensorlet.utils.file_utils import DatasetUnavailableError
from tests.datasets.helpers import array_sha256, file_sha256, unshuffle

# the first three lines of StatLib's cal_housing.data
RAW = b"""-122.230000,37.880000,41.000000,880.000000,129.000000,322.000000,126.000000,8.325200,452600.000000
-122.220000,37.860000,21.000000,7099.000000,1106.000000,2401.000000,1138.000000,8.301400,358500.000000
-122.240000,37.850000,52.000000,1467.000000,190.000000,496.000000,177.000000,7.257400,352100.000000
"""


def test_keras_layout_and_split(shared_mirror):
    (x, y), (xt, yt) = california_housing.load_data()
    assert (x.shape, y.shape, xt.shape, yt.shape) == ((16512, 8), (16512,), (4128, 8), (4128,))
    assert {a.dtype for a in (x, y, xt, yt)} == {np.dtype(np.float32)}
    x_all, y_all = unshuffle(x, xt), unshuffle(y, yt)
    assert array_sha256(x_all) == "76177435d337896b390c443ed142f59502d67c10de9ea0b08458dac1a51af4b5"
    assert array_sha256(y_all) == "1c459c8c91b63bc57993056258de809b80f7089066c58fdf68bfe25cbbe616ac"
    np.testing.assert_allclose(x_all[0], [-122.23, 37.88, 41, 880, 129, 322, 126, 8.3252], rtol=1e-6)
    assert y_all[0] == 452600 and y_all.min() == 14999 and y_all.max() == 500001


def test_small_version_keeps_the_first_600_rows(shared_mirror):
    (x, y), (xt, yt) = california_housing.load_data(version="small")
    assert x.shape == (480, 8) and xt.shape == (120, 8)
    (full, _), (full_test, _) = california_housing.load_data(test_split=0.0)
    np.testing.assert_array_equal(unshuffle(x, xt), unshuffle(full, full_test)[:600])


def test_bad_arguments_are_refused_before_any_download():
    with pytest.raises(ValueError, match="version"):
        california_housing.load_data(version="medium")
    with pytest.raises(ValueError, match="test_split"):
        california_housing.load_data(test_split=1.5)


def test_sklearn_flavour_matches_the_recorded_arrays(shared_mirror):
    housing = fetch_california_housing()
    assert housing.data.shape == (20640, 8) and housing.target.shape == (20640,)
    assert housing.data.dtype == np.float64 and housing.target.dtype == np.float64
    assert array_sha256(housing.data) == "c8f43774aa27b7ec034e60db31b6124e12b4a0d42b55b0c8eb1320089e2ebc37"
    assert array_sha256(housing.target) == "ae80bb98487c04d7383ed8aecda8e207583dfd3e66f6679fded97597c3f6c87e"
    assert housing.feature_names == ["MedInc", "HouseAge", "AveRooms", "AveBedrms", "Population", "AveOccup",
                                     "Latitude", "Longitude"]
    assert housing.target_names == ["MedHouseVal"] and housing.frame is None and "DESCR" in housing
    X, y = fetch_california_housing(return_X_y=True)
    np.testing.assert_array_equal(X, housing.data)
    np.testing.assert_array_equal(y, housing.target)


def test_sklearn_flavour_as_frame(shared_mirror):
    pd = pytest.importorskip("pandas")
    housing = fetch_california_housing(as_frame=True)
    assert isinstance(housing.data, pd.DataFrame) and isinstance(housing.target, pd.Series)
    assert list(housing.frame.columns) == housing.feature_names + ["MedHouseVal"]
    assert housing.frame.shape == (20640, 9) and housing.frame["MedInc"].iloc[0] == 8.3252
    X, y = fetch_california_housing(as_frame=True, return_X_y=True)
    assert X.shape == (20640, 8) and y.name == "MedHouseVal"


def test_sklearn_flavour_data_home(shared_mirror, tmp_path):
    fetch_california_housing(data_home=str(tmp_path / "sk"))
    assert (tmp_path / "sk" / "california_housing.npz").is_file()


def test_sklearn_flavour_derived_from_the_raw_archive(tmp_path, monkeypatch):
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    with tarfile.open(mirror / "cal_housing.tgz", "w:gz") as tar:
        info = tarfile.TarInfo(california_housing.ARCHIVE_MEMBER)
        info.size = len(RAW)
        tar.addfile(info, io.BytesIO(RAW))
    monkeypatch.setenv("TENSORLET_DATASETS_MIRROR", str(mirror))
    monkeypatch.setattr(california_housing, "ARCHIVE_HASH", file_sha256(mirror / "cal_housing.tgz"))
    monkeypatch.setattr(california_housing, "ARCHIVE_ORIGIN", "http://127.0.0.1:9/5976036")
    housing = fetch_california_housing()
    np.testing.assert_allclose(housing.data[0], [8.3252, 41.0, 6.984126984126984, 1.0238095238095237, 322.0,
                                                 2.5555555555555554, 37.88, -122.23], rtol=1e-15)
    np.testing.assert_allclose(housing.target, [4.526, 3.585, 3.521])


def test_sklearn_flavour_offline_names_both_files():
    with pytest.raises(DatasetUnavailableError) as error:
        fetch_california_housing(download_if_missing=False)
    message = str(error.value)
    assert "california_housing.npz" in message and "cal_housing.tgz" in message
    assert california_housing.SKLEARN_NPZ_HASH in message and california_housing.ARCHIVE_HASH in message
