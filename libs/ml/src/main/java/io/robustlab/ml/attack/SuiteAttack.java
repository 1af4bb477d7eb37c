package io.robustlab.ml.attack;

/** The attacks of the AutoAttack standard evaluation, in the order it runs them. */
public enum SuiteAttack {
    /** APGD on the cross-entropy, one run. */
    APGD_CE("apgd-ce"),
    /** APGD on the targeted DLR loss, one run per target class. */
    APGD_T("apgd-t"),
    /** Targeted FAB, one run per target class. */
    FAB_T("fab-t"),
    /** The score-based Square attack: no gradients. */
    SQUARE("square");

    private final String apiName;

    SuiteAttack(String apiName) {
        this.apiName = apiName;
    }

    public String apiName() {
        return apiName;
    }

    public boolean usesGradients() {
        return this != SQUARE;
    }
}
