package io.robustlab.api.jobtypes;

import io.robustlab.api.model.PgdSpec;
import io.robustlab.api.model.ThreatModel;

/** What a {@link PgdSpec} means where the API leaves it to defaults, in one place. */
public final class PgdSpecs {

    private PgdSpecs() {
    }

    /** The step size, 2.5 * eps / steps unless the spec gives one (the paper's and MadryLab's rule). */
    public static float stepSize(PgdSpec spec) {
        return spec.getStepSize() != null ? spec.getStepSize() : 2.5f * spec.getEps() / spec.getSteps();
    }

    /** The threat model of a model adversarially trained with this attack. */
    public static ThreatModel threatModel(PgdSpec spec) {
        return new ThreatModel().adversarial(true).norm(ThreatModel.NormEnum.fromValue(spec.getNorm().getValue()))
                .eps(spec.getEps()).attack("pgd").steps(spec.getSteps()).stepSize(stepSize(spec));
    }
}
