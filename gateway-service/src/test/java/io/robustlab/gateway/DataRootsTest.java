package io.robustlab.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Dataset imports read only folders under the configured data roots (issue 17, acceptance 3): an
 * absolute path outside, a {@code ..} out of a root and a symlink in a root pointing out are each a
 * 400 that names the setting and no server path, and no job is created; a folder inside is accepted.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"robustlab.rescuer.interval=1h", GatewayTestDatabase.NO_ATTACK_SERVICE})
class DataRootsTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry r) {
        GatewayTestDatabase.register(r);
    }

    @LocalServerPort
    int port;
    @Autowired
    DataSource dataSource;

    @BeforeAll
    static void aLinkInTheRootThatPointsOut() throws Exception {
        Path link = GatewayTestDatabase.DATA.resolve("escape");
        if (!Files.exists(link)) {
            Files.createSymbolicLink(link, Path.of("/etc"));
        }
    }

    private Http.Reply importFrom(String directory) {
        return new Http(port).post("/api/v1/jobs", "{\"type\": \"dataset.import\", \"spec\": {\"dataset\": \"npz\", \"directory\": \""
                + directory + "\"}}");
    }

    private long jobs() {
        return JdbcClient.create(dataSource).sql("SELECT count(*) FROM job").query(Long.class).single();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/etc", "/root", "../../../", "cifar/../../..", "escape", "/no/such/folder/anywhere"})
    void aFolderOutsideTheRootsIsA400NamingTheSettingAndNoJob(String directory) {
        long before = jobs();
        Http.Reply r = importFrom(directory);
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.contentType()).startsWith("application/problem+json");
        JsonNode error = r.json().get("errors").get(0);
        assertThat(error.get("field").asString()).isEqualTo("spec.directory");
        assertThat(error.get("message").asString()).contains("robustlab.data.roots").doesNotContain("/etc", "/root", "/tmp",
                GatewayTestDatabase.DATA.toString());
        assertThat(jobs()).as("no job created").isEqualTo(before);
    }

    @Test
    void aFolderInsideTheRootsIsAccepted() {
        assertThat(importFrom(GatewayTestDatabase.DATA_FOLDER).status()).isEqualTo(201);
        assertThat(importFrom(GatewayTestDatabase.DATA.resolve(GatewayTestDatabase.DATA_FOLDER).toString()).status()).isIn(200, 201);
    }

    @Test
    void anExperimentsDataDirectoryOutsideTheRootsIsA400AndNoExperiment() {
        Http.Reply r = new Http(port).post("/api/v1/experiments", "{\"template\": \"features-not-bugs\", \"preset\": \"smoke\","
                + " \"parameters\": {\"dataset\": \"cifar10\", \"dataDirectory\": \"/etc\"}, \"name\": \"outside\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().get("errors").get(0).get("field").asString()).isEqualTo("parameters.dataDirectory");
        assertThat(r.body()).contains("robustlab.data.roots").doesNotContain("/etc");
        assertThat(JdbcClient.create(dataSource).sql("SELECT count(*) FROM experiment WHERE name = 'outside'").query(Long.class).single())
                .isZero();
    }
}
