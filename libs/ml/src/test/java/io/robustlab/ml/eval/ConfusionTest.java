package io.robustlab.ml.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ConfusionTest {

    /** Rows: class 0 has 10 images (7 right, 3 as class 2), class 1 has 4 (1 as 0), class 2 has 5 (3 as 0, 2 right). */
    private static Confusion example() {
        Confusion c = new Confusion(3);
        add(c, 0, 0, 7);
        add(c, 0, 2, 3);
        add(c, 1, 1, 3);
        add(c, 1, 0, 1);
        add(c, 2, 0, 3);
        add(c, 2, 2, 2);
        return c;
    }

    private static void add(Confusion c, int truth, int predicted, int times) {
        for (int i = 0; i < times; i++) {
            c.add(truth, predicted);
        }
    }

    @Test
    void flowsAreTheLargestOffDiagonalCellsAsSharesOfTheirClass() {
        List<Confusion.Flow> flows = example().flows(10);
        assertThat(flows).containsExactly(new Confusion.Flow(0, 2, 3, 0.3), new Confusion.Flow(2, 0, 3, 0.6),
                new Confusion.Flow(1, 0, 1, 0.25));
        assertThat(example().flows(1)).containsExactly(new Confusion.Flow(0, 2, 3, 0.3));
        assertThat(example().accuracy()).isEqualTo(12 / 19.0);
    }

    @Test
    void aPerfectClassifierHasNoFlows() {
        Confusion c = new Confusion(2);
        add(c, 0, 0, 4);
        add(c, 1, 1, 4);
        assertThat(c.flows(5)).isEmpty();
    }
}
