"""Both course handouts, end to end: every code block is extracted from ../shared/seeds/ as written and run,
unchanged, through the compatibility runner (as the cells of a notebook, in order).

Only evidently broken pseudo-code is left out: the ``[\\ldots]``, ``premiere couche`` and ``Couche_n(params)``
templates, the exercise skeleton with ``...`` placeholders, and handout 002's undefined ``ma_fonction``. Data
come from the shared mirror; CIFAR-10 (not downloadable here) from small official-format files built by the
test; scikit-learn's California housing cache is built from the mirror's copy of the same StatLib file.
"""
from __future__ import annotations

import codeop
import json
import os
import pickle
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / ".." / "shared" / "seeds"
MIRROR = ROOT / ".." / "shared" / "datasets"

PSEUDO = ("Couche_", "\\ldots", "premiere couche", "outputs=output)", "= ...", "...,",
          "InputLayer(input_shape=(dim))", "Input(shape=(dim))")
# the wrapper template `clf = KerasClassifier(build_fn=ma_fonction, param1=12, ...)` is not valid Python (a
# positional `...` after keywords); the lines of its block use that `clf`, so the block goes with it
PSEUDO_BLOCKS = ("clf.fit(X, y)",)
CODE_START = re.compile(r"^(import |from |print\(|for |if |def |class |with |plt\.|pd\.|np\.|!|#)")
NAME_ONLY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*(\[[^\]]*\])?$")


def _assigned(src: str) -> set[str]:
    import ast

    try:
        tree = ast.parse(src)
    except SyntaxError:
        return set()
    return {t.id for node in ast.walk(tree) for t in ast.walk(node) if isinstance(t, ast.Name)
            and isinstance(t.ctx, ast.Store)}


def _looks_like_code(line: str, known: set[str]) -> bool:
    s = line.strip()
    if CODE_START.match(s):
        return True
    if NAME_ONLY.match(s):
        return s.split(".")[0].split("[")[0] in known
    return any(ch in s for ch in "=([")


def _compiles(src: str) -> object:
    """A code object if complete, None if incomplete, raise SyntaxError if invalid."""
    if src.lstrip().startswith("!"):
        return True
    return codeop.compile_command(src + "\n", symbol="exec")


def extract_blocks(text: str) -> list[str]:
    """Code blocks of a handout: runs of lines that are Python statements, split by prose."""
    text = re.sub(r"```[a-z]*", "", text)
    blocks: list[list[str]] = []
    current: list[str] = []
    pending: list[str] = []
    known: set[str] = set()

    def flush() -> None:
        nonlocal current
        if current:
            blocks.append(current)
            current = []

    for raw in text.splitlines():
        line = raw.rstrip()
        if re.fullmatch(r"\s*\d+\s*", line):
            continue  # the handout's line numbers
        if pending:
            pending.append(line)
            try:
                done = _compiles("\n".join(pending))
            except (SyntaxError, ValueError, OverflowError):
                pending = []
                continue
            if done is not None:
                current.extend(pending)
                known |= _assigned("\n".join(pending))
                pending = []
            continue
        if not line.strip():
            continue
        if not _looks_like_code(line, known) or line.startswith((" ", "\t")) and not current:
            flush()
            continue
        try:
            done = _compiles(line.strip() if not current else line)
        except (SyntaxError, ValueError, OverflowError):
            flush()
            continue
        if done is None:
            pending = [line]
        else:
            current.append(line)
            known |= _assigned(line)
    flush()
    out = []
    for block in blocks:
        src = "\n".join(block)
        if any(p in src for p in PSEUDO_BLOCKS):
            continue
        if any(p in src for p in PSEUDO):
            kept = [ln for ln in block if not any(p in ln for p in PSEUDO)]
            try:
                compile("\n".join(kept), "<block>", "exec")
            except SyntaxError:
                continue
            src = "\n".join(kept)
        if src.strip():
            out.append(src)
    return out


