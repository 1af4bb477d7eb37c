package io.robustlab.ml.attack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * FAB's projection onto a hyperplane within the box, against brute force: in three dimensions, a
 * fine grid over two coordinates (the third solved from the hyperplane) finds no feasible step
 * shorter than the projection's, and the projection's step is feasible itself.
 */
class FabProjectionTest {

    @ParameterizedTest
    @EnumSource(value = Norm.class, names = {"L2", "LINF"})
    void theStepIsFeasibleAndNoGridPointIsShorter(Norm norm) {
        Random random = new Random(5);
        int checked = 0;
        for (int trial = 0; trial < 200; trial++) {
            float[] t = {random.nextFloat(), random.nextFloat(), random.nextFloat()};
            float[] w = {(float) random.nextGaussian(), (float) random.nextGaussian(), (float) random.nextGaussian()};
            // A hyperplane through a random point of the box, so the problem is feasible.
            double b = w[0] * random.nextFloat() + w[1] * random.nextFloat() + w[2] * random.nextFloat();
            float[] d = FabProjection.project(norm, t, 0, w, 0, 3, b);
            double onPlane = w[0] * (t[0] + d[0]) + w[1] * (t[1] + d[1]) + w[2] * (t[2] + d[2]) - b;
            assertThat(Math.abs(onPlane)).as("trial %d on the hyperplane", trial).isLessThan(1e-4);
            for (int i = 0; i < 3; i++) {
                assertThat(t[i] + d[i]).isBetween(-1e-6f, 1 + 1e-6f);
            }
            double best = bruteForce(norm, t, w, b);
            assertThat((double) norm.size(d, 0, 3)).as("trial %d: projection vs grid", trial).isLessThanOrEqualTo(best + 1e-3);
            checked++;
        }
        assertThat(checked).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(value = Norm.class, names = {"L2", "LINF"})
    void outOfReachGoesToTheFarCorner(Norm norm) {
        float[] t = {0.5f, 0.5f};
        float[] w = {1f, -1f};
        // w . z ranges over [-1, 1] in the box: 3 is out of reach, and the step goes to the corner
        // where w . z is largest, (1, 0).
        float[] d = FabProjection.project(norm, t, 0, w, 0, 2, 3.0);
        assertThat(d).containsExactly(0.5f, -0.5f);
    }

    private static double bruteForce(Norm norm, float[] t, float[] w, double b) {
        double best = Double.POSITIVE_INFINITY;
        int steps = 1000;
        for (int i = 0; i <= steps; i++) {
            for (int j = 0; j <= steps; j++) {
                double z0 = (double) i / steps;
                double z1 = (double) j / steps;
                double z2 = (b - w[0] * z0 - w[1] * z1) / w[2];
                if (z2 < 0 || z2 > 1) {
                    continue;
                }
                double d0 = z0 - t[0];
                double d1 = z1 - t[1];
                double d2 = z2 - t[2];
                double size = norm == Norm.LINF ? Math.max(Math.abs(d0), Math.max(Math.abs(d1), Math.abs(d2)))
                        : Math.sqrt(d0 * d0 + d1 * d1 + d2 * d2);
                best = Math.min(best, size);
            }
        }
        return best;
    }
}
