package io.robustlab.api.jobtypes;

import io.robustlab.api.model.PgdSpec;
import io.robustlab.api.model.ThreatModel;

/** What a {@link PgdSpec} means where the API leaves it to defaults, in one place. */
public final class PgdSpecs {

    private PgdSpecs() {
    }

    /** The default step size rule as the API's results quote it. */
    public static final String DEFAULT_STEP_RULE = "2.5 * eps / steps";

    /** The paper's and MadryLab's default step size: k steps of 2.5 * eps / k. */
    public static float defaultStepSize(float eps, int steps) {
        return 2.5f * eps / steps;
    }

    /** The step size, the default rule's unless the spec gives one. */
    public static float stepSize(PgdSpec spec) {
        return spec.getStepSize() != null ? spec.getStepSize() : defaultStepSize(spec.getEps(), spec.getSteps());
    }

    /** The threat model of a model adversarially trained with this attack. */
    public static ThreatModel threatModel(PgdSpec spec) {
        return new ThreatModel().adversarial(true).norm(ThreatModel.NormEnum.fromValue(spec.getNorm().getValue()))
                .eps(spec.getEps()).attack("pgd").steps(spec.getSteps()).stepSize(stepSize(spec));
    }
}
