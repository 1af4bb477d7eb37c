package io.robustlab.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The database and artifact folder of a service under test (a {@code @SpringBootTest} of one
 * service). The database is dropped when the JVM exits rather than after the class: Spring keeps a
 * test's context (and so the service's polling workers) until it is closed, and a database dropped
 * under them fills the log with errors. Test classes that close their context after the class
 * ({@code @DirtiesContext}) stop polling before the drop.
 */
public final class ServiceTestDatabase {

    private ServiceTestDatabase() {
    }

    public static TestDatabase createDroppedAtExit() {
        TestDatabase db = TestDatabase.create();
        Runtime.getRuntime().addShutdownHook(new Thread(db::close));
        return db;
    }

    /** Points the service at {@code db} and at a fresh artifact folder named after {@code artifactsPrefix}. */
    public static void register(DynamicPropertyRegistry r, TestDatabase db, String artifactsPrefix) throws IOException {
        Path artifacts = Files.createTempDirectory(artifactsPrefix);
        r.add("spring.datasource.url", db::jdbcUrl);
        r.add("spring.datasource.username", db::username);
        r.add("spring.datasource.password", db::password);
        r.add("robustlab.artifacts.root", artifacts::toString);
    }
}
