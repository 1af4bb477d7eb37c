package io.robustlab.eval.jobs;

import io.micrometer.core.instrument.MeterRegistry;
import io.robustlab.api.model.EvaluateClassifierRobustPoint;
import io.robustlab.service.jobs.LatestValueGauges;
import java.math.BigDecimal;
import java.math.MathContext;
import org.springframework.stereotype.Component;

/**
 * Results of the latest finished evaluations as gauges: standard accuracy and robust accuracy per
 * eps by architecture and test set, and transfer success by target architecture. Eps values come
 * from specs, so they are rounded to 4 significant digits (1 reads "1", 0.25 "0.25"): a dashboard's robust-accuracy-vs-eps
 * curve has one series per eps a user evaluates at, a handful in practice.
 */
@Component
public class EvalMetrics {

    private final LatestValueGauges gauges;

    public EvalMetrics(MeterRegistry registry) {
        this.gauges = new LatestValueGauges(registry);
    }

    void evaluated(String architecture, String dataset, double accuracy, String norm, String attack,
                   Iterable<EvaluateClassifierRobustPoint> robust) {
        gauges.set("robustlab.eval.accuracy", "Standard accuracy of the latest evaluation", accuracy,
                "architecture", architecture, "dataset", dataset);
        for (EvaluateClassifierRobustPoint r : robust) {
            gauges.set("robustlab.eval.robust.accuracy", "Robust accuracy of the latest evaluation, per eps and attack", r.getAccuracy(),
                    "architecture", architecture, "dataset", dataset, "norm", norm, "eps", epsLabel(r.getEps()), "attack", attack);
        }
    }

    /** 1.0 as "1", 0.25 as "0.25": 4 significant digits, no trailing zeros. */
    static String epsLabel(float eps) {
        return new BigDecimal(Float.toString(eps)).round(new MathContext(4)).stripTrailingZeros().toPlainString();
    }

    void transferred(String targetArchitecture, double transferSuccess) {
        gauges.set("robustlab.eval.transfer.success", "Share of the source's adversarial examples that fool the target, latest evaluation",
                transferSuccess, "architecture", targetArchitecture);
    }
}
