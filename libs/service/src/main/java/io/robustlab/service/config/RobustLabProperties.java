package io.robustlab.service.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code robustlab.*} settings shared by the services.
 *
 * @param artifacts where artifact bytes live (a volume every service mounts)
 * @param worker    the job worker pool of this service
 * @param rescuer   how often this process looks for jobs whose worker died
 * @param data      where dataset imports may read server folders
 */
@ConfigurationProperties("robustlab")
public record RobustLabProperties(Artifacts artifacts, Worker worker, Rescuer rescuer, Data data) {

    public RobustLabProperties {
        artifacts = artifacts == null ? new Artifacts(Path.of("var/artifacts")) : artifacts;
        data = data == null || data.roots() == null ? new Data(List.of(Path.of("/usr/share/datasets"), Path.of("var/data"))) : data;
        worker = worker == null ? new Worker(1, 1, null, null, null, null, null, null, null) : worker;
        rescuer = rescuer == null ? new Rescuer(null) : rescuer;
    }

    public record Artifacts(Path root) {
    }

    /**
     * @param roots the folders (and everything under them) a dataset import may read; by default the
     *              Debian dataset packages' folder and {@code var/data} under the platform's directory
     */
    public record Data(List<Path> roots) {
    }

    /**
     * @param threads       jobs run at once; GPU-bound services keep 1 per device
     * @param claimBatch    jobs claimed per round trip
     * @param device        device the jobs of this pool run on
     */
    public record Worker(int threads, int claimBatch, Duration lease, Duration heartbeat, Duration poll,
                         Duration shutdownGrace, Duration backoffBase, Duration backoffMax, String device) {
        public Worker {
            threads = threads < 1 ? 1 : threads;
            claimBatch = claimBatch < 1 ? 1 : claimBatch;
            lease = lease == null ? Duration.ofSeconds(30) : lease;
            heartbeat = heartbeat == null ? Duration.ofSeconds(10) : heartbeat;
            poll = poll == null ? Duration.ofSeconds(2) : poll;
            shutdownGrace = shutdownGrace == null ? Duration.ofSeconds(30) : shutdownGrace;
            backoffBase = backoffBase == null ? Duration.ofSeconds(2) : backoffBase;
            backoffMax = backoffMax == null ? Duration.ofMinutes(10) : backoffMax;
            device = device == null ? "cpu" : device;
        }
    }

    public record Rescuer(Duration interval) {
        public Rescuer {
            interval = interval == null ? Duration.ofSeconds(5) : interval;
        }
    }
}