def _cifar_files(folder: Path, n_train: int = 25100, n_test: int = 500) -> None:
    """The extracted official python batches, in the cache folder get_file extracts into."""
    rng = np.random.default_rng(0)

    def batch(n: int, seed: int) -> bytes:
        base = np.repeat(rng.integers(0, 256, (n, 48), dtype=np.uint8), 64, axis=1)  # compressible images
        return pickle.dumps({b"data": base, b"labels": np.random.default_rng(seed).integers(0, 10, n).tolist()},
                            protocol=2)

    sizes = [n_train // 5 + (1 if i < n_train % 5 else 0) for i in range(5)]
    inner = folder / "cifar-10-python" / "cifar-10-batches-py"
    inner.mkdir(parents=True)
    for name, data in [(f"data_batch_{i + 1}", batch(s, i)) for i, s in enumerate(sizes)] + \
            [("test_batch", batch(n_test, 9)), ("batches.meta", pickle.dumps({b"label_names": []}))]:
        (inner / name).write_bytes(data)


def _sklearn_cache(folder: Path) -> None:
    """scikit-learn's California housing cache (cal_housing_py3.pkz), from the mirror's raw StatLib columns."""
    joblib = pytest.importorskip("joblib")
    with np.load(MIRROR / "california_housing_keras_layout.npz") as f:
        x, y = f["x"].astype(np.float64), f["y"].astype(np.float64)
    raw = np.column_stack([x, y])  # longitude, latitude, age, rooms, bedrooms, population, households, income, value
    joblib.dump(raw[:, [8, 7, 2, 3, 4, 5, 6, 1, 0]], folder / "cal_housing_py3.pkz", compress=6)


def _env(tmp_path: Path) -> dict[str, str]:
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    for f in MIRROR.glob("*.npz"):
        os.symlink(f.resolve(), mirror / f.name)
    (tmp_path / "home" / "datasets").mkdir(parents=True)
    _cifar_files(tmp_path / "home" / "datasets")
    sk = tmp_path / "scikit_learn_data"
    sk.mkdir()
    _sklearn_cache(sk)
    return dict(os.environ, TENSORLET_DATASETS_MIRROR=str(mirror), TENSORLET_HOME=str(tmp_path / "home"),
                SCIKIT_LEARN_DATA=str(sk), MPLBACKEND="Agg", PYTHONWARNINGS="ignore")


def _run_as_notebook(tmp_path: Path, cells: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    nb = {"cells": [{"cell_type": "code", "source": c, "metadata": {}, "outputs": []} for c in cells],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path = tmp_path / "handout.ipynb"
    path.write_text(json.dumps(nb))
    return subprocess.run([sys.executable, "-m", "tensorlet", "run", str(path)], capture_output=True, text=True,
                          env=env, cwd=tmp_path, timeout=1800)


def test_extractor_finds_the_handout_code():
    blocks = extract_blocks((SEEDS / "000_1753921fa0e68c29.txt").read_text()) if SEEDS.exists() else []
    if not blocks:
        pytest.skip("seeds not available")
    src = "\n".join(blocks)
    for expected in ("import Tensorflow as tf", "tf_a = tf.constant(a)", "b = tf.reshape(b,(3,2))",
                     "model.summary()", "layer = model.get_layer('dense1')", "history = model.fit(X_train, y_train,",
                     "housing = fetch_california_housing()", "!nvidia-smi"):
        assert expected in src, expected
    assert "Couche_1" not in src and "Total params" not in src


@pytest.mark.slow
@pytest.mark.skipif(not (MIRROR / "mnist.npz").exists() or not SEEDS.exists(), reason="shared data not available")
def test_handout_000_runs_unchanged(tmp_path):
    pytest.importorskip("sklearn")
    pytest.importorskip("pandas")
    pytest.importorskip("matplotlib")
    cells = extract_blocks((SEEDS / "000_1753921fa0e68c29.txt").read_text())
    r = _run_as_notebook(tmp_path, cells, _env(tmp_path))
    assert r.returncode == 0, r.stderr[-4000:]
    out = r.stdout
    assert "shape = (2, 3), data type = <dtype: 'int64'>" in out  # tf.constant(np.array(...)) keeps int64
    assert "<tf.Tensor: shape=(3,), dtype=int32, numpy=array([1, 2, 3], dtype=int32)>" in out
    assert "Total params: 11" in out and "Total params: 300,938" in out
    assert "Poids : (784, 256)" in out and "Poids : (256, 256)" in out
    assert "skipped shell line: !nvidia-smi" in r.stderr


@pytest.mark.slow
@pytest.mark.skipif(not SEEDS.exists(), reason="seeds not available")
def test_handout_002_code_runs_unchanged(tmp_path):
    cells = extract_blocks((SEEDS / "002_c9975fe5b5474cda.txt").read_text())
    # the course's dataset_utils module is not public: the data the handout's example expects (24 features,
    # 3 targets) are defined first; the handout's own lines then run unchanged
    prelude = ("import numpy as np\nX_train = np.random.default_rng(0).standard_normal((400, 24)).astype('float32')\n"
               "y_train = np.random.default_rng(1).standard_normal((400, 3)).astype('float32')")
    r = _run_as_notebook(tmp_path, [prelude] + cells, dict(os.environ, PYTHONWARNINGS="ignore"))
    assert r.returncode == 0, r.stderr[-4000:]
    assert "Epoch 10/10" in r.stdout
