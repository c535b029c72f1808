"""BatchNormalization(renorm=True): batch renormalization as Keras 2 documents it.

The reference below is written from the formulas, in float64: with the batch mean m_B and sigma_B =
sqrt(var_B + eps), r = clip(sigma_B / renorm_stddev, rmin, rmax), d = clip((m_B - renorm_mean) / renorm_stddev,
-dmax, dmax) read before the update, y = gamma ((x - m_B) / sigma_B * r + d) + beta; then the renorm statistics
move with renorm_momentum, moving_mean and moving_stddev with momentum, and moving_variance = moving_stddev^2 - eps.
"""
from __future__ import annotations

import numpy as np
import pytest

import tensorlet as tf
from tensorlet.autodiff.tensor import Variable
from tensorlet.keras import layers, models
from tests.layers.test_cnn_gradients import _check_layer


class Reference:
    def __init__(self, n: int, momentum: float, renorm_momentum: float, eps: float, clip: dict) -> None:
        self.m, self.rm_, self.eps = momentum, renorm_momentum, eps
        self.rmin, self.rmax, self.dmax = clip.get("rmin", 0.0), clip.get("rmax", np.inf), clip.get("dmax", np.inf)
        self.mean, self.std = np.zeros(n), np.ones(n)  # moving (inference) statistics
        self.rmean, self.rstd = np.zeros(n), np.ones(n)  # renorm statistics

    def step(self, x: np.ndarray, gamma: np.ndarray, beta: np.ndarray) -> np.ndarray:
        x = x.astype(np.float64)
        axes = tuple(range(x.ndim - 1))
        mb, sb = x.mean(axes), np.sqrt(x.var(axes) + self.eps)
        r = np.clip(sb / self.rstd, self.rmin, self.rmax)
        d = np.clip((mb - self.rmean) / self.rstd, -self.dmax, self.dmax)
        y = gamma * ((x - mb) / sb * r + d) + beta
        self.rmean = self.rm_ * self.rmean + (1 - self.rm_) * mb
        self.rstd = self.rm_ * self.rstd + (1 - self.rm_) * sb
        self.mean = self.m * self.mean + (1 - self.m) * mb
        self.std = self.m * self.std + (1 - self.m) * sb
        return y

    def weights(self) -> list[np.ndarray]:
        return [self.mean, self.std ** 2 - self.eps, self.std, self.rmean, self.rstd]


CLIPS = [{}, {"rmax": 1.5, "rmin": 0.7, "dmax": 0.5}, {"rmax": 3.0}]


@pytest.mark.parametrize("clip", CLIPS, ids=["no-clip", "clip-all", "rmax-only"])
@pytest.mark.parametrize("shape", [(16, 3), (4, 3, 2, 3)])
def test_renorm_matches_the_formulas_over_several_batches(clip, shape):
    rng = np.random.default_rng(0)
    bn = layers.BatchNormalization(renorm=True, renorm_clipping=clip or None, renorm_momentum=0.9, momentum=0.8,
                                   gamma_initializer=tf.keras.initializers.Constant(1.5),
                                   beta_initializer=tf.keras.initializers.Constant(-0.5))
    ref = Reference(shape[-1], 0.8, 0.9, 1e-3, clip)
    for k in range(4):
        x = (rng.standard_normal(shape) * (3 - k * 0.5) + 2).astype("float32")
        y = bn(x, training=True).numpy()
        np.testing.assert_allclose(y, ref.step(x, 1.5, -0.5), rtol=1e-4, atol=1e-4)
        got = [w.numpy() for w in bn.non_trainable_weights]
        for name, a, b in zip(["moving_mean", "moving_variance", "moving_stddev", "renorm_mean", "renorm_stddev"],
                              got, ref.weights()):
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5, err_msg=name)


