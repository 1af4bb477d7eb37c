package io.robustlab.jobs;

import java.time.Duration;
import java.util.UUID;

/** For the services' handler tests: submit a job to the real queue and wait for the service's workers to end it. */
public final class JobRuns {

    private JobRuns() {
    }

    /** The job once it is SUCCEEDED, FAILED or CANCELLED; fails the test after {@code limit}. */
    public static Job runToEnd(JobQueue queue, String type, String spec, Duration limit) throws InterruptedException {
        UUID id = queue.submit(NewJob.of(type, spec)).job().id();
        long deadline = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < deadline) {
            Job j = queue.find(id).orElseThrow();
            if (j.state().isTerminal()) {
                return j;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(type + " job " + id + " did not end within " + limit);
    }
}
