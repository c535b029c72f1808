"""Matrix functions and decompositions (``keras.ops.linalg``): inverse, determinant, solve, Cholesky, QR, SVD and
symmetric eigendecomposition, over batches of matrices in the last two axes, each with its gradient beside it.

A decomposition with several outputs is one op per output (each recomputes the factorization): the backward maps
are linear in the output gradients, so the tape's sum of the per-output gradients is the decomposition's gradient.
"""
from __future__ import annotations

from typing import Any

from tensorlet.autodiff.function import Function


def _mT(x: Any) -> Any:
    return x.swapaxes(-1, -2)


def _tril(xp: Any, x: Any, k: int = 0) -> Any:
    n, m = x.shape[-2], x.shape[-1]
    return x * xp.tri(n, m, k, dtype=x.dtype)



def _parts(xp: Any, name: str, a: Any, **kwargs: Any) -> tuple[Any, ...]:
    """The arrays of ``xp.linalg.<name>(a)``, each as an array of the backend (some backends hand back the
    parts of a decomposition as host arrays)."""
    return tuple(xp.asarray(part) for part in getattr(xp.linalg, name)(a, **kwargs))


class Inverse(Function):
    """Y = A^-1; dA = -Y^T dY Y^T."""

    def forward(self, a: Any) -> Any:
        y = self.xp.linalg.inv(a)
        self.saved = (y,)
        return y

    def backward(self, dy: Any) -> Any:
        y = self.saved[0]
        return -(_mT(y) @ dy @ _mT(y))


class Determinant(Function):
    """d = det(A); dA = dd * d * A^-T."""

    def forward(self, a: Any) -> Any:
        d = self.xp.linalg.det(a)
        self.saved = (a, d)
        return d

    def backward(self, dy: Any) -> Any:
        a, d = self.saved
        return (dy * d)[..., None, None] * _mT(self.xp.linalg.inv(a))


class LogAbsDeterminant(Function):
    """l = log |det A| (``slogdet``'s second output); dA = dl * A^-T."""

    def forward(self, a: Any) -> Any:
        self.saved = (a,)
        return self.xp.linalg.slogdet(a)[1]

    def backward(self, dy: Any) -> Any:
        return dy[..., None, None] * _mT(self.xp.linalg.inv(self.saved[0]))


class SignOfDeterminant(Function):
    """``slogdet``'s first output: piecewise constant, no gradient."""

    differentiable = False

    def forward(self, a: Any) -> Any:
        return self.xp.linalg.slogdet(a)[0]


class Solve(Function):
    """X = A^-1 B (B with the matrices' rows in its second-to-last axis); dB = A^-T dX, dA = -dB X^T."""

    def forward(self, a: Any, b: Any) -> Any:
        x = self.xp.linalg.solve(a, b)
        self.saved = (a, x)
        return x

    def backward(self, dy: Any) -> Any:
        a, x = self.saved
        db = self.xp.linalg.solve(_mT(a), dy)
        return -(db @ _mT(x)), db


class Cholesky(Function):
    """L with A = L L^T, read from A's lower triangle; with Phi taking the lower triangle and half the diagonal,
    P = L^-T Phi(L^T dL) L^-1 (Murray, 2016) and, as only the lower triangle is read, dA = tril(P + P^T) with the
    diagonal halved (the symmetric gradient (P + P^T) / 2 folded onto that triangle)."""

    def forward(self, a: Any) -> Any:
        lower = self.xp.linalg.cholesky(a)
        self.saved = (lower,)
        return lower

    def backward(self, dy: Any) -> Any:
        xp, lower = self.xp, self.saved[0]
        n = lower.shape[-1]
        middle = _mT(lower) @ dy
        middle = _tril(xp, middle) - 0.5 * middle * xp.eye(n, dtype=middle.dtype)
        l_inv = xp.linalg.inv(lower)
        p = _mT(l_inv) @ middle @ l_inv
        folded = _tril(xp, p + _mT(p))
        return folded - 0.5 * folded * xp.eye(n, dtype=folded.dtype)


class QrQ(Function):
    """Q of the reduced QR decomposition A = Q R (m >= n). With both outputs' gradients dQ, dR:
    dA = Q (dR + tril(Q^T dQ - dQ^T Q + R dR^T - dR R^T) R^-T) + (dQ - Q Q^T dQ) R^-T; this op takes dR = 0."""

    def forward(self, a: Any) -> Any:
        q, r = _parts(self.xp, "qr", a, mode="reduced")
        self.saved = (q, r)
        return q

    def backward(self, dy: Any) -> Any:
        q, r = self.saved
        return _qr_grad(self.xp, q, r, dy, self.xp.zeros_like(r))


