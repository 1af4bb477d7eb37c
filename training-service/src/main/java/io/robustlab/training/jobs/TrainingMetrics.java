package io.robustlab.training.jobs;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.robustlab.ml.model.Architecture;
import io.robustlab.ml.train.EpochMetrics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.stereotype.Component;

/**
 * Training curves as gauges, tagged by architecture (a bounded set, never a job id): the latest
 * batch loss, and per epoch the train loss and accuracy, validation accuracy and images per second.
 */
@Component
public class TrainingMetrics {

    private final MeterRegistry registry;
    private final Map<String, AtomicReference<Double>> values = new ConcurrentHashMap<>();

    public TrainingMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void batch(Architecture a, double loss) {
        gauge("robustlab.training.batch.loss", "Loss of the latest training batch", a).set(loss);
    }

    void epoch(Architecture a, EpochMetrics m) {
        gauge("robustlab.training.epoch.loss", "Mean training loss of the latest epoch", a).set(m.trainLoss());
        gauge("robustlab.training.epoch.accuracy", "Training accuracy of the latest epoch", a).set(m.trainAccuracy());
        gauge("robustlab.training.validation.accuracy", "Validation accuracy after the latest epoch", a).set(m.validationAccuracy());
        gauge("robustlab.training.images.per.second", "Training throughput of the latest epoch", a).set(m.imagesPerSecond());
    }

    private AtomicReference<Double> gauge(String name, String description, Architecture a) {
        return values.computeIfAbsent(name + "|" + a.apiName(), key -> {
            AtomicReference<Double> ref = new AtomicReference<>(Double.NaN);
            Gauge.builder(name, ref, AtomicReference::get).description(description).tag("architecture", a.apiName()).register(registry);
            return ref;
        });
    }
}
