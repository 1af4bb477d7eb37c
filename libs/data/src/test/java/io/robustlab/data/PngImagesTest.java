package io.robustlab.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PngImagesTest {

    @Test
    void roundTripsGreyAndRgbToTheNearest8BitValue() {
        float[] grey = new float[2 * 4 * 3];
        for (int i = 0; i < grey.length; i++) {
            grey[i] = i / (float) grey.length;
        }
        float[] back = PngImages.decode(PngImages.encode(grey, 1, 1, 4, 3), 1, 4, 3);
        for (int i = 0; i < back.length; i++) {
            assertThat(back[i]).isCloseTo(grey[12 + i], org.assertj.core.data.Offset.offset(0.5f / 255 + 1e-6f));
        }

        float[] rgb = new float[3 * 2 * 2];
        rgb[0] = 1f;        // red at (0,0)
        rgb[4 + 3] = 1f;    // green at (1,1)
        float[] decoded = PngImages.decode(PngImages.encode(rgb, 0, 3, 2, 2), 3, 2, 2);
        assertThat(decoded).containsExactly(rgb);
        float[] asGrey = PngImages.decode(PngImages.encode(rgb, 0, 3, 2, 2), 1, 2, 2);
        assertThat(asGrey[0]).isCloseTo(76 / 255f, org.assertj.core.data.Offset.offset(1e-6f)); // luma of pure red
    }

    @Test
    void refusesOtherSizesAndNonPngs() {
        byte[] png = PngImages.encode(new float[16], 0, 1, 4, 4);
        assertThatThrownBy(() -> PngImages.decode(png, 1, 28, 28)).hasMessageContaining("4x4").hasMessageContaining("28x28");
        assertThatThrownBy(() -> PngImages.decode(new byte[] {1, 2, 3}, 1, 4, 4)).isInstanceOf(DataFormatException.class);
    }
}
