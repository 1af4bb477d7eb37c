package io.robustlab.data;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatasetChecksTest {

    private static ImageDataset data(float[] pixels, int[] labels, int channels, int side) {
        return new ImageDataset(pixels, labels, channels, side, side);
    }

    @Test
    void aSplitInRangePasses() {
        ImageDataset data = data(new float[] {0f, 0.5f, 1f, 0.25f}, new int[] {0, 1, 1, 0}, 1, 1);
        assertThatCode(() -> DatasetChecks.checkImages(data)).doesNotThrowAnyException();
        assertThatCode(() -> DatasetChecks.checkLabels(data, 2)).doesNotThrowAnyException();
    }

    @Test
    void labelsOutsideTheClassNamesFailNamingTheExample() {
        assertThatThrownBy(() -> DatasetChecks.checkLabels(data(new float[] {0f, 0f, 0f}, new int[] {0, 1, 2}, 1, 1), 2))
                .hasMessage("example 2 has the label 2; with 2 class names labels run from 0 to 1");
        assertThatThrownBy(() -> DatasetChecks.checkLabels(data(new float[] {0f}, new int[] {-1}, 1, 1), 2))
                .hasMessageContaining("example 0 has the label -1");
    }

    @Test
    void pixelsOutsideTheUnitIntervalOrNaNFail() {
        assertThatThrownBy(() -> DatasetChecks.checkImages(data(new float[] {0f, 255f}, new int[] {0, 1}, 1, 1)))
                .hasMessageContaining("image 1 has the pixel value 255.0");
        assertThatThrownBy(() -> DatasetChecks.checkImages(data(new float[] {Float.NaN}, new int[] {0}, 1, 1)))
                .hasMessageContaining("pixel value NaN");
    }

    @Test
    void emptySplitsAndOtherChannelCountsFail() {
        assertThatThrownBy(() -> DatasetChecks.checkImages(data(new float[0], new int[0], 1, 1))).hasMessage("holds no examples");
        assertThatThrownBy(() -> DatasetChecks.checkImages(data(new float[2], new int[] {0}, 2, 1)))
                .hasMessageContaining("2 channels");
    }

    @Test
    void everyClassNamedNeedsATrainingExample() {
        DatasetChecks.checkEveryClassPresent(data(new float[3], new int[] {2, 0, 1}, 1, 1), 3);
        assertThatThrownBy(() -> DatasetChecks.checkEveryClassPresent(data(new float[3], new int[] {0, 2, 0}, 1, 1), 3))
                .isInstanceOf(DataFormatException.class)
                .hasMessage("has no example of class 1; each of the 3 classes named needs at least one training example");
    }

    @Test
    void trainAndTestMustAgreeInShape() {
        assertThatThrownBy(() -> DatasetChecks.checkSameShape(data(new float[4], new int[] {0}, 1, 2), data(new float[9], new int[] {0}, 1, 3)))
                .hasMessage("test images are [1, 3, 3] (channels, height, width), training images [1, 2, 2]");
    }
}
