package io.robustlab.mlservice;

import ai.djl.Device;
import io.micrometer.core.instrument.MeterRegistry;
import io.robustlab.jobs.artifact.Artifacts;
import io.robustlab.ml.runtime.DjlRuntime;
import io.robustlab.service.config.JobsAutoConfiguration;
import io.robustlab.service.jobs.WorkerSlots;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.json.JsonMapper;

/** DJL for a GPU-bound service: engine set-up, worker slots per device, artifact access for datasets and models. */
@AutoConfiguration(before = JobsAutoConfiguration.class)
@EnableConfigurationProperties(MlProperties.class)
public class MlAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(MlAutoConfiguration.class);

    /** Every visible GPU times the slots per device, or the CPU: jobs stay pinned to their slot's device. */
    @Bean
    WorkerSlots workerSlots(MlProperties props, MeterRegistry registry) {
        DjlRuntime.configure(props.threads(), props.interopThreads());
        DeviceMemoryGauges.register(registry, DjlRuntime.slots());
        List<String> slots = new ArrayList<>();
        for (Device d : DjlRuntime.slots()) {
            for (int i = 0; i < props.slotsPerDevice(); i++) {
                slots.add(DjlRuntime.name(d));
            }
        }
        log.info("DJL {} with PyTorch; worker slots {}", ai.djl.engine.Engine.getDjlVersion(), slots);
        return new WorkerSlots(slots);
    }

    @Bean
    DatasetArtifacts datasetArtifacts(Artifacts artifacts, MlProperties props) {
        return new DatasetArtifacts(artifacts, props.datasetCache());
    }

    @Bean
    WorkMetrics workMetrics(MeterRegistry registry) {
        return new WorkMetrics(registry);
    }

    @Bean
    ModelArtifacts modelArtifacts(Artifacts artifacts, JsonMapper json) {
        return new ModelArtifacts(artifacts, json);
    }

    @Bean
    MlJobTools mlJobTools(ModelArtifacts models, DatasetArtifacts datasets, Artifacts artifacts, WorkMetrics work, JsonMapper json) {
        return new MlJobTools(models, datasets, artifacts, work, json);
    }
}
