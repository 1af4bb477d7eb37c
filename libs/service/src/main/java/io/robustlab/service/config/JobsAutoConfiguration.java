package io.robustlab.service.config;

import io.micrometer.core.instrument.MeterRegistry;
import io.robustlab.jobs.Backoff;
import io.robustlab.jobs.JobQueue;
import io.robustlab.jobs.artifact.Artifacts;
import io.robustlab.jobs.artifact.FileSystemArtifactStore;
import io.robustlab.jobs.worker.JobHandler;
import io.robustlab.jobs.worker.Rescuer;
import io.robustlab.jobs.worker.WorkerPool;
import io.robustlab.jobs.worker.WorkerSettings;
import io.robustlab.service.data.DataRoots;
import io.robustlab.service.jobs.JobMetrics;
import io.robustlab.service.jobs.WorkerSlots;
import java.io.IOException;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;

/**
 * The queue, artifact store, rescuer and (where the service has job handlers) a worker pool.
 * Runs after Flyway so the schema exists before any worker claims.
 */
@AutoConfiguration(after = FlywayAutoConfiguration.class)
@EnableConfigurationProperties(RobustLabProperties.class)
public class JobsAutoConfiguration {

    @Bean
    JobQueue jobQueue(DataSource dataSource) {
        return new JobQueue(dataSource);
    }

    @Bean
    Artifacts artifacts(DataSource dataSource, RobustLabProperties props) throws IOException {
        return new Artifacts(dataSource, new FileSystemArtifactStore(props.artifacts().root()));
    }

    @Bean
    DataRoots dataRoots(RobustLabProperties props) {
        return new DataRoots(props.data().roots());
    }

    @Bean
    Backoff jobBackoff(RobustLabProperties props) {
        return new Backoff(props.worker().backoffBase(), props.worker().backoffMax(), 0.1);
    }

    @Bean
    JobMetrics jobMetrics(MeterRegistry registry) {
        return new JobMetrics(registry);
    }

    @Bean
    WorkerSettings workerSettings(RobustLabProperties props, Backoff backoff, @Value("${spring.application.name}") String service) {
        RobustLabProperties.Worker w = props.worker();
        return new WorkerSettings(WorkerSettings.ownerName(service), w.threads(), w.claimBatch(), w.lease(), w.heartbeat(),
                w.poll(), w.shutdownGrace(), backoff, w.device());
    }

    /** One slot on the configured device unless a library (the ML support) knows the machine's devices. */
    @Bean
    @ConditionalOnMissingBean
    WorkerSlots workerSlots(RobustLabProperties props) {
        return new WorkerSlots(List.of(props.worker().device()));
    }

    /**
     * One pool per device slot, each claiming for this service's handlers. They start once the
     * application is ready and hand their jobs back before the DataSource closes.
     */
    @Bean
    SmartLifecycle workerPoolLifecycle(JobQueue queue, List<JobHandler> handlers, WorkerSettings settings, WorkerSlots slots,
                                       JobMetrics metrics) {
        List<WorkerPool> pools = slots.devices().stream()
                .map(device -> new WorkerPool(queue, handlers, settings.onDevice(device), metrics)).toList();
        return lifecycle(() -> pools.forEach(WorkerPool::start), () -> pools.parallelStream().forEach(WorkerPool::close));
    }

    @Bean
    SmartLifecycle rescuerLifecycle(JobQueue queue, Backoff backoff, RobustLabProperties props, JobMetrics metrics) {
        Rescuer rescuer = new Rescuer(queue, backoff, props.rescuer().interval(), metrics);
        return lifecycle(rescuer::start, rescuer::close);
    }

    private static SmartLifecycle lifecycle(Runnable start, Runnable stop) {
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                start.run();
                running = true;
            }

            @Override
            public void stop() {
                stop.run();
                running = false;
            }

            @Override
            public boolean isRunning() {
                return running;
            }
        };
    }
}
