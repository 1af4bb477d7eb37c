package io.robustlab.service.jobs;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.robustlab.jobs.Job;
import io.robustlab.jobs.worker.JobObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Job claims, timings and rescues as Micrometer meters. Tags are bounded: the job type (a fixed
 * catalogue), the device its worker slot is pinned to (cpu, gpu:N) and the outcome, never a job id.
 * The application tag is added once, globally, by configuration.
 */
public final class JobMetrics implements JobObserver {

    private final MeterRegistry registry;
    private final Counter rescues;

    public JobMetrics(MeterRegistry registry) {
        this.registry = registry;
        // Registered up front: a dashboard shows 0 rescues, not "no data".
        this.rescues = Counter.builder("robustlab.job.rescues")
                .description("Jobs whose lease expired, returned to the queue or failed by this service's rescuer")
                .register(registry);
    }

    @Override
    public void claimed(Job job) {
        Counter.builder("robustlab.job.claims").description("Jobs claimed by this service's workers (each attempt counts)")
                .tag("type", job.type())
                .register(registry)
                .increment();
    }

    @Override
    public void rescued(int count) {
        rescues.increment(count);
    }

    @Override
    public void started(Job job) {
        Instant eligible = job.runAt().isAfter(job.createdAt()) ? job.runAt() : job.createdAt();
        Duration waited = Duration.between(eligible, job.startedAt() == null ? Instant.now() : job.startedAt());
        Timer.builder("robustlab.job.queue.wait")
                .description("Time from a job becoming runnable to a worker claiming it")
                .tag("type", job.type())
                .tag("device", device(job))
                .register(registry)
                .record(waited.isNegative() ? Duration.ZERO : waited);
    }

    @Override
    public void finished(Job job, String outcome, long nanos) {
        Timer.builder("robustlab.job.run")
                .description("Time a worker spent running a job attempt, by outcome")
                .tag("type", job.type())
                .tag("device", device(job))
                .tag("outcome", outcome)
                .register(registry)
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    private static String device(Job job) {
        return job.device() == null ? "none" : job.device();
    }
}
