package io.robustlab.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A fresh PostgreSQL database for one test class, dropped on {@link #close()}.
 *
 * <p>The server is, in order of preference: the one named by {@code ROBUSTLAB_TEST_PG_URL} (a JDBC
 * URL of a database the test may connect to as a role allowed to create databases), a Testcontainers
 * PostgreSQL when a Docker engine answers, or the local server at 127.0.0.1:5432 as user postgres.
 * Every test class works in a database of its own, so concurrent runs never collide.
 */
public final class TestDatabase implements AutoCloseable {

    private static final String DEFAULT_LOCAL_URL = "jdbc:postgresql://127.0.0.1:5432/postgres";
    private static final String DEFAULT_LOCAL_USER = "postgres";

    private static Server server;

    private final String name;
    private final String jdbcUrl;
    private HikariDataSource pool;

    private TestDatabase(String name, String jdbcUrl) {
        this.name = name;
        this.jdbcUrl = jdbcUrl;
    }

    public static TestDatabase create() {
        Server s = server();
        String name = "robustlab_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        s.execute("CREATE DATABASE " + name);
        return new TestDatabase(name, s.urlFor(name));
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String username() {
        return server().user();
    }

    public String password() {
        return server().password();
    }

    /** A small pool for test code; services under test build their own. */
    public synchronized HikariDataSource dataSource() {
        if (pool == null) {
            pool = newPool(20);
        }
        return pool;
    }

    public HikariDataSource newPool(int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setUsername(username());
        config.setPassword(password());
        config.setMaximumPoolSize(size);
        config.setPoolName(name + "-" + size);
        return new HikariDataSource(config);
    }

    @Override
    public synchronized void close() {
        if (pool != null) {
            pool.close();
        }
        server().execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private static synchronized Server server() {
        if (server == null) {
            server = Server.discover();
        }
        return server;
    }

    private record Server(String adminUrl, String user, String password) {

        static Server discover() {
            String url = System.getenv("ROBUSTLAB_TEST_PG_URL");
            if (url != null && !url.isBlank()) {
                return new Server(url, envOr("ROBUSTLAB_TEST_PG_USER", DEFAULT_LOCAL_USER), envOr("ROBUSTLAB_TEST_PG_PASSWORD", ""));
            }
            if (dockerMayRun() && DockerClientFactory.instance().isDockerAvailable()) {
                PostgreSQLContainer container = new PostgreSQLContainer("postgres:15-alpine");
                container.start();
                return new Server(container.getJdbcUrl(), container.getUsername(), container.getPassword());
            }
            return new Server(DEFAULT_LOCAL_URL, DEFAULT_LOCAL_USER, "");
        }

        /** Asking Testcontainers logs errors where no engine exists; look for a socket or DOCKER_HOST first. */
        private static boolean dockerMayRun() {
            return System.getenv("DOCKER_HOST") != null || java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/docker.sock"));
        }

        String urlFor(String database) {
            // Replace the database segment of jdbc:postgresql://host:port/db?params.
            int slash = adminUrl.indexOf('/', "jdbc:postgresql://".length());
            int query = adminUrl.indexOf('?', slash);
            String suffix = query < 0 ? "" : adminUrl.substring(query);
            return adminUrl.substring(0, slash + 1) + database + suffix;
        }

        void execute(String sql) {
            try (Connection c = DriverManager.getConnection(adminUrl, user, password);
                 Statement st = c.createStatement()) {
                st.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException("test database: '" + sql + "' failed on " + adminUrl
                        + " (set ROBUSTLAB_TEST_PG_URL to a server where this role may create databases): "
                        + e.getMessage().toLowerCase(Locale.ROOT), e);
            }
        }

        private static String envOr(String key, String fallback) {
            String v = System.getenv(key);
            return v == null || v.isBlank() ? fallback : v;
        }
    }
}
