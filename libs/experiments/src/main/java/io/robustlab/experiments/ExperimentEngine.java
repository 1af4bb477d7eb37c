package io.robustlab.experiments;

import io.robustlab.api.LenientJson;
import io.robustlab.api.jobtypes.CacheKeys;
import io.robustlab.api.jobtypes.InvalidSpecException;
import io.robustlab.api.jobtypes.JobTypeCatalog;
import io.robustlab.api.jobtypes.JobTypeDefinition;
import io.robustlab.api.jobtypes.SpecValidator;
import io.robustlab.api.model.DatasetConstructResult;
import io.robustlab.jobs.Job;
import io.robustlab.jobs.JobQueue;
import io.robustlab.jobs.JobState;
import io.robustlab.jobs.NewJob;
import io.robustlab.jobs.Tx;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runs experiments: expands a template into steps, submits each step's job once the steps it reads
 * from have succeeded, answers steps from the result cache, and settles the experiment's state.
 *
 * <p>All state lives in PostgreSQL. An experiment is advanced under its row lock, so any number of
 * gateways may run engines; a step's job is submitted in the transaction that records the step as
 * running, so a step has its job exactly when the engine's work commits. A failed step does not
 * stop independent steps: the experiment fails once nothing more can run, and a retry (a new round)
 * re-runs only failed, cancelled and never-run steps.
 */
public final class ExperimentEngine {

    public enum Outcome { DONE, NOT_FOUND, CONFLICT }

    /** A step's live progress: its job's, or for a followed job (a construction) its shards' mean. */
    public record StepProgress(double fraction, String message) {
    }

    private static final Logger log = LoggerFactory.getLogger(ExperimentEngine.class);

    private final DataSource dataSource;
    private final JobQueue queue;
    private final ExperimentStore store;
    private final Map<String, ExperimentTemplate> templates;
    private final SpecValidator validator;
    private final JsonMapper json;
    /** Reads stored results: a member a newer worker added does not stop this engine. */
    private final JsonMapper lenient;

    public ExperimentEngine(DataSource dataSource, JobQueue queue, List<ExperimentTemplate> templates, SpecValidator validator,
                            JsonMapper json) {
        this.dataSource = dataSource;
        this.queue = queue;
        this.store = new ExperimentStore(json);
        this.templates = templates.stream().collect(Collectors.toMap(ExperimentTemplate::name, t -> t, (a, b) -> a, LinkedHashMap::new));
        this.validator = validator;
        this.json = json;
        this.lenient = LenientJson.of(json);
    }

    public List<ExperimentTemplate> templates() {
        return List.copyOf(templates.values());
    }

    public ExperimentTemplate template(String name) {
        ExperimentTemplate t = templates.get(name);
        if (t == null) {
            throw new InvalidSpecException(List.of(new InvalidSpecException.Violation("template",
                    "unknown template '" + name + "'; known: " + templates.keySet())));
        }
        return t;
    }

    // ---------------------------------------------------------------- users

    /** The caller's own writes that must commit with a change to an experiment, or not at all (its audit row). */
    public interface CallerWork {
        CallerWork NONE = (c, id) -> { };

        void run(Connection c, UUID experimentId) throws SQLException;
    }

    /** Validates, stores and starts an experiment; returns its id. */
    public UUID create(String templateName, String preset, Map<String, Object> overrides, boolean useCache, String name) {
        return create(templateName, preset, overrides, useCache, name, CallerWork.NONE);
    }

    /** {@link #create} with the caller's {@code work} in the same transaction as the experiment's rows. */
    public UUID create(String templateName, String preset, Map<String, Object> overrides, boolean useCache, String name,
                       CallerWork work) {
        ExperimentTemplate template = template(templateName);
        ObjectNode parameters = resolveParameters(template, preset, overrides);
        List<StepDefinition> steps = template.steps(parameters);
        checkOrder(steps);
        int maxAttempts = template.maxAttempts(parameters, NewJob.DEFAULT_MAX_ATTEMPTS);
        UUID id = UUID.randomUUID();
        ExperimentRecord e = new ExperimentRecord(id, template.name(), preset, name, parameters, useCache, ExperimentState.RUNNING,
                0, null, null, null, null);
        Tx.run(dataSource, c -> {
            store.insert(c, e, steps, maxAttempts);
            work.run(c, id);
            return null;
        });
        advance(id);
        return id;
    }

