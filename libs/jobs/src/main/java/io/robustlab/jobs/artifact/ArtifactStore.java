package io.robustlab.jobs.artifact;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Where artifact bytes live, addressed by their SHA-256. Writes are atomic: all of a blob or nothing. */
public interface ArtifactStore {

    /** Produces a blob's bytes into the stream it is given. */
    @FunctionalInterface
    interface BlobWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    record StoredBlob(String sha256, long size) {
    }

    StoredBlob write(BlobWriter writer) throws IOException;

    InputStream open(String sha256) throws IOException;
}
