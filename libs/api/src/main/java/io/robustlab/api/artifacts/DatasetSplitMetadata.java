package io.robustlab.api.artifacts;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * What a data set split's artifact (an import's or an upload's) records about itself, in its
 * catalogue row's metadata: written by dataset-service, read by the gateway and the workers.
 *
 * @param dataset      its family: the imported data set's name, or {@code uploaded}; a metric tag value, so never a user's text
 * @param split        train or test
 * @param count        examples
 * @param classNames   the class names, indexed by label
 * @param shape        channels, height, width of every image
 * @param classes      one more than the largest label
 * @param layout       how the .npz holds images and labels
 * @param name         an upload's name, as its user gave it (absent for imports)
 * @param uploadFormat the format an upload's files came in (absent for imports)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DatasetSplitMetadata(String dataset, String split, Integer count, List<String> classNames, List<Integer> shape,
                                   Integer classes, String layout, String name, String uploadFormat) {

    /** The catalogue's kind of every data set split artifact. */
    public static final String ARTIFACT_KIND = "dataset";

    public static final String LAYOUT = "images: float32 (N, C, H, W) in [0,1]; labels: int64 (N)";
}
