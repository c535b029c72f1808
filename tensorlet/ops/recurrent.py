"""Whole-sequence LSTM and GRU recurrences: one op per layer call instead of a dozen ops per time step.

Inside, each step is one recurrent GEMM and a few in-place elementwise passes over preallocated time-major
buffers. The LSTM takes the layer's inputs and projects all steps with one batched GEMM into its own layout (see
``LSTMSequence``); the GRU takes the projection ``xw = x @ kernel + bias`` made outside by one GEMM. The backward
pass runs the recurrence in reverse and computes each step's gate derivatives inside the loop, on small buffers
while that step's arrays are in cache (precomputed over the whole sequence, they cost whole-array passes through
memory and measured 1.2-2x slower); the weight gradients are GEMMs over all steps after the loop. Both recurrences
use sigmoid gates and tanh activations (Keras' defaults); the layers keep their op-by-op step for any other choice,
for recurrent dropout and for Keras masks.

The sigmoid gates are computed as ``sigmoid(z) = 0.5 + 0.5 * tanh(z / 2)``: with the 1/2 folded into the gate
columns of the kernels once per call (the GRU: into each step's ``xw`` slice as it is copied into the time-major
buffer), a step needs a single tanh over all its gate rows or columns.
"""
from __future__ import annotations

from typing import Any

from tensorlet.autodiff.function import Function
from tensorlet.autodiff.tensor import Tensor
from tensorlet.ops import shape as S
from tensorlet.ops.convert import as_tensor


def _reorder(xp: Any, units: int) -> Any:
    """Columns of Keras' LSTM gates i, f, c, o in the order c, i, f, o: the sigmoid gates in one block, and the
    two gates that are each other's partner in ``c = f * c + i * g`` side by side."""
    return xp.concatenate([xp.arange(2 * units, 3 * units), xp.arange(2 * units), xp.arange(3 * units, 4 * units)])


def _restore(xp: Any, units: int) -> Any:
    """The inverse of ``_reorder``."""
    return xp.argsort(_reorder(xp, units))


def _gate_scale(xp: Any, gates: int, units: int, tanh_block: int, dtype: Any) -> Any:
    """Per column: 0.5 for the sigmoid gates (the tanh half-angle), 1 for the tanh block."""
    s = xp.full((gates * units,), 0.5, dtype=dtype)
    s[tanh_block * units:(tanh_block + 1) * units] = 1
    return s