def test_renorm_clipping_is_active_in_the_clipped_case():
    """Guard against a vacuous clip test: the first batch's r and d are outside the clip range."""
    x = (np.random.default_rng(1).standard_normal((16, 3)) * 3 + 2).astype("float32")
    clipped = layers.BatchNormalization(renorm=True, renorm_clipping=CLIPS[1])(x, training=True).numpy()
    free = layers.BatchNormalization(renorm=True)(x, training=True).numpy()
    assert not np.allclose(clipped, free, atol=1e-2)
    np.testing.assert_allclose(free, x, rtol=1e-4, atol=1e-4)  # unclipped, the first step is the identity


def test_renorm_weights_in_keras_order_and_initial_values():
    bn = layers.BatchNormalization(renorm=True, moving_variance_initializer=tf.keras.initializers.Constant(4.0),
                                   moving_mean_initializer=tf.keras.initializers.Constant(0.5))
    bn.build((None, 2))
    assert [w.path.rsplit("/", 1)[-1] for w in bn.weights] == ["gamma", "beta", "moving_mean", "moving_variance", "moving_stddev",
                                            "renorm_mean", "renorm_stddev"]
    assert [w.path.rsplit("/", 1)[-1] for w in bn.trainable_weights] == ["gamma", "beta"]
    np.testing.assert_array_equal(bn.moving_stddev.numpy(), [2.0, 2.0])
    np.testing.assert_array_equal(bn.renorm_stddev.numpy(), [2.0, 2.0])
    np.testing.assert_array_equal(bn.renorm_mean.numpy(), [0.5, 0.5])


def test_renorm_inference_is_plain_batch_norm():
    rng = np.random.default_rng(2)
    x = rng.standard_normal((5, 3)).astype("float32")
    a, b = layers.BatchNormalization(renorm=True), layers.BatchNormalization()
    a.build(x.shape), b.build(x.shape)
    gamma, beta, mm, mv = rng.standard_normal(3), rng.standard_normal(3), rng.standard_normal(3), rng.uniform(1, 2, 3)
    a.set_weights([gamma, beta, mm, mv, np.sqrt(mv + 1e-3), mm, np.sqrt(mv)])
    b.set_weights([gamma, beta, mm, mv])
    np.testing.assert_allclose(a(x, training=False).numpy(), b(x, training=False).numpy(), rtol=1e-6)


def test_renorm_gradients_finite_differences():
    """With r and d saturated by the clipping they are constants, so finite differences see the same function
    the gradient describes (r and d carry no gradient, as batch renormalization specifies)."""
    x = np.random.default_rng(3).standard_normal((6, 3)) * 3 + 4  # sigma_B ~ 3 > rmax; mean ~ 4 > dmax
    layer = layers.BatchNormalization(renorm=True, renorm_clipping={"rmin": 0.5, "rmax": 1.3, "dmax": 0.2},
                                      renorm_momentum=0.9999, dtype="float64")
    _check_layer(layer, x, ("gamma", "beta"), training=True)


