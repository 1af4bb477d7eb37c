package io.robustlab.jobs.artifact;

import io.robustlab.jobs.JobStoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The artifact catalogue over a blob store. An artifact's id is derived from its producing job and
 * name, so a job that is run again after a crash re-registers the same artifact instead of a copy.
 */
public final class Artifacts {

    private final DataSource dataSource;
    private final ArtifactStore store;

    public Artifacts(DataSource dataSource, ArtifactStore store) {
        this.dataSource = dataSource;
        this.store = store;
    }

    /** Writes the bytes, then catalogues them; if the write fails, nothing is catalogued. */
    public Artifact save(UUID jobId, String kind, String name, String mediaType, String metadataJson,
                         ArtifactStore.BlobWriter writer) throws IOException {
        return save(idFor(jobId, name), jobId, kind, name, mediaType, metadataJson, writer);
    }

    /** An artifact no job made (an upload): a new id each time, no producing job. */
    public Artifact saveUpload(String kind, String name, String mediaType, String metadataJson, ArtifactStore.BlobWriter writer)
            throws IOException {
        return save(UUID.randomUUID(), null, kind, name, mediaType, metadataJson, writer);
    }

    /** One artifact of an upload that is catalogued with others ({@link #saveUploads}). */
    public record Upload(String kind, String name, String mediaType, String metadataJson, ArtifactStore.BlobWriter writer) {
    }

    /**
     * Artifacts no job made that belong together (a data set's splits): every blob is written first,
     * then all are catalogued in one transaction, so a reader finds all of them or none.
     */
    public List<Artifact> saveUploads(List<Upload> uploads) throws IOException {
        List<ArtifactStore.StoredBlob> blobs = new ArrayList<>();
        for (Upload u : uploads) {
            blobs.add(store.write(u.writer()));
        }
        List<UUID> ids = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                for (int i = 0; i < uploads.size(); i++) {
                    Upload u = uploads.get(i);
                    UUID id = UUID.randomUUID();
                    insert(c, id, null, u.kind(), u.name(), u.mediaType(), u.metadataJson(), blobs.get(i));
                    ids.add(id);
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new JobStoreException(e);
        }
        return ids.stream().map(id -> find(id).orElseThrow()).toList();
    }

    private Artifact save(UUID id, UUID jobId, String kind, String name, String mediaType, String metadataJson,
                          ArtifactStore.BlobWriter writer) throws IOException {
        ArtifactStore.StoredBlob blob = store.write(writer);
        try (Connection c = dataSource.getConnection()) {
            insert(c, id, jobId, kind, name, mediaType, metadataJson, blob);
        } catch (SQLException e) {
            throw new JobStoreException(e);
        }
        return find(id).orElseThrow();
    }

    private static void insert(Connection c, UUID id, UUID jobId, String kind, String name, String mediaType, String metadataJson,
                               ArtifactStore.StoredBlob blob) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO artifact (id, kind, name, media_type, size_bytes, sha256, job_id, metadata)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb)"
                        + " ON CONFLICT (id) DO UPDATE SET size_bytes = EXCLUDED.size_bytes, sha256 = EXCLUDED.sha256,"
                        + " metadata = EXCLUDED.metadata, media_type = EXCLUDED.media_type, kind = EXCLUDED.kind")) {
            ps.setObject(1, id);
            ps.setString(2, kind);
            ps.setString(3, name);
            ps.setString(4, mediaType);
            ps.setLong(5, blob.size());
            ps.setString(6, blob.sha256());
            ps.setObject(7, jobId);
            ps.setString(8, metadataJson == null ? "{}" : metadataJson);
            ps.executeUpdate();
        }
    }

    public static UUID idFor(UUID jobId, String name) {
        return UUID.nameUUIDFromBytes((jobId + "/" + name).getBytes(StandardCharsets.UTF_8));
    }

    public Optional<Artifact> find(UUID id) {
        List<Artifact> found = query("SELECT * FROM artifact WHERE id = ?", id);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    public List<Artifact> producedBy(UUID jobId) {
        return query("SELECT * FROM artifact WHERE job_id = ? ORDER BY created_at, name", jobId);
    }

    public InputStream open(Artifact artifact) throws IOException {
        return store.open(artifact.sha256());
    }

    private List<Artifact> query(String sql, Object param) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, param);
            List<Artifact> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Artifact(rs.getObject("id", UUID.class), rs.getString("kind"), rs.getString("name"),
                            rs.getString("media_type"), rs.getLong("size_bytes"), rs.getString("sha256"),
                            rs.getObject("job_id", UUID.class), rs.getString("metadata"),
                            rs.getObject("created_at", OffsetDateTime.class).toInstant()));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new JobStoreException(e);
        }
    }
}
