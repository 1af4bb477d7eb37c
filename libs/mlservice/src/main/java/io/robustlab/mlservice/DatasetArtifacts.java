package io.robustlab.mlservice;

import io.robustlab.api.LenientJson;
import io.robustlab.api.artifacts.DatasetSplitMetadata;
import io.robustlab.data.DataFormatException;
import io.robustlab.data.ImageDataset;
import io.robustlab.data.Npz;
import io.robustlab.jobs.artifact.Artifact;
import io.robustlab.jobs.artifact.Artifacts;
import io.robustlab.jobs.worker.PermanentJobFailure;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Dataset artifacts (.npz) in and out of memory. Decoded datasets are kept by content hash in a
 * small LRU cache: an experiment reads the same train split in many jobs.
 */
public final class DatasetArtifacts {

    public static final String KIND = DatasetSplitMetadata.ARTIFACT_KIND;
    public static final String MEDIA_TYPE = "application/x-npz";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Reads metadata that may hold members this version does not know. */
    private static final JsonMapper LENIENT = LenientJson.of(JSON);
    private static final Pattern TAG_VALUE = Pattern.compile("[a-z0-9][a-z0-9.-]{0,31}");

    private final Artifacts artifacts;
    private final Map<String, ImageDataset> cache;

    DatasetArtifacts(Artifacts artifacts, int entries) {
        this.artifacts = artifacts;
        this.cache = new LinkedHashMap<>(4, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ImageDataset> eldest) {
                return size() > entries;
            }
        };
    }

    /** The first {@code limit} examples of the dataset (all of them when {@code limit} is null). */
    public ImageDataset load(UUID artifactId, String field, Integer limit) throws IOException {
        ImageDataset data = load(artifactId, field);
        return limit != null && limit < data.size() ? data.subset(0, limit) : data;
    }

    /** The dataset, or a permanent failure naming the spec field when the artifact is missing or not a dataset. */
    public ImageDataset load(UUID artifactId, String field) throws IOException {
        Artifact a = artifacts.find(artifactId)
                .orElseThrow(() -> new PermanentJobFailure(field + ": no artifact " + artifactId));
        if (!KIND.equals(a.kind())) {
            throw new PermanentJobFailure(field + ": artifact " + artifactId + " is a " + a.kind() + ", not a dataset");
        }
        synchronized (cache) {
            ImageDataset hit = cache.get(a.sha256());
            if (hit != null) {
                return hit;
            }
        }
        ImageDataset data;
        try (InputStream in = artifacts.open(a)) {
            data = Npz.read(in);
        } catch (DataFormatException e) {
            throw new PermanentJobFailure(field + ": artifact " + artifactId + " is not a readable dataset: " + e.getMessage(), e);
        }
        synchronized (cache) {
            cache.put(a.sha256(), data);
        }
        return data;
    }

    /**
     * The first {@code partner.size()} examples of a dataset whose example i pairs with example i of
     * {@code partner} (a construction and the set it started from, images and the labels put on
     * them). A permanent failure naming both spec fields when it holds fewer examples or images of
     * another shape: pairing them any other way would measure, or train on, the wrong images.
     */
    public ImageDataset loadPaired(UUID artifactId, String field, ImageDataset partner, String partnerField) throws IOException {
        ImageDataset data = load(artifactId, field);
        if (data.size() < partner.size()) {
            throw new PermanentJobFailure(String.format(Locale.ROOT, "%s holds %d examples, fewer than the %d of %s (example i pairs with example i)",
                    field, data.size(), partner.size(), partnerField));
        }
        requireSameShape(data, field, partner, partnerField);
        return data.size() == partner.size() ? data : data.subset(0, partner.size());
    }

    /** A permanent failure naming both spec fields unless the two datasets' images have one shape. */
    public static void requireSameShape(ImageDataset data, String field, ImageDataset partner, String partnerField) {
        if (data.channels() != partner.channels() || data.height() != partner.height() || data.width() != partner.width()) {
            throw new PermanentJobFailure(String.format(Locale.ROOT, "%s holds %s images, %s holds %s: their shapes must agree",
                    field, shape(data), partnerField, shape(partner)));
        }
    }

    /** C x H x W, as messages show it. */
    public static String shape(ImageDataset data) {
        return data.channels() + "x" + data.height() + "x" + data.width();
    }

    /**
     * A name for the dataset fit for a metric tag: the imported dataset's name (fashion-mnist,
     * cifar10) or the construction that made it (robust, det, attack.dataset, ...); "other" when
     * the metadata names neither in a short lower-case word, so a tag never takes unbounded values.
     */
    public String family(UUID artifactId) {
        String metadata = artifacts.find(artifactId).map(Artifact::metadata).orElse(null);
        if (metadata != null) {
            JsonNode m = JSON.readTree(metadata);
            for (String field : new String[] {"dataset", "construction"}) {
                String v = m.path(field).asString("");
                if (TAG_VALUE.matcher(v).matches()) {
                    return v;
                }
            }
        }
        return "other";
    }

    /** An import's or an upload's metadata for one split ({@code name} and {@code uploadFormat} only for uploads). */
    public static DatasetSplitMetadata metadataFor(String dataset, String split, ImageDataset data, List<String> classNames,
                                                     String name, String uploadFormat) {
        return new DatasetSplitMetadata(dataset, split, data.size(), classNames, List.of(data.channels(), data.height(), data.width()),
                data.classes(), DatasetSplitMetadata.LAYOUT, name, uploadFormat);
    }

    /** What a split's artifact records about itself; members it does not record are null. */
    public DatasetSplitMetadata metadataOf(UUID artifactId) {
        String metadata = artifacts.find(artifactId).map(Artifact::metadata).orElse("{}");
        return LENIENT.readValue(metadata, DatasetSplitMetadata.class);
    }

    public Artifact save(UUID jobId, String name, ImageDataset data, String metadataJson) throws IOException {
        return artifacts.save(jobId, KIND, name, MEDIA_TYPE, metadataJson, out -> Npz.write(data, out));
    }
}
