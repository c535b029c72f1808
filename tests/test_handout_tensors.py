"""The handout's tensor section prints the handout's dtypes, shapes and values."""
import subprocess
import sys
from pathlib import Path


def test_handout_tensor_section():
    script = Path(__file__).resolve().parents[1] / "examples" / "handout_tensors.py"
    out = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True).stdout
    assert "<tf.Tensor: shape=(3,), dtype=int64, numpy=array([1, 2, 3])>" in out
    assert "<tf.Tensor: shape=(3,), dtype=int32, numpy=array([1, 2, 3], dtype=int32)>" in out
    assert "shape = (2, 3), data type = <dtype: 'int64'>" in out
    assert "array([ True,  True,  True])" in out
    assert "shape=(3, 2), dtype=int64" in out and "shape=(1, 6), dtype=int64" in out
    assert "array([[35, 44],\n       [44, 56]])" in out
    assert "(2, 25, 2) <dtype: 'float64'>" in out
