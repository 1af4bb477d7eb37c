package io.robustlab.mlservice;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code robustlab.ml.*}: libtorch threads (0: one per core), worker slots per device, and how
 * many decoded datasets to keep in memory (Fashion-MNIST's train split is 188 MB as float32).
 */
@ConfigurationProperties("robustlab.ml")
public record MlProperties(int threads, int interopThreads, int slotsPerDevice, int datasetCache) {

    public MlProperties {
        interopThreads = interopThreads < 1 ? 1 : interopThreads;
        slotsPerDevice = slotsPerDevice < 1 ? 1 : slotsPerDevice;
        datasetCache = datasetCache < 1 ? 2 : datasetCache;
    }
}
