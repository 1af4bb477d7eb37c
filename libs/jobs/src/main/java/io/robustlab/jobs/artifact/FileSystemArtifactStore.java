package io.robustlab.jobs.artifact;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Content-addressed files under a root shared by all services: {@code blobs/ab/abcdef...}. A blob is
 * written to {@code tmp/}, forced to disk, then renamed into place, so readers never see part of one;
 * a failed write (a full disk) leaves nothing behind.
 */
public final class FileSystemArtifactStore implements ArtifactStore {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final Path blobs;
    private final Path tmp;

    public FileSystemArtifactStore(Path root) throws IOException {
        this.blobs = Files.createDirectories(root.resolve("blobs"));
        this.tmp = Files.createDirectories(root.resolve("tmp"));
    }

    @Override
    public StoredBlob write(BlobWriter writer) throws IOException {
        Path part = tmp.resolve(UUID.randomUUID() + ".part");
        try {
            MessageDigest sha = sha256();
            long size;
            try (FileChannel channel = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                CountingStream counted = new CountingStream(new DigestOutputStream(
                        new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16), sha));
                writer.writeTo(counted);
                counted.flush();
                channel.force(true);
                size = counted.count;
            }
            String hash = HexFormat.of().formatHex(sha.digest());
            Path target = pathOf(hash);
            Files.createDirectories(target.getParent());
            try {
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException sameContent) {
                // Another writer stored identical bytes first; content addressing makes ours redundant.
            }
            return new StoredBlob(hash, size);
        } finally {
            Files.deleteIfExists(part);
        }
    }

    @Override
    public InputStream open(String sha256) throws IOException {
        return Files.newInputStream(pathOf(sha256));
    }

    private Path pathOf(String sha256) {
        if (!SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("not a SHA-256 hex digest: " + sha256);
        }
        return blobs.resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Counts bytes on their way to the file; writes the underlying stream in bulk. */
    private static final class CountingStream extends java.io.FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
