package io.robustlab.mlservice;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.TimeUnit;

/**
 * Images processed by finished jobs, tagged by job type: a counter of images and a summary of each
 * job's images per second. An "image" is one forward-backward pass of one example as the job type
 * counts it (a training epoch of N images counts N; a PGD evaluation at k eps counts k times the
 * attacked set).
 */
public final class WorkMetrics {

    private final MeterRegistry registry;

    WorkMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A job of {@code type} processed {@code images} in {@code nanos}. */
    public void finished(String type, long images, long nanos) {
        Counter.builder("robustlab.job.images").description("Images processed by finished jobs").tag("type", type)
                .register(registry).increment(images);
        double seconds = nanos / (double) TimeUnit.SECONDS.toNanos(1);
        if (seconds > 0) {
            DistributionSummary.builder("robustlab.job.images.per.second").description("Throughput of each finished job")
                    .tag("type", type).register(registry).record(images / seconds);
        }
    }
}
