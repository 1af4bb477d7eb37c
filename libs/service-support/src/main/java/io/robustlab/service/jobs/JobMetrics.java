package io.robustlab.service.jobs;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.robustlab.jobs.Job;
import io.robustlab.jobs.worker.JobObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Job timings as Micrometer meters. Tags are bounded: the job type (a fixed catalogue), the device
 * its worker slot is pinned to (cpu, gpu:N) and the outcome, never a job id. The application tag is
 * added once, globally, by configuration.
 */
public final class JobMetrics implements JobObserver {

    private final MeterRegistry registry;

    public JobMetrics(MeterRegistry registry) {
        this.registry = registry;
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
