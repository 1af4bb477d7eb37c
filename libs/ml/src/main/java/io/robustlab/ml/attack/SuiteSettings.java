package io.robustlab.ml.attack;

import java.util.List;

/**
 * Which attacks a robustness suite runs, in order, and their budgets. {@link #standard} is the
 * AutoAttack standard evaluation (Croce and Hein 2020) for Linf and L2; {@link #cheap} the same
 * attacks with budgets a CPU preset can afford (it typically finds less than the standard suite:
 * its robust accuracy is typically higher, never a figure to quote as AutoAttack's); a single attack
 * is a suite of one.
 *
 * @param targets       target classes of APGD-T and FAB-T: those with the 2nd .. (targets+1)th highest clean logit
 * @param apgdIterations iterations of each APGD run
 * @param fabIterations  iterations of each FAB run
 * @param squareQueries  queries of the Square attack per image
 */
public record SuiteSettings(String name, Norm norm, float eps, List<SuiteAttack> attacks, int targets, int apgdIterations,
                            int fabIterations, int squareQueries) {

    public SuiteSettings {
        attacks = List.copyOf(attacks);
        if (attacks.isEmpty() || targets < 1 || apgdIterations < 1 || fabIterations < 1 || squareQueries < 1) {
            throw new IllegalArgumentException("a suite needs at least one attack, one target and positive budgets");
        }
    }

    private static final List<SuiteAttack> ALL = List.of(SuiteAttack.values());

    public static SuiteSettings standard(Norm norm, float eps) {
        return new SuiteSettings("autoattack", norm, eps, ALL, 9, 100, 100, 5000);
    }

    /** A quarter of APGD's and FAB's iterations, 3 target classes, 1,000 Square queries. */
    public static SuiteSettings cheap(Norm norm, float eps) {
        return new SuiteSettings("autoattack-cheap", norm, eps, ALL, 3, 25, 25, 1000);
    }

    /** One attack of the standard suite with its standard budget. */
    public static SuiteSettings single(SuiteAttack attack, Norm norm, float eps) {
        SuiteSettings s = standard(norm, eps);
        return new SuiteSettings(attack.apiName(), norm, eps, List.of(attack), s.targets, s.apgdIterations, s.fabIterations,
                s.squareQueries);
    }

    ApgdSettings apgd() {
        return new ApgdSettings(norm, eps, apgdIterations, 0.75f);
    }

    FabSettings fab() {
        FabSettings d = FabSettings.standard(norm, eps);
        return new FabSettings(norm, eps, fabIterations, d.alphaMax(), d.eta(), d.beta());
    }

    SquareSettings square() {
        return new SquareSettings(norm, eps, squareQueries, SquareSettings.standard(norm, eps).pInit());
    }
}