def test_renorm_gradient_treats_r_and_d_as_constants():
    """Unsaturated r and d: the tape's gradient equals the closed form with r, d held fixed."""
    rng = np.random.default_rng(4)
    x = rng.standard_normal((8, 2)) * 1.2 + 0.3
    bn = layers.BatchNormalization(renorm=True, dtype="float64")
    bn.build(x.shape)
    bn.set_weights([np.array([1.5, 0.5]), np.zeros(2), np.zeros(2), np.ones(2), np.ones(2),
                    np.array([0.1, -0.2]), np.array([0.9, 1.1])])
    dy = rng.standard_normal(x.shape)
    xv = Variable(x)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(bn(xv, training=True) * dy)
    dx, dgamma = tape.gradient(loss, [xv, bn.gamma])
    mb, sb = x.mean(0), np.sqrt(x.var(0) + 1e-3)
    xhat = (x - mb) / sb
    r, d = sb / np.array([0.9, 1.1]), (mb - np.array([0.1, -0.2])) / np.array([0.9, 1.1])
    gamma = np.array([1.5, 0.5])
    expected_dx = gamma * r / sb * (dy - dy.mean(0) - xhat * (dy * xhat).mean(0))
    np.testing.assert_allclose(dx.numpy(), expected_dx, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(dgamma.numpy(), (dy * (xhat * r + d)).sum(0), rtol=1e-8)


def test_renorm_fit_counts_each_batch_once_and_round_trips(tmp_path):
    rng = np.random.default_rng(5)
    x = (rng.standard_normal((16, 2)) * 3 - 1).astype("float32")
    y = np.zeros((16, 1), dtype="float32")
    inp = layers.Input(shape=(2,))
    bn = layers.BatchNormalization(renorm=True, renorm_momentum=0.5, momentum=0.6,
                                   renorm_clipping={"rmax": 2.0, "rmin": 0.5, "dmax": 1.0})
    model = models.Model(inp, layers.Dense(1)(bn(inp)))
    model.compile(optimizer=tf.keras.optimizers.SGD(0.0), loss="mse")
    model.fit(x, y, epochs=1, batch_size=4, shuffle=False, verbose=0)  # traced once, then replayed
    ref = Reference(2, 0.6, 0.5, 1e-3, {"rmax": 2.0, "rmin": 0.5, "dmax": 1.0})
    for s in range(0, 16, 4):
        ref.step(x[s:s + 4], np.ones(2), np.zeros(2))
    for a, b in zip([w.numpy() for w in bn.non_trainable_weights], ref.weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-5)
    config = bn.get_config()
    assert config["renorm"] is True and config["renorm_momentum"] == 0.5
    assert config["renorm_clipping"] == {"rmax": 2.0, "rmin": 0.5, "dmax": 1.0}
    path = str(tmp_path / "renorm.keras")
    model.save(path)
    loaded = models.load_model(path)
    lbn = [layer for layer in loaded.layers if isinstance(layer, layers.BatchNormalization)][0]
    assert lbn.renorm and lbn.renorm_momentum == 0.5
    for a, b in zip(lbn.get_weights(), bn.get_weights()):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(loaded.predict(x, verbose=0), model.predict(x, verbose=0), rtol=1e-6)


@pytest.mark.parametrize("clip,match", [({"foo": 1}, "accepts the keys 'rmax', 'rmin' and 'dmax'"),
                                        ({"rmax": "big"}, "must be numbers"),
                                        ({"rmin": 2.0, "rmax": 1.0}, "rmin <= rmax"),
                                        ({"dmax": -1.0}, "dmax >= 0")])
def test_renorm_clipping_bad_values(clip, match):
    with pytest.raises(ValueError, match=match):
        layers.BatchNormalization(renorm=True, renorm_clipping=clip)


@pytest.mark.parity
def test_renorm_parity_with_keras_2():
    """Outputs, statistics and gradients against tf_keras (Keras 2), whose BatchNormalization has renorm."""
    k = pytest.importorskip("tf_keras")
    import tensorflow as tf_real

    kw = {"renorm": True, "renorm_clipping": {"rmax": 1.5, "rmin": 0.7, "dmax": 0.5}, "renorm_momentum": 0.9,
          "momentum": 0.8}
    theirs, ours = k.layers.BatchNormalization(**kw), layers.BatchNormalization(**kw)
    rng = np.random.default_rng(6)
    for step in range(4):
        x = (rng.standard_normal((16, 3)) * (3 - step * 0.6) + 2).astype("float32")
        dy = rng.standard_normal(x.shape).astype("float32")
        xt = tf_real.Variable(x)
        with tf_real.GradientTape() as tape:
            yt = theirs(xt, training=True)
            lt = tf_real.reduce_sum(yt * dy)
        gt = tape.gradient(lt, [xt] + theirs.trainable_weights)
        xo = Variable(x)
        with tf.GradientTape() as tape2:
            yo = ours(xo, training=True)
            lo = tf.reduce_sum(yo * dy)
        go = tape2.gradient(lo, [xo] + ours.trainable_weights)
        np.testing.assert_allclose(yo.numpy(), yt.numpy(), rtol=1e-5, atol=1e-5)
        for a, b in zip(go, gt):
            np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-4, atol=1e-4)
        for a, b in zip(ours.weights, theirs.weights):
            np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-5)
