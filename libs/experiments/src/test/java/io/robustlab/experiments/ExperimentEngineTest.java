package io.robustlab.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.robustlab.api.jobtypes.CacheKeys;
import io.robustlab.api.jobtypes.InvalidSpecException;
import io.robustlab.api.jobtypes.JobTypeCatalog;
import io.robustlab.api.jobtypes.JobTypeDefinition;
import io.robustlab.api.jobtypes.SpecValidator;
import io.robustlab.api.model.ConstructMergeQuality;
import io.robustlab.api.model.ConstructMergeResult;
import io.robustlab.api.model.DatasetConstructResult;
import io.robustlab.api.model.DatasetImportResult;
import io.robustlab.api.model.DatasetImportSplit;
import io.robustlab.api.model.DatasetRelabelResult;
import io.robustlab.api.model.EvaluateClassifierDiagnostics;
import io.robustlab.api.model.EvaluateClassifierResult;
import io.robustlab.api.model.EvaluateClassifierRobustPoint;
import io.robustlab.api.model.EvaluateLeakageAgreement;
import io.robustlab.api.model.EvaluateLeakageResult;
import io.robustlab.api.model.EvaluateLeakageShare;
import io.robustlab.api.model.ExperimentReport;
import io.robustlab.api.model.FeatureAuditCounts;
import io.robustlab.api.model.FeatureAuditProbe;
import io.robustlab.api.model.FeatureAuditProbes;
import io.robustlab.api.model.FeatureAuditResult;
import io.robustlab.api.model.Measure;
import io.robustlab.api.model.ReportModelRow;
import io.robustlab.api.model.ReportVerdict;
import io.robustlab.api.model.TrainClassifierResult;
import io.robustlab.api.model.TransferEvaluationModelOutcome;
import io.robustlab.api.model.TransferEvaluationResult;
import io.robustlab.jobs.Backoff;
import io.robustlab.jobs.Job;
import io.robustlab.jobs.JobQueue;
import io.robustlab.jobs.JobsSchema;
import io.robustlab.jobs.NewJob;
import io.robustlab.jobs.Tx;
import io.robustlab.testing.TestDatabase;
import jakarta.validation.Validation;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import org.hibernate.validator.messageinterpolation.ParameterMessageInterpolator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The engine over the real queue and PostgreSQL, with the features-not-bugs template and its smoke
 * preset. The services are played by {@link #work}: it claims whatever is queued and completes it
 * with a result of the right shape, after checking the spec names only outputs that exist. (The
 * real services run the same experiment in the system tests.)
 */
class ExperimentEngineTest {

    static TestDatabase db;
    static JobQueue queue;
    static ExperimentEngine engine;
    static final JsonMapper json = JsonMapper.builder().build();
    static final Set<UUID> knownArtifacts = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
        JobsSchema.migrate(db.dataSource());
        queue = new JobQueue(db.dataSource());
        var validator = Validation.byDefaultProvider().configure().messageInterpolator(new ParameterMessageInterpolator())
                .buildValidatorFactory().getValidator();
        engine = new ExperimentEngine(db.dataSource(), queue, List.of(new FeaturesNotBugs(json)), new SpecValidator(json, validator), json);
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    /**
     * The engine submits a step's job in the transaction that marks the step RUNNING, under the
     * experiment's row lock, on the same connection: when that transaction dies, the job dies with it.
     */
    @Test
    void aStepsJobIsSubmittedInTheTransactionThatStartsTheStep() {
        Tx.run(db.dataSource(), c -> {
            try (var st = c.createStatement()) {
                st.execute("""
                        CREATE OR REPLACE FUNCTION fail_doomed_step() RETURNS trigger LANGUAGE plpgsql AS $$
                        BEGIN
                          IF NEW.state = 'RUNNING' AND EXISTS (SELECT 1 FROM experiment WHERE id = NEW.experiment_id AND name = 'doomed') THEN
                            RAISE EXCEPTION 'the engine dies after submitting the job of step %', NEW.name;
                          END IF;
                          RETURN NEW;
                        END $$""");
                st.execute("CREATE TRIGGER fail_doomed_step BEFORE UPDATE ON experiment_step FOR EACH ROW EXECUTE FUNCTION fail_doomed_step()");
            }
            return null;
        });
        try {
            assertThatThrownBy(() -> engine.create(FeaturesNotBugs.NAME, "smoke", Map.of("seed", 12), false, "doomed"))
                    .hasMessageContaining("the engine dies after submitting the job of step import");
            UUID doomed = Tx.run(db.dataSource(), c -> {
                try (var ps = c.prepareStatement("SELECT id FROM experiment WHERE name = 'doomed'"); var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getObject(1, UUID.class);
                }
            });
            assertThat(engine.steps(doomed)).allMatch(s -> s.state() == StepState.PENDING);
            List<UUID> jobs = Tx.run(db.dataSource(), c -> queue.liveJobsOfExperiment(c, doomed));
            assertThat(jobs).as("the import job rolled back with its step").isEmpty();
            assertThat(engine.cancel(doomed)).isEqualTo(ExperimentEngine.Outcome.DONE);
        } finally {
            Tx.run(db.dataSource(), c -> c.createStatement().execute("DROP TRIGGER fail_doomed_step ON experiment_step"));
        }
    }

    @Test
    void runsEveryStepAfterTheStepsItReadsFromAndBuildsACompleteReport() {
        UUID id = engine.create(FeaturesNotBugs.NAME, "smoke", Map.of("seed", 11, "dataDirectory", "data/order"), true, "order");
        List<String> order = runToEnd(id, job -> false);

        ExperimentRecord e = engine.find(id).orElseThrow();
        assertThat(e.state()).isEqualTo(ExperimentState.SUCCEEDED);
        List<StepRecord> steps = engine.steps(id);
        assertThat(steps).allMatch(s -> s.state() == StepState.SUCCEEDED && !s.cacheHit());
        // Every step's job came after the jobs of the steps it reads from.
        for (StepRecord s : steps) {
            for (String d : s.dependsOn()) {
                assertThat(order.indexOf(d)).as(s.name() + " after " + d).isLessThan(order.indexOf(s.name()));
            }
        }
        // References were resolved to the outputs they name.
        JsonNode importOut = output(steps, "import");
        assertThat(step(steps, "train-std").spec().path("trainArtifactId").asString()).isEqualTo(importOut.at("/train/artifactId").asString());
        assertThat(step(steps, "train-det").spec().path("trainArtifactId").asString())
                .isEqualTo(output(steps, "construct-det").path("datasetArtifactId").asString());
        assertThat(step(steps, "transfer").spec().path("targetModelArtifactIds")).hasSize(3);
        // A construction's output is its merge job's result, not the planner's.
        assertThat(output(steps, "construct-robust").has("samplesArtifactId")).isTrue();

        ExperimentReport report = engine.template(e.template()).report(e, steps);
        assertThat(report.getComplete()).isTrue();
        assertThat(report.getFigure2()).allMatch(r -> r.getStandardAccuracy() != null && r.getRobustAccuracy() != null);
        // The smoke preset's headline robust accuracies also come from the cheap suite, with PGD's at the same eps beside them.
        assertThat(step(steps, "suite-adv").spec().at("/robustness/attack").asString()).isEqualTo("autoattack-cheap");
        assertThat(step(steps, "suite-adv").spec().at("/robustness/eps").toString()).isEqualTo("[2.0]");
        assertThat(report.getRobustSuite().getAttack()).isEqualTo("autoattack-cheap");
        assertThat(report.getFigure2()).allMatch(r -> r.getSuiteRobustAccuracy().getMean() == 0.03 && r.getPgdAtSuiteEps().getMean() == 0.05
                && r.getMaskingFlags().equals(List.of("not-converged")));
        for (String figure : ReportFigures.NAMES) {
            byte[] png = ReportFigures.png(figure, report);
            assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
        }
        ReportRenderer renderer = new ReportRenderer(json);
        assertThat(renderer.markdown(report)).contains("## Figure 2", "| Standard training on D_NR |",
                "## Headline robust accuracy under autoattack-cheap (L2 eps 2)", "## Table 1", "## Verdicts",
                "## Controls", "## Robust-feature leakage", "[sample grid](/api/v1/artifacts/");
        // The controls: a same-size control per distinct recipe (smoke: lr 0.05 for D_R and D_det, 0.01 for D_NR and D_rand),
        // the relabelled originals of D_rand and D_det, the leakage of both, and the D_det label map.
        assertThat(report.getControls()).extracting(ReportModelRow::getStep)
                .containsExactly("train-same-robust", "train-same-nonrobust", "train-relabel-rand", "train-relabel-det");
        assertThat(report.getControls()).allMatch(r -> r.getStandardAccuracy() != null);
        assertThat(report.getControls().get(0).getRobustAccuracy()).isNotNull();
        assertThat(step(steps, "train-same-robust").spec().path("trainLimit").asInt()).isEqualTo(200);
        assertThat(step(steps, "train-relabel-det").spec().path("trainArtifactId").asString())
                .isEqualTo(output(steps, "relabel-det").path("datasetArtifactId").asString());
        assertThat(step(steps, "leak-det").spec().path("modelArtifactId").asString())
                .isEqualTo(output(steps, "train-adv").path("modelArtifactId").asString());
        // The leakage ratio from the counts, 9/180 over 6/180, with Katz's interval: on so few agreeing originals it is wide.
        assertThat(report.getLeakage()).allMatch(l -> Math.abs(l.getLeakageRatio().getMean() - 1.5) < 1e-9 && l.getChangedLabels() == 180
                && l.getLeakageRatio().getLow() < 1 && l.getLeakageRatio().getHigh() > 4);
        assertThat(report.getLabelMap().get(0).getShare().getMean()).isCloseTo((10 + 5) / 100.0, within(1e-9));
        // The headline eps by rule: the smallest eps where the standard model is at or below 10 % (2.0 here, 1.0 leaves 20 %).
        assertThat(report.getRobustEps()).isEqualTo(2.0f);
        assertThat(report.getHeadlineRule()).contains("at most 10 %");
        // The robust models' threat model beside the robust accuracies: the smoke preset's adversarial training attack.
        assertThat(report.getAdversarialThreatModel().getEps()).isEqualTo(1.5f);
        assertThat(report.getAdversarialThreatModel().getSteps()).isEqualTo(3);
        assertThat(renderer.markdown(report)).contains("Threat model of the adversarially trained models: L2 eps 1.5, PGD with 3 steps of 0.5000");
        // One replicate: an accuracy has its Wilson interval over its images, and every verdict is inconclusive for want of replicates.
        Measure std = report.getFigure2().get(0).getStandardAccuracy();
        assertThat(std.getN()).isEqualTo(500);
        assertThat(std.getLow()).isLessThan(std.getMean());
        assertThat(std.getHigh()).isGreaterThan(std.getMean());
        assertThat(report.getVerdicts()).hasSize(6).allMatch(v -> v.getVerdict() == ReportVerdict.VerdictEnum.INCONCLUSIVE
                && !v.getCriterion().isBlank() && v.getEvidence().contains("fewer than two replicates"));
        assertThat(renderer.html(report, u -> u)).contains("<table>", "/figures/transfer.png", "/api/v1/artifacts/");
    }

    @Test
    void anIdenticalExperimentIsAnsweredFromTheCacheAndOptingOutRunsEverything() {
        UUID first = engine.create(FeaturesNotBugs.NAME, "smoke", Map.of("seed", 12), true, "first");
        runToEnd(first, job -> false);
        int jobsBefore = jobCount();

        UUID second = engine.create(FeaturesNotBugs.NAME, "smoke", Map.of("seed", 12), true, "second");
        assertThat(engine.find(second).orElseThrow().state()).isEqualTo(ExperimentState.SUCCEEDED);
        assertThat(engine.steps(second)).allMatch(StepRecord::cacheHit);
        assertThat(jobCount()).isEqualTo(jobsBefore);

        UUID uncached = engine.create(FeaturesNotBugs.NAME, "smoke", Map.of("seed", 12), false, "no cache");
        assertThat(engine.find(uncached).orElseThrow().state()).isEqualTo(ExperimentState.RUNNING);
        assertThat(engine.steps(uncached).get(0).state()).isEqualTo(StepState.RUNNING);
        assertThat(jobCount()).isEqualTo(jobsBefore + 1);
        assertThat(engine.cancel(uncached)).isEqualTo(ExperimentEngine.Outcome.DONE);
        assertThat(engine.find(uncached).orElseThrow().state()).isEqualTo(ExperimentState.CANCELLED);
        List<UUID> live = Tx.run(queue.dataSource(), c -> queue.liveJobsOfExperiment(c, uncached));
        assertThat(live).isEmpty();
    }

    @Test
    void aFailedStepFailsTheExperimentByNameAndARetryRerunsOnlyWhatIsNeeded() {
        UUID id = engine.create(FeaturesNotBugs.NAME, "smoke", Map.of("seed", 13), true, "failing");
        runToEnd(id, job -> stepOf(id, job).equals("train-det"));
        ExperimentRecord failed = engine.find(id).orElseThrow();
        assertThat(failed.state()).isEqualTo(ExperimentState.FAILED);
        assertThat(failed.error()).startsWith("step train-det failed: job ").contains("forced failure");
        Map<String, UUID> before = jobIds(engine.steps(id));
        // Independent steps went on; the one reading from train-det never started.
        assertThat(step(engine.steps(id), "transfer").state()).isEqualTo(StepState.SUCCEEDED);
        assertThat(step(engine.steps(id), "eval-det").state()).isEqualTo(StepState.PENDING);

        assertThat(engine.retry(id)).isEqualTo(ExperimentEngine.Outcome.DONE);
        assertThat(engine.retry(id)).isEqualTo(ExperimentEngine.Outcome.CONFLICT);
        runToEnd(id, job -> false);
        assertThat(engine.find(id).orElseThrow().state()).isEqualTo(ExperimentState.SUCCEEDED);
        assertThat(engine.find(id).orElseThrow().round()).isEqualTo(1);
        Map<String, UUID> after = jobIds(engine.steps(id));
        List<String> rerun = after.keySet().stream().filter(k -> !after.get(k).equals(before.get(k))).sorted().toList();
        assertThat(rerun).containsExactly("eval-det", "train-det");
    }

    @Test
    void badParametersAreRefusedNamingTheField() {
        assertThatThrownBy(() -> engine.create(FeaturesNotBugs.NAME, "smoke", Map.of("training", Map.of("epochs", 0)), true, null))
                .isInstanceOfSatisfying(InvalidSpecException.class,
                        e -> assertThat(e.violations().get(0).field()).isEqualTo("parameters.training.epochs"));
        assertThatThrownBy(() -> engine.create(FeaturesNotBugs.NAME, "smoke", Map.of("bogus", 1), true, null))
                .isInstanceOfSatisfying(InvalidSpecException.class,
                        e -> assertThat(e.violations().get(0).field()).isEqualTo("parameters.bogus"));
        assertThatThrownBy(() -> engine.create(FeaturesNotBugs.NAME, "smoke", Map.of("robustness", Map.of("headlineEps", 0.3)), true, null))
                .isInstanceOfSatisfying(InvalidSpecException.class,
                        e -> assertThat(e.violations().get(0).field()).isEqualTo("parameters.robustness.headlineEps"));
        Map<String, Object> removed = new HashMap<>();
        removed.put("trainLimit", null);
        assertThatThrownBy(() -> engine.create(FeaturesNotBugs.NAME, "smoke", removed, true, null))
                .isInstanceOfSatisfying(InvalidSpecException.class,
                        e -> assertThat(e.violations().get(0).field()).isEqualTo("parameters.trainLimit"));
        assertThatThrownBy(() -> engine.create(FeaturesNotBugs.NAME, "huge", Map.of(), true, null))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.violations().get(0).field()).isEqualTo("preset"));
    }

    @Test
    void replicatesRepeatEverythingButTheImportAndTheReportGivesMeanAndSd() {
        UUID id = engine.create(FeaturesNotBugs.NAME, "smoke", Map.of("seed", 13, "replicates", 2), true, "replicated");
        runToEnd(id, job -> false);
        List<StepRecord> steps = engine.steps(id);
        assertThat(steps.stream().filter(s -> s.name().equals("import"))).hasSize(1);
        assertThat(step(steps, "train-std-r2").spec().path("seed").asLong()).isEqualTo(1013);
        assertThat(step(steps, "construct-det-r2").spec().path("seed").asLong()).isEqualTo(1013);
        assertThat(step(steps, "train-std-r2").spec().path("trainArtifactId").asString())
                .isEqualTo(step(steps, "train-std").spec().path("trainArtifactId").asString());
        assertThat(step(steps, "train-det-r2").spec().path("trainArtifactId").asString())
                .isEqualTo(output(steps, "construct-det-r2").path("datasetArtifactId").asString());

        ExperimentRecord e = engine.find(id).orElseThrow();
        ExperimentReport report = engine.template(e.template()).report(e, steps);
        assertThat(report.getComplete()).isTrue();
        assertThat(report.getReplicates()).isEqualTo(2);
        Measure robust = report.getFigure2().get(0).getRobustAccuracy();
        assertThat(robust.getReplicates()).isEqualTo(2);
        assertThat(robust.getValues()).hasSize(2);
        assertThat(robust.getSd()).isNotNull();
        assertThat(report.getTransfer().getPoints()).allMatch(pt -> pt.getTransferSuccess().getReplicates() == 2);
        // Transfer success is a share of the target's clean-correct images (0.8 of 200 for the first).
        assertThat(report.getTransfer().getPoints().get(0).getTransferSuccess().getN()).isEqualTo(160);
        assertThat(report.getVerdicts()).hasSize(6).noneMatch(v -> v.getEvidence().contains("fewer than two replicates"));
        assertThat(new ReportRenderer(json).markdown(report)).contains(" +- ", "(n 2 x 500)", "2 replicates");
        // While a replicate's step is unfinished its figures are partial: the report is not complete and the claims they feed wait;
        // once the experiment has ended without it, they are not measured.
        List<StepRecord> partial = steps.stream().filter(s -> !s.name().equals("eval-robust-r2")).toList();
        ExperimentRecord stillRunning = new ExperimentRecord(e.id(), e.template(), e.preset(), e.name(), e.parameters(), e.useCache(),
                ExperimentState.RUNNING, e.round(), null, e.createdAt(), e.updatedAt(), null);
        ExperimentReport running = engine.template(e.template()).report(stillRunning, partial);
        assertThat(running.getComplete()).isFalse();
        assertThat(running.getVerdicts().get(0).getEvidence()).startsWith("pending");
        assertThat(new ReportRenderer(json).markdown(running)).contains("[1 of 2 replicates]");
        assertThat(engine.template(e.template()).report(e, partial).getVerdicts().get(0).getEvidence()).startsWith("not measured");
    }

    @Test
    void everyPresetPassesTheSchemaAndExpandsOnceForEachReplicate() {
        for (String preset : FeaturesNotBugs.PRESETS) {
            UUID id = engine.create(FeaturesNotBugs.NAME, preset, Map.of("dataDirectory", "data/presets"), false, preset);
            int replicates = engine.find(id).orElseThrow().parameters().path("replicates").asInt();
            List<String> names = engine.steps(id).stream().map(StepRecord::name).toList();
            List<String> first = names.stream().filter(n -> !n.equals("import") && !n.matches(".*-r\\d+")).toList();
            // The import once, then every other step once per replicate under the replicate's suffix.
            assertThat(names).as(preset).hasSize(1 + replicates * first.size());
            for (int k = 2; k <= replicates; k++) {
                int replicate = k;
                assertThat(names).as(preset).containsAll(first.stream().map(n -> n + "-r" + replicate).toList());
            }
            assertThat(first).as(preset).contains("train-same-robust", "leak-det", "relabel-rand", "eval-relabel-det");
            engine.cancel(id);
        }
    }

    @Test
    void aRaisedImplementationVersionMissesTheCache() {
        SpecValidator validator = new SpecValidator(json, Validation.byDefaultProvider().configure()
                .messageInterpolator(new ParameterMessageInterpolator()).buildValidatorFactory().getValidator());
        JobTypeDefinition current = JobTypeCatalog.DATASET_IMPORT;
        JobTypeDefinition raised = new JobTypeDefinition(current.name(), current.service(), current.description(), current.specClass(),
                current.resultClass(), current.version() + 1, current.internal());
        String spec = validator.validate(current, Map.of("dataset", "fashion-mnist", "directory", "data/versions"));
        assertThat(CacheKeys.of(raised, spec)).isNotEqualTo(CacheKeys.of(current, spec));

        // A result of the same spec by code of another version is in the cache: the import does not take it.
        UUID other = UUID.randomUUID();
        queue.submit(new NewJob(other, current.name(), spec, 100, 3, List.of(), null, null, null, false, CacheKeys.of(raised, spec)));
        completeNow(other);
        UUID first = engine.create(FeaturesNotBugs.NAME, "smoke", Map.of("seed", 14, "dataDirectory", "data/versions"), true, "versions");
        StepRecord importStep = step(engine.steps(first), "import");
        assertThat(importStep.cacheHit()).isFalse();
        assertThat(importStep.state()).isEqualTo(StepState.RUNNING);
        engine.cancel(first);

        // The same result under this version's key answers it.
        UUID same = UUID.randomUUID();
        queue.submit(new NewJob(same, current.name(), spec, 100, 3, List.of(), null, null, null, false, CacheKeys.of(current, spec)));
        completeNow(same);
        UUID second = engine.create(FeaturesNotBugs.NAME, "smoke", Map.of("seed", 14, "dataDirectory", "data/versions"), true, "same");
        assertThat(step(engine.steps(second), "import").cacheHit()).isTrue();
        assertThat(step(engine.steps(second), "import").jobId()).isEqualTo(same);
        engine.cancel(second);
    }

    /** Claims and completes one queued job (the only one queued of its type). */
    private static void completeNow(UUID id) {
        List<Job> claimed = queue.claim("fake", List.of("dataset.import"), 100, Duration.ofMinutes(1), "cpu");
        assertThat(claimed).extracting(Job::id).containsExactly(id);
        queue.complete("fake", List.of(new JobQueue.Completion(id, json.writeValueAsString(work(claimed.get(0))))));
    }

    // ---------------------------------------------------------------- the stand-in services

    /** Works and advances until the experiment ends; returns the steps in the order their jobs ran. */
    private List<String> runToEnd(UUID id, Predicate<Job> fail) {
        List<String> order = new ArrayList<>();
        for (int round = 0; round < 100 && engine.find(id).orElseThrow().state() == ExperimentState.RUNNING; round++) {
            for (Job job : queue.claim("fake", List.of("dataset.import", "train.classifier", "dataset.construct", "dataset.construct.merge",
                    "eval.classifier", "eval.transfer", "eval.audit", "eval.leakage", "dataset.relabel"), 100, Duration.ofMinutes(1), "cpu")) {
                if (job.experimentId() != null && job.experimentId().equals(id) && !job.type().equals("dataset.construct.merge")) {
                    order.add(stepOf(id, job));
                }
                if (fail.test(job)) {
                    queue.fail(job.id(), "fake", "forced failure", false, Backoff.DEFAULT);
                } else {
                    queue.complete("fake", List.of(new JobQueue.Completion(job.id(), json.writeValueAsString(work(job)))));
                }
            }
            engine.advance(id);
        }
        return order;
    }

    /** A result of the shape each service returns, with fresh artifact ids; inputs must be known ids. */
    private static Object work(Job job) {
        JsonNode spec = json.readTree(job.spec());
        for (String input : List.of("trainArtifactId", "testArtifactId", "modelArtifactId", "sourceModelArtifactId", "datasetArtifactId",
                "imagesArtifactId", "labelsArtifactId", "constructedArtifactId", "originalArtifactId")) {
            if (spec.has(input)) {
                assertThat(knownArtifacts).as(job.type() + " reads " + input).contains(UUID.fromString(spec.path(input).asString()));
            }
        }
        return switch (job.type()) {
            case "dataset.import" -> new DatasetImportResult().train(new DatasetImportSplit().artifactId(artifact()))
                    .test(new DatasetImportSplit().artifactId(artifact()));
            case "train.classifier" -> new TrainClassifierResult().modelArtifactId(artifact());
            case "dataset.construct" -> {
                UUID merge = UUID.randomUUID();
                queue.submit(new NewJob(merge, JobTypeCatalog.CONSTRUCT_MERGE.name(), "{}", 100, 3, List.of(), job.experimentId(), null,
                        null));
                yield new DatasetConstructResult().mergeJobId(merge).shardJobIds(List.of());
            }
            case "dataset.construct.merge" -> new ConstructMergeResult().datasetArtifactId(artifact()).samplesArtifactId(artifact())
                    .examples(200).quality(new ConstructMergeQuality().successRateOnSourceModel(0.9).meanPerturbationL2(3.9)
                            .maxPerturbationL2(4.0));
            case "eval.classifier" -> {
                // Replicates differ a little (by seed), so their spread is not zero.
                double wobble = 0.01 * (job.spec().hashCode() % 3);
                EvaluateClassifierResult result = new EvaluateClassifierResult().standardAccuracy(0.8 + wobble).examples(500)
                        .robustExamples(100);
                if (job.spec().contains("autoattack")) {
                    // A suite step: one eps, the suite's accuracy with PGD's beside it, and its masking flags.
                    yield result.robust(List.of(point(2.0f, 0.03).pgdAccuracy(0.05)))
                            .diagnostics(new EvaluateClassifierDiagnostics().flags(List.of("not-converged")));
                }
                yield result.robust(List.of(point(0f, 0.8), point(1f, 0.2 + wobble), point(2f, 0.05)))
                        .confusionMatrix(List.of(List.of(40L, 10L), List.of(5L, 45L)));
            }
            case "eval.leakage" -> new EvaluateLeakageResult().examples(200).changedLabels(180).leakageRatio(1.5)
                    .onConstructed(new EvaluateLeakageAgreement(agreement(9, 180), agreement(126, 180)))
                    .onOriginals(new EvaluateLeakageAgreement(agreement(6, 180), agreement(135, 180)));
            case "dataset.relabel" -> new DatasetRelabelResult().datasetArtifactId(artifact()).examples(200).changedLabels(180);
            case "eval.transfer" -> new TransferEvaluationResult().examples(200).targets(List.of(transferred(0.8, 0.5),
                    transferred(0.7, 0.4), transferred(0.6, 0.3)));
            case "eval.audit" -> new FeatureAuditResult().features(128).pairs(new FeatureAuditCounts(100, 300, 880))
                    .robustUsefulShareOfUseful(0.25).featuresByBestCategory(new FeatureAuditCounts(40, 60, 28))
                    .probes(new FeatureAuditProbes(new FeatureAuditProbe(40, 0.7, 0.3), new FeatureAuditProbe(60, 0.6, 0.05)))
                    .scatterArtifactId(artifact()).histogramArtifactId(artifact()).tableCsvArtifactId(artifact());
            default -> throw new IllegalStateException(job.type());
        };
    }

    private static EvaluateClassifierRobustPoint point(float eps, double accuracy) {
        return new EvaluateClassifierRobustPoint().eps(eps).accuracy(accuracy);
    }

    private static TransferEvaluationModelOutcome transferred(double clean, double success) {
        return new TransferEvaluationModelOutcome().cleanAccuracy(clean).transferSuccess(success);
    }

    private static UUID artifact() {
        UUID id = UUID.randomUUID();
        knownArtifacts.add(id);
        return id;
    }

    private static String stepOf(UUID experiment, Job job) {
        return engine.steps(experiment).stream().filter(s -> job.id().equals(s.jobId())).map(StepRecord::name).findFirst().orElse("?");
    }

    private static StepRecord step(List<StepRecord> steps, String name) {
        return steps.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }

    private static JsonNode output(List<StepRecord> steps, String name) {
        return step(steps, name).outputs();
    }

    private static Map<String, UUID> jobIds(List<StepRecord> steps) {
        Map<String, UUID> out = new HashMap<>();
        steps.stream().filter(s -> s.jobId() != null).forEach(s -> out.put(s.name(), s.jobId()));
        return out;
    }

    private static int jobCount() {
        try (var c = db.dataSource().getConnection(); var st = c.createStatement(); var rs = st.executeQuery("SELECT count(*) FROM job")) {
            rs.next();
            return rs.getInt(1);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static EvaluateLeakageShare agreement(int successes, int n) {
        return new EvaluateLeakageShare().successes((long) successes).n((long) n).rate((double) successes / n);
    }

}