class LSTMSequence(Function):
    """Keras' LSTM over a whole sequence, its input projection included; gates i, f, c, o in Keras' column order.

    Inputs ``x`` (B, T, F); ``k`` (F, 4u): the kernel; ``w`` (u, 4u): the recurrent kernel; ``h0``, ``c0``
    (B, u); ``b`` (4u,): the bias, if any. Per step ``z = x_t @ k + h @ w + b``; ``i, f, o = sigmoid(z_i, z_f,
    z_o)``, ``g = tanh(z_c)``; ``c = f * c + i * g``; ``h = o * tanh(c)``. Output with ``sequences``: (B, T + 1,
    u), rows ``0..T-1`` the outputs ``h_1..h_T`` and row ``T`` the last cell state; without: (B, 2, u), ``h_T``
    and ``c_T``.

    Inside, every array is time-major and transposed, (T, rows, B), with the gates reordered c, i, f, o: a gate
    is a contiguous block of rows, so each step's elementwise passes run over contiguous memory (over the column
    slices of a (B, 4u) array, NumPy's inner loops are 32 floats long and measured 2x slower), the three sigmoid
    gates are one block, and the partners g, i read as i, g through a view with the two blocks swapped. The projection of all steps is one batched GEMM that writes this layout
    directly, and the step's pre-activations are added to it in place.
    """

    def __init__(self, sequences: bool = True) -> None:
        self.sequences = sequences

    def forward(self, x: Any, k: Any, w: Any, h0: Any, c0: Any, b: Any = None) -> Any:
        xp = self.xp
        batch, steps, _ = x.shape
        u = w.shape[0]
        perm = _reorder(xp, u)
        s = _gate_scale(xp, 4, u, 0, x.dtype)[:, None]  # i, f, o: tanh half-angle; c: as it is
        kp, wp = k[:, perm], w[:, perm]
        z = xp.matmul(xp.ascontiguousarray(kp.T * s), x.transpose(1, 2, 0))  # (T, 4u, B): s * (x_t @ k)^T
        if b is not None:
            z += (b[perm][:, None] * s)
        ws = xp.ascontiguousarray(wp.T * s)  # (4u, u)
        h = xp.empty((steps + 1, u, batch), dtype=x.dtype)
        c = xp.empty((steps + 1, u, batch), dtype=x.dtype)
        tc = xp.empty((steps, u, batch), dtype=x.dtype)
        h[0], c[0] = h0.T, c0.T
        rec = xp.empty((4 * u, batch), dtype=x.dtype)
        ig = xp.empty((u, batch), dtype=x.dtype)
        for t in range(steps):
            a = z[t]  # becomes the activated gates g, i, f, o
            xp.matmul(ws, h[t], out=rec)
            a += rec
            xp.tanh(a, out=a)
            sig = a[u:]  # sigmoid(z) = 0.5 * tanh(z / 2) + 0.5
            sig *= 0.5
            sig += 0.5
            xp.multiply(a[2 * u:3 * u], c[t], out=c[t + 1])
            xp.multiply(a[:u], a[u:2 * u], out=ig)
            c[t + 1] += ig
            xp.tanh(c[t + 1], out=tc[t])
            xp.multiply(a[3 * u:], tc[t], out=h[t + 1])
        if self.sequences:
            out = xp.empty((batch, steps + 1, u), dtype=x.dtype)
            out[:, :steps] = h[1:].transpose(2, 0, 1)
            out[:, steps] = c[steps].T
        else:
            out = xp.stack([h[steps].T, c[steps].T], axis=1)
        self.saved = (x, z, h, c, tc, kp, wp, b is not None)
        return out

    def backward(self, dy: Any) -> Any:
        x, acts, h, c, tc, kp, wp, has_b = self.saved
        xp = self.xp
        steps, width, batch = acts.shape
        u = width // 4
        if self.sequences:
            dh_seq = xp.ascontiguousarray(dy[:, :steps].transpose(1, 2, 0))
            dh = xp.zeros((u, batch), dtype=dy.dtype)
            dc = xp.ascontiguousarray(dy[:, steps].T)
        else:
            dh_seq = None
            dh = xp.ascontiguousarray(dy[:, 0].T)
            dc = xp.ascontiguousarray(dy[:, 1].T)
        dz = xp.empty_like(acts)
        slope = xp.empty((width, batch), dtype=dy.dtype)
        tmp = xp.empty((u, batch), dtype=dy.dtype)
        for t in range(steps - 1, -1, -1):
            a = acts[t]
            f, o = a[2 * u:3 * u], a[3 * u:]
            ct = tc[t]
            if dh_seq is not None:
                dh += dh_seq[t]
            xp.multiply(h[t + 1], ct, out=tmp)  # dh/dc = o (1 - tanh(c)^2) = o - h tanh(c)
            xp.subtract(o, tmp, out=tmp)
            tmp *= dh
            dc += tmp
            d = dz[t]                           # each gate's partner: dc/dg = i, dc/di = g, dc/df, dh/do
            xp.multiply(dc, a[:2 * u].reshape(2, u, batch)[::-1], out=d[:2 * u].reshape(2, u, batch))
            xp.multiply(dc, c[t], out=d[2 * u:3 * u])
            xp.multiply(dh, ct, out=d[3 * u:])
            xp.multiply(a, a, out=slope)        # tanh' = 1 - g^2; sigmoid' = a - a^2
            xp.subtract(1, slope[:u], out=slope[:u])
            xp.subtract(a[u:], slope[u:], out=slope[u:])
            d *= slope
            xp.matmul(wp, d, out=dh)
            dc *= f
        need_x, need_k, need_w, need_h, need_c = self.needs_input_grad[:5]
        back = _restore(xp, u)
        dzt = dz.transpose(0, 2, 1)  # (T, B, 4u) views of each step's (4u, B)
        dx = None
        if need_x:  # written in (B, T, F) order, so that the layer below reads it without a copy
            dx = xp.empty(x.shape, dtype=dz.dtype)
            xp.matmul(dzt, kp.T, out=dx.transpose(1, 0, 2))
        dk = xp.matmul(x.transpose(1, 2, 0), dzt).sum(axis=0)[:, back] if need_k else None
        dw = xp.matmul(h[:-1], dzt).sum(axis=0)[:, back] if need_w else None
        grads = (dx, dk, dw, dh.T if need_h else None, dc.T if need_c else None)
        if has_b:
            grads += (dz.sum(axis=(0, 2))[back] if self.needs_input_grad[5] else None,)
        return grads