    /** The preset's parameters with the overrides merged in (RFC 7396), parsed strictly: canonical JSON. */
    public ObjectNode resolveParameters(ExperimentTemplate template, String preset, Map<String, Object> overrides) {
        ObjectNode base = template.presets().get(preset);
        if (base == null) {
            throw new InvalidSpecException(List.of(new InvalidSpecException.Violation("preset",
                    "unknown preset '" + preset + "'; known: " + template.presets().keySet())));
        }
        JsonNode merged = MergePatch.apply(base, MergePatch.tree(overrides == null ? Map.of() : overrides, json));
        @SuppressWarnings("unchecked")
        Map<String, Object> asMap = json.convertValue(merged, Map.class);
        Object parsed = validator.parse(template.parametersClass(), asMap, "parameters");
        return (ObjectNode) json.readTree(validator.canonical(parsed));
    }

    public Optional<ExperimentRecord> find(UUID id) {
        return Tx.run(dataSource, c -> store.find(c, id, false));
    }

    public List<StepRecord> steps(UUID id) {
        return Tx.run(dataSource, c -> store.steps(c, id));
    }

    public List<ExperimentRecord> list(ExperimentState state, int page, int size) {
        return Tx.run(dataSource, c -> store.list(c, state, page, size));
    }

    public long count(ExperimentState state) {
        return Tx.run(dataSource, c -> store.count(c, state));
    }

    /** Cancels a running experiment: every job of it still live, and its unfinished steps. */
    public Outcome cancel(UUID id) {
        return cancel(id, CallerWork.NONE);
    }

    /** {@link #cancel(UUID)} with the caller's {@code work} in its transaction, done only if the experiment is cancelled. */
    public Outcome cancel(UUID id, CallerWork work) {
        return Tx.run(dataSource, c -> {
            Optional<ExperimentRecord> e = store.find(c, id, true);
            if (e.isEmpty()) {
                return Outcome.NOT_FOUND;
            }
            if (e.get().state() != ExperimentState.RUNNING) {
                return Outcome.CONFLICT;
            }
            for (UUID job : queue.liveJobsOfExperiment(c, id)) {
                queue.cancel(c, job);
            }
            Instant now = Instant.now();
            for (StepRecord s : store.steps(c, id)) {
                if (s.state() == StepState.RUNNING || s.state() == StepState.PENDING) {
                    store.save(c, id, s.ended(StepState.CANCELLED, "cancelled by request", now));
                }
            }
            store.update(c, id, ExperimentState.CANCELLED, e.get().round(), "cancelled by request");
            work.run(c, id);
            return Outcome.DONE;
        });
    }

    /** Starts a new round of a FAILED or CANCELLED experiment: succeeded steps keep their results. */
    public Outcome retry(UUID id) {
        return retry(id, CallerWork.NONE);
    }

    /** {@link #retry(UUID)} with the caller's {@code work} in its transaction, done only if a new round starts. */
    public Outcome retry(UUID id, CallerWork work) {
        Outcome outcome = Tx.run(dataSource, c -> {
            Optional<ExperimentRecord> e = store.find(c, id, true);
            if (e.isEmpty()) {
                return Outcome.NOT_FOUND;
            }
            if (e.get().state() == ExperimentState.RUNNING || e.get().state() == ExperimentState.SUCCEEDED) {
                return Outcome.CONFLICT;
            }
            for (StepRecord s : store.steps(c, id)) {
                if (s.state().isDead()) {
                    store.save(c, id, s.pending());
                }
            }
            store.update(c, id, ExperimentState.RUNNING, e.get().round() + 1, null);
            work.run(c, id);
            return Outcome.DONE;
        });
        if (outcome == Outcome.DONE) {
            advance(id);
        }
        return outcome;
    }

