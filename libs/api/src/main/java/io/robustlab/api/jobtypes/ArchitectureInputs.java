package io.robustlab.api.jobtypes;

import io.robustlab.api.model.ArchitectureName;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Which image shapes each architecture takes. Every one takes any number of channels (the first
 * layer adapts when the model is built); what limits them is the height and width their pooling
 * halves. libs/mlservice's {@code ArchitectureInputsTest} builds every network at its smallest side and one
 * below it, so these figures are checked against the real networks.
 */
public final class ArchitectureInputs {

    private static final Map<ArchitectureName, Integer> SMALLEST_SIDE = new EnumMap<>(Map.of(
            // Two 2 x 2 poolings.
            ArchitectureName.SMALL_CNN, 4,
            // A 5 x 5 convolution without padding between two poolings: (side / 2 - 4) / 2 >= 1.
            ArchitectureName.LENET, 12,
            ArchitectureName.MLP, 1,
            ArchitectureName.LINEAR, 1,
            // Padded, strided 3 x 3 convolutions and global pooling keep at least one pixel.
            ArchitectureName.RESNET18, 1,
            ArchitectureName.RESNET50, 1,
            // Three 2 x 2 max poolings, then global pooling.
            ArchitectureName.VGG16, 8,
            // Two transitions with 2 x 2 average pooling.
            ArchitectureName.DENSENET, 4));

    private ArchitectureInputs() {
    }

    /** The smallest height and width {@code architecture} takes. */
    public static int smallestSide(ArchitectureName architecture) {
        return SMALLEST_SIDE.get(architecture);
    }

    /** Whether {@code architecture} takes images of {@code shape} (channels, height, width). */
    public static boolean fits(ArchitectureName architecture, List<Integer> shape) {
        return shape.get(1) >= smallestSide(architecture) && shape.get(2) >= smallestSide(architecture);
    }

    /** The architectures that take images of {@code shape}, in the API's order. */
    public static List<ArchitectureName> fitting(List<Integer> shape) {
        return Arrays.stream(ArchitectureName.values()).filter(a -> fits(a, shape)).toList();
    }
}
