package io.robustlab.jobs.worker;

import io.robustlab.jobs.Backoff;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.UUID;

/**
 * How a worker pool behaves.
 *
 * @param owner          lease owner written on claimed rows; unique per pool
 * @param threads        jobs run at once (1 for GPU-bound types: one per device slot)
 * @param claimBatch     jobs claimed per round trip; results of one batch are completed together
 * @param lease          how long a claim stays valid without a heartbeat
 * @param heartbeatEvery how often running jobs renew their lease (well under {@code lease})
 * @param pollEvery      the longest an idle worker waits when no notification arrives
 * @param shutdownGrace  how long shutdown waits for running jobs to stop and hand themselves back
 * @param device         the device jobs of this pool run on, recorded on each job
 */
public record WorkerSettings(
        String owner,
        int threads,
        int claimBatch,
        Duration lease,
        Duration heartbeatEvery,
        Duration pollEvery,
        Duration shutdownGrace,
        Backoff backoff,
        String device) {

    public WorkerSettings {
        if (threads < 1 || claimBatch < 1) {
            throw new IllegalArgumentException("threads and claimBatch must be at least 1");
        }
        if (heartbeatEvery.compareTo(lease) >= 0) {
            throw new IllegalArgumentException("heartbeatEvery (" + heartbeatEvery + ") must be shorter than the lease (" + lease + ")");
        }
    }

    public static WorkerSettings defaults(String service) {
        return new WorkerSettings(ownerName(service), 1, 1, Duration.ofSeconds(30), Duration.ofSeconds(10),
                Duration.ofSeconds(2), Duration.ofSeconds(30), Backoff.DEFAULT, "cpu");
    }

    /** e.g. {@code dataset-service@host:4242/5f1c}: which process holds a lease, readable in the table. */
    public static String ownerName(String service) {
        String runtime = ManagementFactory.getRuntimeMXBean().getName(); // pid@host
        String[] parts = runtime.split("@", 2);
        String host = parts.length == 2 ? parts[1] : "localhost";
        return service + "@" + host + ":" + parts[0] + "/" + UUID.randomUUID().toString().substring(0, 4);
    }

    /** The same settings for a pool pinned to {@code newDevice}, with an owner name that says which. */
    public WorkerSettings onDevice(String newDevice) {
        return new WorkerSettings(owner + "-" + newDevice, threads, claimBatch, lease, heartbeatEvery, pollEvery, shutdownGrace,
                backoff, newDevice);
    }

    public WorkerSettings withThreads(int n) {
        return new WorkerSettings(owner, n, claimBatch, lease, heartbeatEvery, pollEvery, shutdownGrace, backoff, device);
    }

    public WorkerSettings withClaimBatch(int n) {
        return new WorkerSettings(owner, threads, n, lease, heartbeatEvery, pollEvery, shutdownGrace, backoff, device);
    }

    public WorkerSettings withLease(Duration newLease, Duration newHeartbeat) {
        return new WorkerSettings(owner, threads, claimBatch, newLease, newHeartbeat, pollEvery, shutdownGrace, backoff, device);
    }

    public WorkerSettings withPollEvery(Duration d) {
        return new WorkerSettings(owner, threads, claimBatch, lease, heartbeatEvery, d, shutdownGrace, backoff, device);
    }

    public WorkerSettings withBackoff(Backoff b) {
        return new WorkerSettings(owner, threads, claimBatch, lease, heartbeatEvery, pollEvery, shutdownGrace, b, device);
    }

    public WorkerSettings withShutdownGrace(Duration d) {
        return new WorkerSettings(owner, threads, claimBatch, lease, heartbeatEvery, pollEvery, d, backoff, device);
    }
}
