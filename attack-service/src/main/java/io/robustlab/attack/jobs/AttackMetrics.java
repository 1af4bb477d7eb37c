package io.robustlab.attack.jobs;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.robustlab.ml.attack.DatasetAttack;
import io.robustlab.ml.attack.Norm;
import java.util.Locale;
import org.springframework.stereotype.Component;

/** Success rate of finished attacks, tagged by norm and target rule (bounded sets). */
@Component
public class AttackMetrics {

    private final MeterRegistry registry;

    public AttackMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void finished(Norm norm, DatasetAttack.Target target, double successRate) {
        String n = norm.name().toLowerCase(Locale.ROOT);
        String t = target.name().toLowerCase(Locale.ROOT);
        DistributionSummary.builder("robustlab.attack.success.rate").description("Success rate of finished dataset attacks")
                .tag("norm", n).tag("target", t).register(registry).record(successRate);
    }
}
