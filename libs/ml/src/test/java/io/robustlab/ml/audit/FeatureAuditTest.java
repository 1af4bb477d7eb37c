package io.robustlab.ml.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import io.robustlab.data.ImageDataset;
import io.robustlab.ml.attack.Norm;
import io.robustlab.ml.attack.PgdSettings;
import io.robustlab.ml.audit.FeatureScores.Category;
import io.robustlab.ml.audit.FeatureScores.Score;
import io.robustlab.ml.model.Architecture;
import io.robustlab.ml.model.Classifier;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 7, acceptance 1: planted features, audited through a fixed linear "model" whose
 * representation is the three input values themselves. Feature 0 separates the classes by a
 * margin far wider than eps (robust and useful); feature 1 separates them perfectly but by less
 * than eps (useful, flipped by the perturbation); feature 2 is noise.
 */
class FeatureAuditTest {

    private static final int N = 400;
    private static final float EPS = 0.1f;
    private static final PgdSettings LINF = new PgdSettings(Norm.LINF, EPS, EPS / 4, 10, false, 1, true);
    private static final FeatureScores.Thresholds THRESHOLDS = new FeatureScores.Thresholds(0.5, 0.2);

    private ImageDataset data;
    private Classifier model;

    @BeforeEach
    void plant() {
        Random r = new Random(3);
        float[] x = new float[N * 3];
        int[] labels = new int[N];
        for (int i = 0; i < N; i++) {
            labels[i] = i % 2;
            int sign = labels[i] == 1 ? 1 : -1;
            x[i * 3] = 0.5f + 0.3f * sign + 0.02f * (float) r.nextGaussian();
            x[i * 3 + 1] = 0.5f + 0.04f * sign + 0.005f * (float) r.nextGaussian();
            x[i * 3 + 2] = 0.2f + 0.6f * r.nextFloat();
        }
        data = new ImageDataset(x, labels, 1, 1, 3);
        model = Classifier.create(new Classifier.ModelSpec(Architecture.LINEAR, 1, 1, 3, 2, new float[] {0}, new float[] {1}),
                Device.cpu(), 1);
    }

    @AfterEach
    void close() {
        model.close();
    }

    @Test
    void eachPlantedFeatureLandsInItsCategoryForEachClass() {
        FeatureExtremes.Values v = FeatureExtremes.measure(model, data, LINF, 16, 2, done -> { });
        assertThat(v.features()).isEqualTo(3);
        List<Score> scores = FeatureScores.score(v.clean(), v.lowest(), v.highest(), data.labels(), 2, 3, THRESHOLDS);

        for (int c = 0; c < 2; c++) {
            assertThat(score(scores, 0, c).category()).as("feature 0, class " + c).isEqualTo(Category.ROBUST_USEFUL);
            assertThat(score(scores, 1, c).category()).as("feature 1, class " + c).isEqualTo(Category.USEFUL_NON_ROBUST);
            assertThat(score(scores, 2, c).category()).as("feature 2, class " + c).isEqualTo(Category.NOT_USEFUL);
        }
        // Class 1 reads the features as they are; class 0 reads them negated.
        assertThat(score(scores, 0, 1).orientation()).isEqualTo(1);
        assertThat(score(scores, 0, 0).orientation()).isEqualTo(-1);
        // Standardised, feature 0 is about +-1 and eps moves it by 0.1 / 0.3: gamma about 2/3 of rho.
        assertThat(score(scores, 0, 1).rho()).isCloseTo(1.0, within(0.02));
        assertThat(score(scores, 0, 1).gamma()).isCloseTo(1.0 - EPS / 0.3, within(0.05));
        assertThat(score(scores, 1, 1).gamma()).isCloseTo(1.0 - EPS / 0.04, within(0.3));
        assertThat(Math.abs(score(scores, 2, 1).rho())).isLessThan(0.2);
    }

    @Test
    void theBatchedSearchFindsEachFeaturesExactExtremesInTheBox() {
        // Every copy of every image optimised its own feature: for a linear feature under Linf the
        // extremes are the corners, clipped to [0,1].
        FeatureExtremes.Values v = FeatureExtremes.measure(model, data, LINF, 7, 2, done -> { });
        for (int i = 0; i < N; i++) {
            for (int k = 0; k < 3; k++) {
                float x = data.images()[i * 3 + k];
                assertThat(v.clean()[i * 3 + k]).isCloseTo(x, within(1e-6f));
                assertThat(v.lowest()[i * 3 + k]).as("lowest of feature %d, example %d", k, i).isCloseTo(Math.max(0, x - EPS), within(1e-4f));
                assertThat(v.highest()[i * 3 + k]).as("highest of feature %d, example %d", k, i).isCloseTo(Math.min(1, x + EPS), within(1e-4f));
            }
        }
        assertThat(FeatureExtremes.passes(N, 3, 7, 2)).isEqualTo(58 * 2);
    }

    @Test
    void aProbeOnTheRobustFeatureStaysAccurateUnderAttackAndOneOnTheNonRobustFeatureDoesNot() {
        FeatureExtremes.Values v = FeatureExtremes.measure(model, data, LINF, 16, 3, done -> { });
        LinearProbe robust = LinearProbe.train(v.clean(), 3, data.labels(), 2, new int[] {0}, 20, 0.5f, 1);
        LinearProbe nonRobust = LinearProbe.train(v.clean(), 3, data.labels(), 2, new int[] {1}, 20, 0.5f, 1);
        assertThat(robust.accuracy(model, data, null, 64)).isGreaterThan(0.99);
        assertThat(robust.accuracy(model, data, LINF, 64)).isGreaterThan(0.99);
        assertThat(nonRobust.accuracy(model, data, null, 64)).isGreaterThan(0.99);
        assertThat(nonRobust.accuracy(model, data, LINF, 64)).isLessThan(0.01);
    }

    private static Score score(List<Score> scores, int feature, int clazz) {
        return scores.stream().filter(s -> s.feature() == feature && s.clazz() == clazz).findFirst().orElseThrow();
    }
}
