package io.robustlab.mlservice;

import ai.djl.Device;
import io.robustlab.api.jobtypes.PgdSpecs;
import io.robustlab.api.model.PgdSpec;
import io.robustlab.jobs.worker.JobContext;
import io.robustlab.ml.attack.Norm;
import io.robustlab.ml.attack.PgdSettings;
import io.robustlab.ml.runtime.DjlRuntime;
import java.util.Locale;

/** From API specs to the ML library's settings. */
public final class MlSpecs {

    private MlSpecs() {
    }

    public static Norm norm(String apiName) {
        return Norm.valueOf(apiName.toUpperCase(Locale.ROOT));
    }

    /** An attack as the API describes it; the step size defaults to {@link PgdSpecs#DEFAULT_STEP_RULE}. */
    public static PgdSettings pgd(PgdSpec spec) {
        return new PgdSettings(norm(spec.getNorm().getValue()), spec.getEps(), PgdSpecs.stepSize(spec), spec.getSteps(),
                Boolean.TRUE.equals(spec.getRandomStart()), spec.getRestarts() == null ? 1 : spec.getRestarts(), true);
    }

    /** PGD for robust accuracy, with the default step size rule. */
    public static PgdSettings evaluationPgd(Norm norm, float eps, int steps, int restarts) {
        return PgdSettings.evaluation(norm, eps, PgdSpecs.defaultStepSize(eps, steps), steps, restarts);
    }

    /** The device of the worker slot that claimed the job. */
    public static Device device(JobContext context) {
        return DjlRuntime.device(context.device());
    }
}
