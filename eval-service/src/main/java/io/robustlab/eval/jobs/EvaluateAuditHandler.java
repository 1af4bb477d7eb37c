package io.robustlab.eval.jobs;

import io.robustlab.api.jobtypes.JobTypeCatalog;
import io.robustlab.api.model.FeatureAuditCategoryMeans;
import io.robustlab.api.model.FeatureAuditCounts;
import io.robustlab.api.model.FeatureAuditProbe;
import io.robustlab.api.model.FeatureAuditProbes;
import io.robustlab.api.model.FeatureAuditResult;
import io.robustlab.api.model.FeatureAuditSpec;
import io.robustlab.api.model.FeatureAuditSpecProbe;
import io.robustlab.api.model.FeatureAuditSpecThresholds;
import io.robustlab.data.ImageDataset;
import io.robustlab.eval.audit.AuditPlots;
import io.robustlab.jobs.artifact.Artifact;
import io.robustlab.jobs.worker.JobContext;
import io.robustlab.ml.attack.PgdSettings;
import io.robustlab.ml.audit.FeatureExtremes;
import io.robustlab.ml.audit.FeatureScores;
import io.robustlab.ml.audit.FeatureScores.Category;
import io.robustlab.ml.audit.FeatureScores.Score;
import io.robustlab.ml.audit.LinearProbe;
import io.robustlab.ml.model.Classifier;
import io.robustlab.ml.runtime.DjlRuntime;
import io.robustlab.mlservice.MlJobTools;
import io.robustlab.mlservice.MlSpecs;
import io.robustlab.mlservice.ModelArtifacts;
import io.robustlab.mlservice.ModelJobHandler;
import io.robustlab.mlservice.ThrottledProgress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;
import org.springframework.stereotype.Component;

/**
 * {@code eval.audit}: which of a model's representation units are useful, robustly useful, or
 * useful but non-robust (the paper's definitions, measured), and how well linear probes on the
 * robust-useful units and on the useful-non-robust units classify, clean and under attack.
 */
@Component
public class EvaluateAuditHandler extends ModelJobHandler<FeatureAuditSpec, FeatureAuditResult> {

    public EvaluateAuditHandler(MlJobTools tools) {
        super(JobTypeCatalog.EVALUATE_AUDIT, FeatureAuditSpec.class, FeatureAuditResult.class, tools);
    }

    @Override
    protected FeatureAuditResult run(FeatureAuditSpec spec, JobContext ctx) throws IOException {
        Work work = startWork();
        ImageDataset audited = datasets.load(spec.getDatasetArtifactId(), "spec.datasetArtifactId", spec.getLimit());
        ImageDataset train = datasets.load(spec.getTrainArtifactId(), "spec.trainArtifactId", spec.getTrainLimit());
        FeatureAuditSpecThresholds t = spec.getThresholds() != null ? spec.getThresholds() : new FeatureAuditSpecThresholds();
        FeatureAuditSpecProbe probeSpec = spec.getProbe() != null ? spec.getProbe() : new FeatureAuditSpecProbe();
        PgdSettings attack = MlSpecs.pgd(spec.getAttack());
        try (Classifier model = loadModel(spec.getModelArtifactId(), "spec.modelArtifactId", ctx)) {
            ModelArtifacts.requireRepresentation(model, "spec.modelArtifactId", "the feature audit");
            int features = FeatureExtremes.representationSize(model, audited);
            int passes = FeatureExtremes.passes(audited.size(), features, spec.getImagesPerPass(), spec.getFeaturesPerPass());
            ThrottledProgress progress = new ThrottledProgress(ctx, passes + 1);
            progress.phase(String.format(Locale.ROOT, "PGD on each of %d features, %d examples", features, audited.size()), 0);
            FeatureExtremes.Values v = FeatureExtremes.measure(model, audited, attack, spec.getImagesPerPass(), spec.getFeaturesPerPass(),
                    progress::units);
            int classes = model.spec().classes();
            List<Score> scores = FeatureScores.score(v.clean(), v.lowest(), v.highest(), audited.labels(), classes, features,
                    new FeatureScores.Thresholds(t.getRho(), t.getGamma()));
            work.done(2L * features * audited.size());

            progress.phase("linear probes", passes);
            Category[] best = bestCategory(scores, features);
            float[] trainRepresentations = FeatureExtremes.representations(model, train, spec.getBatchSize());
            ImageDataset probeTest = probeSpec.getEvaluationLimit() == null ? audited
                    : audited.subset(0, Math.min(audited.size(), probeSpec.getEvaluationLimit()));
            FeatureAuditProbes probes = new FeatureAuditProbes(
                    probe(model, trainRepresentations, features, train, probeTest, units(best, Category.ROBUST_USEFUL), probeSpec, attack, spec),
                    probe(model, trainRepresentations, features, train, probeTest, units(best, Category.USEFUL_NON_ROBUST), probeSpec, attack,
                            spec));

            String title = model.spec().architecture().apiName() + ", " + audited.size() + " examples, " + describe(spec);
            UUID job = ctx.job().id();
            Artifact csv = artifacts.save(job, "audit-table", "feature-audit.csv", "text/csv", "{}",
                    out -> out.write(csv(scores).getBytes(StandardCharsets.UTF_8)));
            Artifact table = artifacts.save(job, "audit-table", "feature-audit.json", "application/json", "{}",
                    out -> out.write(json.writeValueAsBytes(scores.stream().map(EvaluateAuditHandler::row).toList())));
            byte[] scatterPng = AuditPlots.scatter(scores, "Feature audit: " + title);
            Artifact scatter = artifacts.save(job, "figure", "feature-audit-scatter.png", "image/png", "{}", out -> out.write(scatterPng));
            byte[] histogramPng = AuditPlots.gammaHistogram(scores, "Robust usefulness by category: " + title);
            Artifact histogram = artifacts.save(job, "figure", "feature-audit-gamma.png", "image/png", "{}", out -> out.write(histogramPng));

            FeatureAuditCounts pairs = count(scores.stream().map(Score::category).toList());
            int useful = pairs.getRobustUseful() + pairs.getUsefulNonRobust();
            return new FeatureAuditResult(spec.getModelArtifactId(), model.spec().architecture().apiName(), audited.size(), features,
                    classes, pairs, useful == 0 ? 0 : (double) pairs.getRobustUseful() / useful, count(Arrays.asList(best)),
                    means(scores), probes, describe(spec), t.getRho(), t.getGamma(), csv.id(), table.id(), scatter.id(), histogram.id(),
                    DjlRuntime.name(model.device()), work.seconds());
        }
    }