class GRUSequence(Function):
    """Keras' GRU (``reset_after=True``) over a whole sequence, gates z, r, h in that column order.

    Inputs ``xw`` (B, T, 3u): the projected inputs with the input bias; ``w`` (u, 3u): the recurrent kernel;
    ``bias`` (3u,): the recurrent bias; ``h0`` (B, u). Output (B, T, u): ``h_1..h_T``. Per step
    ``hu = h @ w + bias``; ``z, r = sigmoid(xw_z + hu_z, xw_r + hu_r)``; ``hh = tanh(xw_h + r * hu_h)``;
    ``h = z * h + (1 - z) * hh``.
    """

    def forward(self, xw: Any, w: Any, bias: Any, h0: Any) -> Any:
        xp = self.xp
        b, steps, width = xw.shape
        u = width // 3
        s = _gate_scale(xp, 3, u, 2, xw.dtype)
        ws, bs = w * s, bias * s
        h = xp.empty((steps + 1, b, u), dtype=xw.dtype)
        h[0] = h0
        zr = xp.empty((steps, b, 2 * u), dtype=xw.dtype)
        hu = xp.empty((steps, b, u), dtype=xw.dtype)  # h @ w_h + bias_h, kept for the reset gate's gradient
        hh = xp.empty((steps, b, u), dtype=xw.dtype)
        rec = xp.empty((b, width), dtype=xw.dtype)
        for t in range(steps):
            xp.matmul(h[t], ws, out=rec)
            rec += bs
            gates = zr[t]
            xp.multiply(xw[:, t, :2 * u], 0.5, out=gates)
            gates += rec[:, :2 * u]
            xp.tanh(gates, out=gates)
            gates *= 0.5
            gates += 0.5
            hu[t] = rec[:, 2 * u:]
            cand = hh[t]
            xp.multiply(gates[:, u:], rec[:, 2 * u:], out=cand)
            cand += xw[:, t, 2 * u:]
            xp.tanh(cand, out=cand)
            nxt = h[t + 1]
            xp.subtract(h[t], cand, out=nxt)
            nxt *= gates[:, :u]
            nxt += cand
        self.saved = (zr, hu, hh, h, w)
        return h[1:].transpose(1, 0, 2)

    def backward(self, dy: Any) -> Any:
        zr, hu, hh, h, w = self.saved
        xp = self.xp
        steps, b, u = hh.shape
        dhu = xp.empty((steps, b, 3 * u), dtype=dy.dtype)
        dcand = xp.empty((steps, b, u), dtype=dy.dtype)
        dy_seq = dy.transpose(1, 0, 2)
        dh = xp.zeros((b, u), dtype=dy.dtype)
        k1, k2, direct = (xp.empty((b, u), dtype=dy.dtype) for _ in range(3))
        wt = w.T
        for t in range(steps - 1, -1, -1):  # the factors per step, while its arrays are in cache
            z, r, cand = zr[t, :, :u], zr[t, :, u:], hh[t]
            da, dg = dcand[t], dhu[t]
            dh += dy_seq[t]
            xp.multiply(cand, cand, out=k1)     # d pre-tanh of hh = dh (1 - z) (1 - hh^2)
            xp.subtract(1, k1, out=k1)
            xp.subtract(1, z, out=k2)
            k1 *= k2
            xp.multiply(dh, k1, out=da)
            k2 *= z                             # d pre-sigmoid of z = dh (h_prev - hh) z (1 - z)
            xp.subtract(h[t], cand, out=k1)
            k1 *= k2
            xp.multiply(dh, k1, out=dg[:, :u])
            xp.subtract(1, r, out=k1)           # d pre-sigmoid of r = da hu r (1 - r)
            k1 *= r
            k1 *= hu[t]
            xp.multiply(da, k1, out=dg[:, u:2 * u])
            xp.multiply(da, r, out=dg[:, 2 * u:])
            xp.multiply(dh, z, out=direct)
            xp.matmul(dg, wt, out=dh)
            dh += direct
        need_x, need_w, need_b, need_h = self.needs_input_grad
        dxw = None
        if need_x:
            dxw = dhu.copy()
            dxw[..., 2 * u:] = dcand
            dxw = dxw.transpose(1, 0, 2)
        dw = h[:-1].reshape(steps * b, u).T @ dhu.reshape(steps * b, 3 * u) if need_w else None
        db = dhu.reshape(steps * b, 3 * u).sum(axis=0) if need_b else None
        return dxw, dw, db, dh if need_h else None


def lstm_sequence(x: Any, kernel: Any, recurrent_kernel: Any, bias: Any, h0: Any, c0: Any,
                  return_sequences: bool = True) -> tuple[Tensor | None, Tensor, Tensor]:
    """The LSTM over ``x`` (B, T, F), its projection ``x @ kernel + bias`` included (``bias`` may be None):
    returns the outputs (B, T, u), or None without ``return_sequences`` (then no copy of them is made), and the
    last ``h`` and ``c``."""
    x = as_tensor(x)
    steps = int(x._value.shape[1])
    if steps == 0:
        raise ValueError("lstm_sequence: the sequence has no time steps (x has shape "
                         f"{tuple(x._value.shape)}); expected at least one")
    args = [x, as_tensor(kernel), as_tensor(recurrent_kernel), as_tensor(h0), as_tensor(c0)]
    out = LSTMSequence(return_sequences)(*args, *([] if bias is None else [as_tensor(bias)]))
    if not return_sequences:
        return None, S.getitem(out, (slice(None), 0)), S.getitem(out, (slice(None), 1))
    return (S.getitem(out, (slice(None), slice(0, steps))), S.getitem(out, (slice(None), steps - 1)),
            S.getitem(out, (slice(None), steps)))


def gru_sequence(xw: Any, recurrent_kernel: Any, recurrent_bias: Any, h0: Any) -> tuple[Tensor, Tensor]:
    """The GRU recurrence (``reset_after=True``) over ``xw`` (B, T, 3u): returns the outputs (B, T, u) and the
    last ``h``."""
    xw = as_tensor(xw)
    steps = int(xw._value.shape[1])
    if steps == 0:
        raise ValueError("gru_sequence: the sequence has no time steps (xw has shape "
                         f"{tuple(xw._value.shape)}); expected at least one")
    out = GRUSequence()(xw, as_tensor(recurrent_kernel), as_tensor(recurrent_bias), as_tensor(h0))
    return out, S.getitem(out, (slice(None), steps - 1))
