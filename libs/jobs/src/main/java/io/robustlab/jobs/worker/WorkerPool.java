package io.robustlab.jobs.worker;

import io.robustlab.jobs.Job;
import io.robustlab.jobs.JobQueue;
import io.robustlab.jobs.JobQueue.Completion;
import io.robustlab.jobs.JobQueue.LeaseStatus;
import io.robustlab.jobs.JobStoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claims jobs of its handlers' types and runs them on a fixed set of threads. A heartbeat renews the
 * leases of every job it holds; a LISTEN connection wakes idle threads as soon as work is queued.
 * {@link #close()} stops claiming, asks running jobs to stop at their next progress report, and
 * hands every unfinished job back to the queue so another worker resumes it.
 */
public final class WorkerPool implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);

    private final JobQueue queue;
    private final Map<String, JobHandler> handlers;
    private final WorkerSettings settings;
    private final JobObserver observer;
    private final WakeSignal wake = new WakeSignal();
    private final QueueListener listener;
    private final Map<UUID, JobContext> held = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    private final ScheduledExecutorService heartbeat;
    private volatile boolean running;

    public WorkerPool(JobQueue queue, List<JobHandler> handlers, WorkerSettings settings, JobObserver observer) {
        this.queue = queue;
        this.handlers = handlers.stream().collect(Collectors.toUnmodifiableMap(JobHandler::type, Function.identity()));
        this.settings = settings;
        this.observer = observer;
        this.listener = new QueueListener(queue.dataSource(), this.handlers.keySet(), wake);
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, settings.owner() + "-heartbeat"));
    }

    public WorkerPool(JobQueue queue, List<JobHandler> handlers, WorkerSettings settings) {
        this(queue, handlers, settings, JobObserver.NONE);
    }

    public synchronized WorkerPool start() {
        if (running || handlers.isEmpty()) {
            return this;
        }
        running = true;
        threads.add(daemon(listener, settings.owner() + "-listener"));
        for (int i = 0; i < settings.threads(); i++) {
            threads.add(daemon(this::work, settings.owner() + "-worker-" + i));
        }
        threads.forEach(Thread::start);
        long every = settings.heartbeatEvery().toMillis();
        heartbeat.scheduleWithFixedDelay(this::renewLeases, every, every, TimeUnit.MILLISECONDS);
        log.info("worker pool {} started: {} threads for {}", settings.owner(), settings.threads(), handlers.keySet());
        return this;
    }

    public WorkerSettings settings() {
        return settings;
    }

    /** Jobs this pool holds a lease on right now. */
    public int heldJobs() {
        return held.size();
    }

    private void work() {
        while (running) {
            long seen = wake.generation();
            List<Job> claimed;
            try {
                claimed = queue.claim(settings.owner(), handlers.keySet(), settings.claimBatch(), settings.lease(), settings.device());
            } catch (JobStoreException e) {
                log.warn("claim failed, retrying after {}: {}", settings.pollEvery(), e.getMessage());
                pause(seen);
                continue;
            }
            if (claimed.isEmpty()) {
                pause(seen);
                continue;
            }
            for (Job job : claimed) {
                observer.claimed(job);
                held.put(job.id(), new JobContext(job, queue, settings.owner(), settings.lease(), settings.device()));
            }
            runBatch(claimed);
        }
    }

    private void runBatch(List<Job> batch) {
        List<Completion> succeeded = new ArrayList<>();
        for (Job job : batch) {
            JobContext ctx = held.get(job.id());
            if (!running) {
                settle(job, () -> queue.handBack(job.id(), settings.owner()));
                continue;
            }
            observer.started(job);
            long start = System.nanoTime();
            try {
                String result = handlers.get(job.type()).handle(ctx);
                succeeded.add(new Completion(job.id(), result == null ? "{}" : result));
                observer.finished(job, "SUCCEEDED", System.nanoTime() - start);
            } catch (JobStoppedException e) {
                switch (e.reason()) {
                    case CANCELLED -> settle(job, () -> queue.acknowledgeCancel(job.id(), settings.owner()));
                    case SHUTDOWN -> settle(job, () -> queue.handBack(job.id(), settings.owner()));
                    case LEASE_LOST -> held.remove(job.id()); // the rescued copy owns the row now
                }
                observer.finished(job, e.reason().name(), System.nanoTime() - start);
            } catch (PermanentJobFailure e) {
                settle(job, () -> queue.fail(job.id(), settings.owner(), e.getMessage(), false, settings.backoff()));
                observer.finished(job, "FAILED", System.nanoTime() - start);
            } catch (Exception | Error e) {
                log.warn("job {} ({}) attempt {} failed", job.id(), job.type(), job.attempt(), e);
                settle(job, () -> queue.fail(job.id(), settings.owner(), describe(e), true, settings.backoff()));
                observer.finished(job, "FAILED", System.nanoTime() - start);
            }
        }
        try {
            queue.complete(settings.owner(), succeeded);
        } catch (JobStoreException e) {
            // The leases lapse and the rescuer re-queues these jobs: at-least-once, never lost.
            log.error("could not record {} completed jobs; they will be rescued and run again", succeeded.size(), e);
        } finally {
            succeeded.forEach(c -> held.remove(c.id()));
        }
    }

    /** Writes a job's end; if the database is unreachable the lease lapses and the rescuer takes over. */
    private void settle(Job job, Runnable write) {
        try {
            write.run();
        } catch (JobStoreException e) {
            log.error("could not record the end of job {}; the rescuer will handle it", job.id(), e);
        } finally {
            held.remove(job.id());
        }
    }

    private void renewLeases() {
        if (held.isEmpty()) {
            return;
        }
        try {
            Map<UUID, LeaseStatus> status = queue.heartbeat(settings.owner(), held.keySet(), settings.lease());
            status.forEach((id, s) -> {
                JobContext ctx = held.get(id);
                if (ctx != null) {
                    ctx.heartbeatSaw(s);
                }
            });
        } catch (RuntimeException e) {
            log.warn("heartbeat failed: {}", e.getMessage());
        }
    }

    private void pause(long seen) {
        try {
            wake.awaitChange(seen, settings.pollEvery());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        synchronized (this) {
            if (!running) {
                return;
            }
            running = false;
        }
        held.values().forEach(JobContext::stopForShutdown);
        wake.signalAll();
        listener.stop();
        long deadline = System.nanoTime() + settings.shutdownGrace().toNanos();
        for (Thread t : threads) {
            try {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        // Handlers that ignored the stop request: give their jobs back and abandon the threads.
        for (UUID id : List.copyOf(held.keySet())) {
            try {
                queue.handBack(id, settings.owner());
            } catch (JobStoreException e) {
                log.warn("could not hand back job {}; its lease will expire: {}", id, e.getMessage());
            }
        }
        threads.forEach(Thread::interrupt);
        heartbeat.shutdownNow();
        log.info("worker pool {} stopped", settings.owner());
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
