package io.robustlab.ml.construct;

import java.util.Locale;

/** The paper's four derived training sets. */
public enum Construction {
    /** D_R: representation inversion through a robust model. */
    ROBUST,
    /** D_NR: the same inversion through a standard model. */
    NONROBUST,
    /** D_rand: targeted PGD towards a uniformly drawn class, relabelled with the target. */
    RAND,
    /** D_det: targeted PGD towards (y + 1) mod C, relabelled with the target. */
    DET;

    public boolean isInversion() {
        return this == ROBUST || this == NONROBUST;
    }

    public String apiName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