    /** What a running step's job reports; for a construction, the mean over its shard jobs. */
    public StepProgress progress(StepRecord step) {
        if (step.state() != StepState.RUNNING || step.jobId() == null) {
            return new StepProgress(step.state() == StepState.SUCCEEDED ? 1 : 0, null);
        }
        Optional<Job> job = queue.find(step.jobId());
        if (job.isEmpty()) {
            return new StepProgress(0, null);
        }
        if (step.followField() != null && job.get().state() == JobState.SUCCEEDED) {
            List<Job> shards = queue.findAll(lenient.readValue(job.get().result(), DatasetConstructResult.class).getShardJobIds());
            double mean = shards.stream().mapToDouble(Job::progress).average().orElse(0);
            long done = shards.stream().filter(j -> j.state() == JobState.SUCCEEDED).count();
            return new StepProgress(mean, done + " of " + shards.size() + " shards done");
        }
        return new StepProgress(job.get().progress(), job.get().progressMessage());
    }

    // ---------------------------------------------------------------- the engine's loop

    /** Advances up to {@code limit} running experiments that no other engine holds; returns how many. */
    public int advanceRunning(int limit) {
        return Tx.run(dataSource, c -> {
            List<UUID> ids = store.lockRunning(c, limit);
            for (UUID id : ids) {
                advanceLocked(c, store.find(c, id, false).orElseThrow());
            }
            return ids.size();
        });
    }

    public void advance(UUID id) {
        Tx.run(dataSource, c -> {
            Optional<ExperimentRecord> e = store.find(c, id, true);
            if (e.isPresent() && e.get().state() == ExperimentState.RUNNING) {
                advanceLocked(c, e.get());
            }
            return null;
        });
    }

    private void advanceLocked(Connection c, ExperimentRecord e) throws SQLException {
        Map<String, StepRecord> steps = new LinkedHashMap<>();
        store.steps(c, e.id()).forEach(s -> steps.put(s.name(), s));
        boolean changed = true;
        while (changed) { // a cache hit can make later steps ready in the same pass
            changed = false;
            for (StepRecord s : List.copyOf(steps.values())) {
                StepRecord next = switch (s.state()) {
                    case RUNNING -> observe(c, s);
                    case PENDING -> ready(s, steps) ? start(c, e, s, steps) : s;
                    default -> s;
                };
                if (next != s) {
                    store.save(c, e.id(), next);
                    steps.put(s.name(), next);
                    changed = true;
                }
            }
        }
        settle(c, e, steps);
    }

    private void settle(Connection c, ExperimentRecord e, Map<String, StepRecord> steps) throws SQLException {
        if (steps.values().stream().allMatch(s -> s.state() == StepState.SUCCEEDED)) {
            store.update(c, e.id(), ExperimentState.SUCCEEDED, e.round(), null);
            log.info("experiment {} succeeded", e.id());
            return;
        }
        boolean canProgress = steps.values().stream().anyMatch(s -> s.state() == StepState.RUNNING
                || (s.state() == StepState.PENDING && !blocked(s, steps)));
        if (canProgress) {
            store.touch(c, e.id());
            return;
        }
        String why = steps.values().stream().filter(s -> s.state().isDead())
                .map(s -> "step " + s.name() + " " + s.state().name().toLowerCase() + ": " + s.error())
                .collect(Collectors.joining("; "));
        store.update(c, e.id(), ExperimentState.FAILED, e.round(), why);
        log.warn("experiment {} failed: {}", e.id(), why);
    }

    private static boolean ready(StepRecord s, Map<String, StepRecord> steps) {
        return s.dependsOn().stream().allMatch(d -> steps.get(d).state() == StepState.SUCCEEDED);
    }

    /** A pending step that can never start in this round: something it reads from failed. */
    private static boolean blocked(StepRecord s, Map<String, StepRecord> steps) {
        return s.dependsOn().stream().map(steps::get).anyMatch(d -> d.state().isDead() || blocked(d, steps));
    }