class QrR(Function):
    """R of the reduced QR decomposition (see ``QrQ``); this op takes dQ = 0."""

    def forward(self, a: Any) -> Any:
        q, r = _parts(self.xp, "qr", a, mode="reduced")
        self.saved = (q, r)
        return r

    def backward(self, dy: Any) -> Any:
        q, r = self.saved
        return _qr_grad(self.xp, q, r, self.xp.zeros_like(q), dy)


def _qr_grad(xp: Any, q: Any, r: Any, dq: Any, dr: Any) -> Any:
    if q.shape[-2] < q.shape[-1] or r.shape[-2] != r.shape[-1]:
        raise ValueError("The gradient of qr is defined for matrices with at least as many rows as columns "
                         f"(reduced mode); got Q of shape {q.shape}")
    qdq = _mT(q) @ dq
    rdr = r @ _mT(dr)
    lower = _tril(xp, qdq - _mT(qdq) + rdr - _mT(rdr))
    r_inv_t = _mT(xp.linalg.inv(r))
    return q @ (dr + lower @ r_inv_t) + (dq - q @ qdq) @ r_inv_t


class QrComplete(Function):
    """Q or R of the complete QR decomposition (``mode='complete'``): no gradient is defined."""

    differentiable = False

    def __init__(self, index: int) -> None:
        self.index = index

    def forward(self, a: Any) -> Any:
        return _parts(self.xp, "qr", a, mode="complete")[self.index]


class SingularValues(Function):
    """s of A = U diag(s) V^T; dA = U diag(ds) V^T (reduced U and V)."""

    def forward(self, a: Any) -> Any:
        u, s, vt = _parts(self.xp, "svd", a, full_matrices=False)
        self.saved = (u, vt)
        return s

    def backward(self, dy: Any) -> Any:
        u, vt = self.saved
        return (u * dy[..., None, :]) @ vt


class SingularVectors(Function):
    """U (index 0) or V^T (index 2) of the SVD: their gradient is not provided (singular values have one)."""

    differentiable = False

    def __init__(self, index: int, full_matrices: bool) -> None:
        self.index, self.full_matrices = index, full_matrices

    def forward(self, a: Any) -> Any:
        return _parts(self.xp, "svd", a, full_matrices=self.full_matrices)[self.index]


def _eigh_grad(xp: Any, w: Any, v: Any, dw: Any, dv: Any) -> Any:
    """dA for A's lower triangle (eigh reads only that): G = V (diag(dw) + F * (V^T dV)) V^T with
    F_ij = 1 / (w_j - w_i) off the diagonal, folded onto the lower triangle."""
    n = w.shape[-1]
    diff = w[..., None, :] - w[..., :, None]
    eye = xp.eye(n, dtype=w.dtype)
    f = xp.where(eye.astype(bool), 0.0, 1.0 / xp.where(eye.astype(bool), 1.0, diff)).astype(w.dtype)
    inner = dw[..., :, None] * eye + f * (_mT(v) @ dv)
    g = v @ inner @ _mT(v)
    folded = _tril(xp, g + _mT(g))
    return folded - 0.5 * folded * eye


class EighValues(Function):
    """The eigenvalues w of a symmetric matrix (ascending), read from its lower triangle."""

    def forward(self, a: Any) -> Any:
        w, v = _parts(self.xp, "eigh", a)
        self.saved = (w, v)
        return w

    def backward(self, dy: Any) -> Any:
        w, v = self.saved
        return _eigh_grad(self.xp, w, v, dy, self.xp.zeros_like(v))


class EighVectors(Function):
    """The eigenvectors (columns) of a symmetric matrix, read from its lower triangle."""

    def forward(self, a: Any) -> Any:
        w, v = _parts(self.xp, "eigh", a)
        self.saved = (w, v)
        return v

    def backward(self, dy: Any) -> Any:
        w, v = self.saved
        return _eigh_grad(self.xp, w, v, self.xp.zeros_like(w), dy)


class Eig(Function):
    """Eigenvalues (index 0) or eigenvectors (index 1) of a general matrix (complex): no gradient."""

    differentiable = False

    def __init__(self, index: int) -> None:
        self.index = index

    def forward(self, a: Any) -> Any:
        return _parts(self.xp, "eig", a)[self.index]
