package io.robustlab.ml.attack;

import static ai.djl.ndarray.NDArrays.where;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import io.robustlab.ml.model.Classifier;
import io.robustlab.ml.runtime.DjlRuntime;

/**
 * Runs PGD on a batch. Every step lives in its own NDManager scope, closed at the step's end, and
 * each replaced iterate is closed at once, so memory stays flat however many steps run. The
 * model's weights stop tracking gradients during the attack (nothing piles into them) and every
 * forward pass runs BatchNorm in eval mode.
 */
public final class Pgd {

    private Pgd() {
    }

    /** The adversarial batch, attached to {@code x0}'s manager. */
    public static NDArray attack(Classifier model, NDArray x0, AttackLoss loss, PgdSettings s) {
        DjlRuntime.noGradOnThisThread();
        NDManager out = x0.getManager();
        model.trackWeightGradients(false);
        try (NDManager attack = out.newSubManager()) {
            Best best = new Best(attack);
            for (int restart = 0; restart < s.restarts(); restart++) {
                NDArray x = s.randomStart() ? s.norm().randomStart(x0, s.eps()) : x0.duplicate();
                x.attach(attack);
                for (int step = 0; step <= s.steps(); step++) {
                    boolean last = step == s.steps();
                    try (NDManager scope = attack.newSubManager()) {
                        NDArray xv = x.duplicate();
                        xv.attach(scope);
                        NDArray l;
                        if (last) {
                            l = loss.perExample(model, xv);
                        } else {
                            xv.setRequiresGradient(true);
                            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                                l = loss.perExample(model, xv);
                                gc.backward(l.sum());
                            }
                            NDArray next = s.norm().project(s.norm().step(xv.stopGradient(), xv.getGradient(), s.stepSize()), x0, s.eps());
                            next.attach(attack);
                            x.close();
                            x = next;
                        }
                        if (s.keepBest() || last) {
                            best.consider(xv.stopGradient(), l.stopGradient());
                        }
                    }
                }
                x.close();
            }
            return best.detachTo(out);
        } finally {
            model.trackWeightGradients(true);
        }
    }

    /** The highest-loss iterate per example seen so far. */
    private static final class Best {
        private final NDManager manager;
        private NDArray x;
        private NDArray loss;

        Best(NDManager manager) {
            this.manager = manager;
        }

        void consider(NDArray candidate, NDArray candidateLoss) {
            NDArray newX;
            NDArray newLoss;
            if (x == null) {
                newX = candidate.duplicate();
                newLoss = candidateLoss.duplicate();
            } else {
                NDArray better = candidateLoss.gt(loss);
                newX = where(better.reshape(-1, 1, 1, 1).broadcast(candidate.getShape()), candidate, x);
                newLoss = where(better, candidateLoss, loss);
                x.close();
                loss.close();
            }
            newX.attach(manager);
            newLoss.attach(manager);
            x = newX;
            loss = newLoss;
        }

        NDArray detachTo(NDManager target) {
            x.attach(target);
            return x;
        }
    }
}
