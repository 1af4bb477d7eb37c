package io.robustlab.ml.attack;

import ai.djl.ndarray.NDArray;

/**
 * The threat model of an attack, as its two pieces: the step rule (steepest ascent for the norm)
 * and the projection back into the eps-ball around the original and into [0,1].
 */
public enum Norm {
    /** Sign steps, clipped coordinate-wise to [x0 - eps, x0 + eps]. */
    LINF {
        @Override
        public NDArray step(NDArray x, NDArray grad, float size) {
            return x.add(grad.sign().mul(size));
        }

        @Override
        public NDArray project(NDArray x, NDArray x0, float eps) {
            return x0.add(x.sub(x0).clip(-eps, eps)).clip(0, 1);
        }

        @Override
        public NDArray randomStart(NDArray x0, float eps) {
            return x0.add(x0.getManager().randomUniform(-eps, eps, x0.getShape())).clip(0, 1);
        }
    },
    /** Steps along the normalised gradient, rescaled into the L2 ball. */
    L2 {
        @Override
        public NDArray step(NDArray x, NDArray grad, float size) {
            return x.add(grad.div(perExampleNorm(grad).add(1e-12f)).mul(size));
        }

        @Override
        public NDArray project(NDArray x, NDArray x0, float eps) {
            NDArray delta = x.sub(x0);
            NDArray scale = perExampleNorm(delta).add(1e-12f).pow(-1).mul(eps).minimum(1f);
            // Clipping to [0,1] after the rescale only moves coordinates towards x0 (itself in [0,1]): still in the ball.
            return x0.add(delta.mul(scale)).clip(0, 1);
        }

        @Override
        public NDArray randomStart(NDArray x0, float eps) {
            NDArray noise = x0.getManager().randomNormal(x0.getShape());
            return x0.add(noise.div(perExampleNorm(noise).add(1e-12f)).mul(eps)).clip(0, 1);
        }
    },
    /** L2 steps with no ball: only the pixel range binds (the representation inversions of D_R / D_NR). */
    UNCONSTRAINED {
        @Override
        public NDArray step(NDArray x, NDArray grad, float size) {
            return L2.step(x, grad, size);
        }

        @Override
        public NDArray project(NDArray x, NDArray x0, float eps) {
            return x.clip(0, 1);
        }

        @Override
        public NDArray randomStart(NDArray x0, float eps) {
            return x0.duplicate();
        }
    };

    public abstract NDArray step(NDArray x, NDArray grad, float size);

    public abstract NDArray project(NDArray x, NDArray x0, float eps);

    public abstract NDArray randomStart(NDArray x0, float eps);

    /** ||v||_2 per example, shaped (N, 1, 1, 1) to broadcast over images. */
    public static NDArray perExampleNorm(NDArray v) {
        long n = v.getShape().get(0);
        return v.reshape(n, -1).square().sum(new int[] {1}).sqrt().reshape(n, 1, 1, 1);
    }

    /**
     * The size of one example's vector {@code v[from, from + length)} in this norm (L2 for
     * UNCONSTRAINED). The host-array methods serve the attacks that keep per-example state on the
     * host (APGD, FAB, Square) and only ask the model for logits and gradients.
     */
    public float size(float[] v, int from, int length) {
        double s = 0;
        for (int i = from; i < from + length; i++) {
            s = this == LINF ? Math.max(s, Math.abs(v[i])) : s + (double) v[i] * v[i];
        }
        return (float) (this == LINF ? s : Math.sqrt(s));
    }

    /** The distance of example {@code x[from, from + length)} from the same example of {@code x0}. */
    public float distance(float[] x, float[] x0, int from, int length) {
        float[] d = new float[length];
        for (int i = 0; i < length; i++) {
            d[i] = x[from + i] - x0[from + i];
        }
        return size(d, 0, length);
    }

    /** {@link #step} on one example of host arrays, in place: {@code x += size * (steepest-ascent direction of grad)}. */
    public void stepInPlace(float[] x, float[] grad, int from, int length, float size) {
        if (this == LINF) {
            for (int i = from; i < from + length; i++) {
                x[i] += size * Math.signum(grad[i]);
            }
            return;
        }
        float scale = size / (size(grad, from, length) + 1e-12f);
        for (int i = from; i < from + length; i++) {
            x[i] += scale * grad[i];
        }
    }

    /** {@link #project} on one example of host arrays, in place: into the eps-ball around {@code x0}, then into [0,1]. */
    public void projectInPlace(float[] x, float[] x0, int from, int length, float eps) {
        if (this == LINF) {
            for (int i = from; i < from + length; i++) {
                x[i] = clip01(x0[i] + Math.max(-eps, Math.min(eps, x[i] - x0[i])));
            }
            return;
        }
        float scale = 1f;
        if (this == L2) {
            scale = Math.min(1f, eps / (distance(x, x0, from, length) + 1e-12f));
        }
        for (int i = from; i < from + length; i++) {
            x[i] = clip01(x0[i] + (x[i] - x0[i]) * scale);
        }
    }

    static float clip01(float v) {
        return v < 0 ? 0 : v > 1 ? 1 : v;
    }

    /** The largest per-example distance of {@code x} from {@code x0} in this norm (L2 for UNCONSTRAINED). */
    public NDArray distance(NDArray x, NDArray x0) {
        NDArray d = x.sub(x0);
        long n = d.getShape().get(0);
        return this == LINF ? d.abs().reshape(n, -1).max(new int[] {1}) : perExampleNorm(d).reshape(n);
    }
}
