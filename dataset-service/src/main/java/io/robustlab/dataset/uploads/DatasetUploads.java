package io.robustlab.dataset.uploads;

import io.robustlab.api.model.DatasetImportSplit;
import io.robustlab.api.model.DatasetManifest;
import io.robustlab.api.model.UploadedDataset;
import io.robustlab.data.Cifar10Files;
import io.robustlab.data.DataFormatException;
import io.robustlab.data.DatasetChecks;
import io.robustlab.data.IdxFiles;
import io.robustlab.data.ImageDataset;
import io.robustlab.data.Npz;
import io.robustlab.jobs.artifact.Artifact;
import io.robustlab.jobs.artifact.Artifacts;
import io.robustlab.mlservice.DatasetArtifacts;
import io.robustlab.service.web.InternalApi.DatasetParts;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Semaphore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * A data set sent by a user: both splits are read from the uploaded files and checked in full before
 * anything is written, then stored as two dataset artifacts catalogued together. The artifacts'
 * family is {@value #FAMILY}; the user's name is kept beside it.
 *
 * <p>The files are untrusted. Both splits together may hold at most {@code robustlab.uploads.max-dataset-values}
 * values (pixels and labels; a compressed file expands while it is read), and one upload is read at a
 * time: reading a split takes up to about 8 bytes a value at its peak (the file's bytes beside the
 * float32 images), so these bound what uploads take of the heap.
 */
@Component
public class DatasetUploads {

    /** The metadata's {@code dataset} of every upload (a bounded metric tag value; the name is the user's). */
    public static final String FAMILY = "uploaded";

    /** A part's fault: the gateway answers it as a 400 naming the part. */
    public static final class Refused extends RuntimeException {
        private final String part;

        Refused(String part, String message) {
            // The readers name the file, which here is the part.
            super(message.startsWith(part + ": ") ? message : part + ": " + message);
            this.part = part;
        }

        public String part() {
            return part;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(DatasetUploads.class);

    private final Artifacts artifacts;
    private final JsonMapper json;
    private final long maxValues;
    private final Semaphore oneAtATime = new Semaphore(1, true);

    public DatasetUploads(Artifacts artifacts, JsonMapper json, @Value("${robustlab.uploads.max-dataset-values}") long maxValues) {
        this.artifacts = artifacts;
        this.json = json;
        this.maxValues = maxValues;
    }

    /** Reads, checks and stores the data set whose parts are the files named after them in {@code folder}. */
    public UploadedDataset upload(DatasetManifest manifest, Path folder) throws IOException {
        oneAtATime.acquireUninterruptibly();
        try {
            return readCheckAndStore(manifest, folder);
        } finally {
            oneAtATime.release();
        }
    }

    private UploadedDataset readCheckAndStore(DatasetManifest manifest, Path folder) throws IOException {
        DatasetManifest.FormatEnum format = manifest.getFormat();
        boolean idx = format == DatasetManifest.FormatEnum.IDX;
        for (String labels : List.of(DatasetParts.TRAIN_LABELS, DatasetParts.TEST_LABELS)) {
            if (idx != Files.exists(folder.resolve(labels))) {
                throw new Refused(labels, idx ? "is required for idx (the split's IDX label file)" : "is sent only with idx");
            }
        }
        int classes = manifest.getClassNames().size();
        ImageDataset train = readChecked(format, folder, DatasetParts.TRAIN, DatasetParts.TRAIN_LABELS, classes, maxValues);
        try {
            DatasetChecks.checkEveryClassPresent(train, classes);
        } catch (DataFormatException e) {
            throw new Refused(idx ? DatasetParts.TRAIN_LABELS : DatasetParts.TRAIN, e.getMessage());
        }
        long trainValues = (long) train.images().length + train.size();
        ImageDataset test = readChecked(format, folder, DatasetParts.TEST, DatasetParts.TEST_LABELS, classes, maxValues - trainValues);
        try {
            DatasetChecks.checkSameShape(train, test);
        } catch (DataFormatException e) {
            throw new Refused(DatasetParts.TEST, e.getMessage());
        }
        List<Artifact> saved = artifacts.saveUploads(List.of(upload(manifest, DatasetParts.TRAIN, train), upload(manifest, DatasetParts.TEST, test)));
        return new UploadedDataset(manifest.getName(), split(saved.get(0), train), split(saved.get(1), test),
                Arrays.stream(DatasetChecks.shape(train)).boxed().toList(), manifest.getClassNames());
    }

    private static ImageDataset readChecked(DatasetManifest.FormatEnum format, Path folder, String part, String labelsPart, int classes,
                                            long maxValues) {
        ImageDataset data;
        try {
            data = switch (format) {
                case NPZ -> readNpz(folder.resolve(part), maxValues);
                case IDX -> IdxFiles.read(folder.resolve(part), folder.resolve(labelsPart), maxValues);
                case CIFAR10 -> readCifar10(folder, part, maxValues);
            };
        } catch (DataFormatException e) {
            // An IDX split's fault may be in its labels file, which the message names.
            throw new Refused(e.getMessage().startsWith(labelsPart + ": ") ? labelsPart : part, e.getMessage());
        } catch (RuntimeException e) {
            // The readers turn every fault they know of into a DataFormatException; another one is still the
            // file's (it is all they read), so the user hears so, and the log keeps it as a reader bug.
            log.warn("reading the uploaded {} part ({}) failed unexpectedly", part, format.getValue(), e);
            throw new Refused(part, "is not a readable " + format.getValue() + " file (" + e.getClass().getSimpleName() + ")");
        }
        try {
            DatasetChecks.checkImages(data);
        } catch (DataFormatException e) {
            throw new Refused(part, e.getMessage());
        }
        try {
            DatasetChecks.checkLabels(data, classes);
        } catch (DataFormatException e) {
            // An IDX split's labels are in their own part.
            throw new Refused(format == DatasetManifest.FormatEnum.IDX ? labelsPart : part, e.getMessage());
        }
        return data;
    }

    /** Records of a label byte and 3,072 pixel bytes, no header: the file holds as many values as bytes. */
    private static ImageDataset readCifar10(Path folder, String part, long maxValues) {
        try {
            long values = Files.size(folder.resolve(part));
            if (values > maxValues) {
                throw new DataFormatException("holds " + values + " values, more than the " + maxValues + " allowed");
            }
        } catch (IOException e) {
            throw new DataFormatException("is not readable (" + e.getClass().getSimpleName() + ")", e);
        }
        return Cifar10Files.read(folder, List.of(part));
    }

    private static ImageDataset readNpz(Path file, long maxValues) {
        try (InputStream in = Files.newInputStream(file)) {
            return Npz.read(in, maxValues);
        } catch (IOException e) {
            // A zip that ends early, or is no zip at all (the message names no server path: the file is the part).
            throw new DataFormatException("not a readable .npz file (" + e.getClass().getSimpleName()
                    + (e instanceof FileSystemException ? ")" : ": " + e.getMessage() + ")"), e);
        }
    }

    private Artifacts.Upload upload(DatasetManifest manifest, String split, ImageDataset data) {
        var metadata = DatasetArtifacts.metadataFor(FAMILY, split, data, manifest.getClassNames(), manifest.getName(),
                manifest.getFormat().getValue());
        return new Artifacts.Upload(DatasetArtifacts.KIND, manifest.getName() + "-" + split + ".npz", DatasetArtifacts.MEDIA_TYPE,
                json.writeValueAsString(metadata), out -> Npz.write(data, out));
    }

    private static DatasetImportSplit split(Artifact a, ImageDataset data) {
        return new DatasetImportSplit(a.id(), data.size(), a.sha256());
    }
}