    /** A feature's best category over the classes: robust-useful for some class beats useful-non-robust for some class. */
    private static Category[] bestCategory(List<Score> scores, int features) {
        Category[] best = new Category[features];
        Arrays.fill(best, Category.NOT_USEFUL);
        for (Score s : scores) {
            if (s.category().ordinal() < best[s.feature()].ordinal()) {
                best[s.feature()] = s.category();
            }
        }
        return best;
    }

    private static int[] units(Category[] best, Category wanted) {
        return IntStream.range(0, best.length).filter(k -> best[k] == wanted).toArray();
    }

    /** A probe on one unit set; its accuracies are absent when the set is empty. */
    private FeatureAuditProbe probe(Classifier model, float[] trainRepresentations, int features, ImageDataset train, ImageDataset test,
                        int[] units, FeatureAuditSpecProbe p, PgdSettings attack, FeatureAuditSpec spec) {
        if (units.length == 0) {
            return new FeatureAuditProbe(0, null, null);
        }
        LinearProbe probe = LinearProbe.train(trainRepresentations, features, train.labels(), model.spec().classes(), units,
                p.getEpochs(), p.getLearningRate(), spec.getSeed());
        return new FeatureAuditProbe(units.length, probe.accuracy(model, test, null, spec.getBatchSize()),
                probe.accuracy(model, test, attack, spec.getBatchSize()));
    }

    /** Counts of (unit, class) pairs, or of units, per category. */
    private static FeatureAuditCounts count(List<Category> categories) {
        Map<Category, Integer> m = new EnumMap<>(Category.class);
        categories.forEach(c -> m.merge(c, 1, Integer::sum));
        return new FeatureAuditCounts(m.getOrDefault(Category.ROBUST_USEFUL, 0), m.getOrDefault(Category.USEFUL_NON_ROBUST, 0),
                m.getOrDefault(Category.NOT_USEFUL, 0));
    }

    /** Mean rho and gamma of the pairs of each category; null for a category without pairs. */
    private static List<FeatureAuditCategoryMeans> means(List<Score> scores) {
        return Arrays.stream(Category.values()).map(c -> {
            List<Score> in = scores.stream().filter(s -> s.category() == c).toList();
            return new FeatureAuditCategoryMeans(FeatureAuditCategoryMeans.CategoryEnum.fromValue(c.apiName()), in.size(),
                    in.isEmpty() ? null : in.stream().mapToDouble(Score::rho).average().orElseThrow(),
                    in.isEmpty() ? null : in.stream().mapToDouble(Score::gamma).average().orElseThrow());
        }).toList();
    }

    private static String describe(FeatureAuditSpec spec) {
        return String.format(Locale.ROOT, "PGD %s eps %s, %d steps", spec.getAttack().getNorm().getValue(), spec.getAttack().getEps(),
                spec.getAttack().getSteps());
    }

    private static String csv(List<Score> scores) {
        StringBuilder b = new StringBuilder("feature,class,orientation,rho,gamma,category\n");
        for (Score s : scores) {
            b.append(String.format(Locale.ROOT, "%d,%d,%d,%.6f,%.6f,%s%n", s.feature(), s.clazz(), s.orientation(), s.rho(), s.gamma(),
                    s.category().apiName()));
        }
        return b.toString();
    }

    private static Map<String, Object> row(Score s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("feature", s.feature());
        m.put("class", s.clazz());
        m.put("orientation", s.orientation());
        m.put("rho", s.rho());
        m.put("gamma", s.gamma());
        m.put("category", s.category().apiName());
        return m;
    }
}
