package io.robustlab.gateway;

import io.robustlab.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.test.context.DynamicPropertyRegistry;

/** One database and artifact root for the gateway's full-stack tests; Spring's context cache keeps one app for all. */
final class GatewayTestDatabase {

    static final TestDatabase DB = TestDatabase.create();
    /** Port 9 (discard) is closed here: the gateway's tests see attack-service as down. */
    static final String NO_ATTACK_SERVICE = "robustlab.services.attack-url=http://127.0.0.1:9";
    static final Path ARTIFACTS = createTempDir();
    /** The only folder dataset imports may read in these tests (robustlab.data.roots), with one dataset folder in it. */
    static final Path DATA = createTempDir();
    static final String DATA_FOLDER = "cifar";
    /** A valid job submission (a Fashion-MNIST import) that the tests submit where any job will do. */
    static final String IMPORT = "{\"type\": \"dataset.import\", \"spec\": {\"dataset\": \"fashion-mnist\"}}";
    /** The gateway's bootstrap admin token in these tests; {@link Http} sends it unless told otherwise. */
    static final String ADMIN_TOKEN = "rl_test-admin-" + java.util.UUID.randomUUID();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(DB::close));
    }

    private GatewayTestDatabase() {
    }

    static void register(DynamicPropertyRegistry r) {
        r.add("spring.datasource.url", DB::jdbcUrl);
        r.add("spring.datasource.username", DB::username);
        r.add("spring.datasource.password", DB::password);
        r.add("robustlab.artifacts.root", ARTIFACTS::toString);
        r.add("robustlab.data.roots", DATA::toString);
        r.add("robustlab.security.bootstrap-admin-token", () -> ADMIN_TOKEN);
    }

    private static Path createTempDir() {
        try {
            Path dir = Files.createTempDirectory("robustlab-gateway");
            Files.createDirectories(dir.resolve(DATA_FOLDER));
            return dir;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
