package io.robustlab.training.jobs;

import io.micrometer.core.instrument.MeterRegistry;
import io.robustlab.ml.model.Architecture;
import io.robustlab.ml.train.EpochMetrics;
import io.robustlab.service.jobs.LatestValueGauges;
import org.springframework.stereotype.Component;

/**
 * Training curves as gauges, tagged by architecture (a bounded set, never a job id): the latest
 * batch loss, and per epoch the train loss and accuracy, validation accuracy (robust too, when
 * measured) and images per second.
 */
@Component
public class TrainingMetrics {

    private final LatestValueGauges gauges;

    public TrainingMetrics(MeterRegistry registry) {
        this.gauges = new LatestValueGauges(registry);
    }

    void batch(Architecture a, double loss) {
        gauges.set("robustlab.training.batch.loss", "Loss of the latest training batch", loss, "architecture", a.apiName());
    }

    void epoch(Architecture a, EpochMetrics m) {
        String arch = a.apiName();
        gauges.set("robustlab.training.epoch.loss", "Mean training loss of the latest epoch", m.trainLoss(), "architecture", arch);
        gauges.set("robustlab.training.epoch.accuracy", "Training accuracy of the latest epoch", m.trainAccuracy(), "architecture", arch);
        gauges.set("robustlab.training.validation.accuracy", "Validation accuracy after the latest epoch", m.validationAccuracy(),
                "architecture", arch);
        if (!Double.isNaN(m.robustValidationAccuracy())) {
            gauges.set("robustlab.training.validation.robust.accuracy", "Validation accuracy under the training attack after the latest epoch",
                    m.robustValidationAccuracy(), "architecture", arch);
        }
        gauges.set("robustlab.training.images.per.second", "Training throughput of the latest epoch", m.imagesPerSecond(),
                "architecture", arch);
    }
}