    /** Starts a step under its experiment's row lock; its job is submitted in the same transaction. */
    private StepRecord start(Connection c, ExperimentRecord e, StepRecord s, Map<String, StepRecord> steps) throws SQLException {
        Instant now = Instant.now();
        Map<String, JsonNode> outputs = new HashMap<>();
        s.dependsOn().forEach(d -> outputs.put(d, steps.get(d).outputs()));
        JobTypeDefinition type = JobTypeCatalog.find(s.jobType()).orElseThrow(() -> new IllegalStateException("job type " + s.jobType()));
        String spec;
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> resolved = json.convertValue(References.resolve(s.specTemplate(), outputs), Map.class);
            spec = validator.validate(type, resolved);
        } catch (InvalidSpecException | IllegalStateException ex) {
            return s.ended(StepState.FAILED, "its spec is invalid: " + ex.getMessage(), now);
        }
        JsonNode specTree = json.readTree(spec);
        String cacheKey = CacheKeys.of(type, spec);
        if (e.useCache()) {
            Optional<Job> cached = queue.findCached(c, cacheKey);
            Optional<Job> cachedOutput = cached.isPresent() ? outputJob(c, s, cached.get()) : Optional.empty();
            Optional<StepRecord> hit = cachedOutput.filter(out -> out.state() == JobState.SUCCEEDED)
                    .map(out -> s.succeeded(cached.get().id(), true, specTree, json.readTree(out.result()), now, now));
            if (hit.isPresent()) {
                log.info("experiment {} step {}: cache hit, job {}", e.id(), s.name(), hit.get().jobId());
                return hit.get();
            }
        }
        // The job id follows from (experiment, round, step): a job already there was submitted for this very step by an
        // engine that did not yet submit in the step's transaction (an older version, during a rolling upgrade).
        UUID jobId = UUID.nameUUIDFromBytes((e.id() + "/" + e.round() + "/" + s.name()).getBytes(StandardCharsets.UTF_8));
        if (queue.find(c, jobId).isEmpty()) {
            queue.submit(c, new NewJob(jobId, type.name(), spec, priority(s), s.maxAttempts(), List.of(), e.id(), null, null,
                    validator.requiresGpu(spec), cacheKey));
        }
        return s.running(jobId, specTree, now);
    }

    /**
     * A template lists its steps in the order they should run when they compete for one worker (the
     * critical path first), so a step's position is its priority: the queue claims lower first.
     */
    private static int priority(StepRecord s) {
        return Math.min(1000, NewJob.DEFAULT_PRIORITY + s.position());
    }

    /**
     * The job whose result is the step's output: the step's own job, or, once that succeeded, the job
     * its result names in the follow field. Empty when that job no longer exists.
     */
    private Optional<Job> outputJob(Connection c, StepRecord s, Job job) throws SQLException {
        if (s.followField() == null || job.state() != JobState.SUCCEEDED) {
            return Optional.of(job);
        }
        return queue.find(c, UUID.fromString(json.readTree(job.result()).path(s.followField()).asString()));
    }

    private StepRecord observe(Connection c, StepRecord s) throws SQLException {
        Instant now = Instant.now();
        Optional<Job> found = queue.find(c, s.jobId());
        if (found.isEmpty()) {
            return s.ended(StepState.FAILED, "job " + s.jobId() + " no longer exists", now);
        }
        Optional<Job> output = outputJob(c, s, found.get());
        if (output.isEmpty()) {
            return s.ended(StepState.FAILED, "the job named by " + s.followField() + " of job " + s.jobId() + " no longer exists", now);
        }
        Job job = output.get();
        return switch (job.state()) {
            case SUCCEEDED -> s.succeeded(s.jobId(), false, s.spec(), json.readTree(job.result()), s.startedAt(), now);
            case FAILED -> s.ended(StepState.FAILED, "job " + job.id() + " failed: " + job.error(), now);
            case CANCELLED -> s.ended(StepState.CANCELLED, "job " + job.id() + " cancelled: " + job.error(), now);
            default -> s;
        };
    }

    /**
     * A template's steps, checked when it is built: each reads only from steps before it, and only
     * outputs of the result model those steps produce.
     */
    static void checkOrder(List<StepDefinition> steps) {
        Map<String, StepDefinition> seen = new HashMap<>();
        for (StepDefinition s : steps) {
            for (Output<?> read : s.reads()) {
                StepDefinition from = seen.get(read.step());
                if (from == null) {
                    throw new IllegalStateException("step " + s.name() + " reads from " + read.step() + ", which does not come before it");
                }
                if (from.outputClass() != read.resultClass()) {
                    throw new IllegalStateException("step " + s.name() + " reads " + read.path() + " of a " + read.resultClass().getSimpleName()
                            + " from step " + read.step() + ", whose output is a " + from.outputClass().getSimpleName());
                }
            }
            if (seen.put(s.name(), s) != null) {
                throw new IllegalStateException("two steps are named " + s.name());
            }
        }
    }
}
