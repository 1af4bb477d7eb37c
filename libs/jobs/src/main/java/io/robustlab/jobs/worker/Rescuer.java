package io.robustlab.jobs.worker;

import io.robustlab.jobs.Backoff;
import io.robustlab.jobs.JobQueue;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Periodically returns jobs with expired leases to the queue (or fails them after their last
 * attempt). Every service runs one; SKIP LOCKED keeps concurrent rescuers from colliding.
 */
public final class Rescuer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Rescuer.class);

    private final JobQueue queue;
    private final Backoff backoff;
    private final Duration every;
    private final JobObserver observer;
    private final AtomicLong rescued = new AtomicLong();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "job-rescuer");
        t.setDaemon(true);
        return t;
    });

    public Rescuer(JobQueue queue, Backoff backoff, Duration every) {
        this(queue, backoff, every, JobObserver.NONE);
    }

    public Rescuer(JobQueue queue, Backoff backoff, Duration every, JobObserver observer) {
        this.queue = queue;
        this.backoff = backoff;
        this.every = every;
        this.observer = observer;
    }

    public Rescuer start() {
        timer.scheduleWithFixedDelay(this::rescueOnce, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** Total jobs this rescuer has returned or failed. */
    public long rescued() {
        return rescued.get();
    }

    void rescueOnce() {
        try {
            int n = queue.rescueExpired(backoff);
            if (n > 0) {
                rescued.addAndGet(n);
                observer.rescued(n);
                log.info("rescued {} jobs whose lease expired", n);
            }
        } catch (RuntimeException e) {
            log.warn("rescue pass failed: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
