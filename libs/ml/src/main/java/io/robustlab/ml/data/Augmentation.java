package io.robustlab.ml.data;

import java.util.Random;

/**
 * Random crop with zero padding and horizontal flip, applied in place to one image (C x H x W) of a
 * batch buffer. Off for D_det training: it destroys about half of the targeted perturbations.
 */
public record Augmentation(int cropPadding, boolean horizontalFlip) {

    public static final Augmentation NONE = new Augmentation(0, false);

    public boolean isNone() {
        return cropPadding == 0 && !horizontalFlip;
    }

    void apply(float[] buf, int offset, int c, int h, int w, float[] scratch, Random random) {
        int dy = cropPadding == 0 ? 0 : random.nextInt(2 * cropPadding + 1) - cropPadding;
        int dx = cropPadding == 0 ? 0 : random.nextInt(2 * cropPadding + 1) - cropPadding;
        boolean flip = horizontalFlip && random.nextBoolean();
        if (dx == 0 && dy == 0 && !flip) {
            return;
        }
        System.arraycopy(buf, offset, scratch, 0, c * h * w);
        for (int ch = 0; ch < c; ch++) {
            int plane = ch * h * w;
            for (int y = 0; y < h; y++) {
                int sy = y + dy;
                for (int x = 0; x < w; x++) {
                    int sx = (flip ? w - 1 - x : x) + dx;
                    boolean inside = sy >= 0 && sy < h && sx >= 0 && sx < w;
                    buf[offset + plane + y * w + x] = inside ? scratch[plane + sy * w + sx] : 0f;
                }
            }
        }
    }
}
