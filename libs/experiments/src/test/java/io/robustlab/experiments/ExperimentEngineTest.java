package io.robustlab.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.robustlab.api.jobtypes.InvalidSpecException;
import io.robustlab.api.jobtypes.SpecValidator;
import io.robustlab.api.model.ExperimentReport;
import io.robustlab.jobs.Backoff;
import io.robustlab.jobs.Job;
import io.robustlab.jobs.JobQueue;
import io.robustlab.jobs.JobsSchema;
import io.robustlab.jobs.NewJob;
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
        for (String figure : ReportFigures.NAMES) {
            byte[] png = ReportFigures.png(figure, report);
            assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
        }
        ReportRenderer renderer = new ReportRenderer(json);
        assertThat(renderer.markdown(report)).contains("## Figure 2", "| Standard training on D_NR |", "## Table 1");
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
        assertThat(queue.liveJobsOfExperiment(uncached)).isEmpty();
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

    // ---------------------------------------------------------------- the stand-in services

    /** Works and advances until the experiment ends; returns the steps in the order their jobs ran. */
    private List<String> runToEnd(UUID id, Predicate<Job> fail) {
        List<String> order = new ArrayList<>();
        for (int round = 0; round < 100 && engine.find(id).orElseThrow().state() == ExperimentState.RUNNING; round++) {
            for (Job job : queue.claim("fake", List.of("dataset.import", "train.classifier", "dataset.construct", "dataset.construct.merge",
                    "eval.classifier", "eval.transfer", "eval.audit"), 100, Duration.ofMinutes(1), "cpu")) {
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
    private static Map<String, Object> work(Job job) {
        JsonNode spec = json.readTree(job.spec());
        for (String input : List.of("trainArtifactId", "testArtifactId", "modelArtifactId", "sourceModelArtifactId", "datasetArtifactId")) {
            if (spec.has(input)) {
                assertThat(knownArtifacts).as(job.type() + " reads " + input).contains(UUID.fromString(spec.path(input).asString()));
            }
        }
        return switch (job.type()) {
            case "dataset.import" -> Map.of("train", Map.of("artifactId", artifact()), "test", Map.of("artifactId", artifact()));
            case "train.classifier" -> Map.of("modelArtifactId", artifact());
            case "dataset.construct" -> {
                UUID merge = UUID.randomUUID();
                queue.submit(new NewJob(merge, "dataset.construct.merge", "{}", 100, 3, List.of(), job.experimentId(), null, null));
                yield Map.of("mergeJobId", merge, "shardJobIds", List.of());
            }
            case "dataset.construct.merge" -> Map.of("datasetArtifactId", artifact(), "samplesArtifactId", artifact(), "examples", 200,
                    "quality", Map.of("successRateOnSourceModel", 0.9));
            case "eval.classifier" -> Map.of("standardAccuracy", 0.8, "robust", List.of(Map.of("eps", 0.0, "accuracy", 0.8),
                    Map.of("eps", 1.0, "accuracy", 0.2)));
            case "eval.transfer" -> Map.of("targets", List.of(Map.of("transferSuccess", 0.5), Map.of("transferSuccess", 0.4),
                    Map.of("transferSuccess", 0.3)));
            case "eval.audit" -> Map.of("features", 128, "pairs", Map.of("robustUseful", 100, "usefulNonRobust", 300, "notUseful", 880),
                    "robustUsefulShareOfUseful", 0.25, "featuresByBestCategory", Map.of("robustUseful", 40, "usefulNonRobust", 60),
                    "probes", Map.of("robustUseful", Map.of("standardAccuracy", 0.7, "robustAccuracy", 0.3),
                            "usefulNonRobust", Map.of("standardAccuracy", 0.6, "robustAccuracy", 0.05)),
                    "scatterArtifactId", artifact(), "histogramArtifactId", artifact(), "tableCsvArtifactId", artifact());
            default -> throw new IllegalStateException(job.type());
        };
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
}
