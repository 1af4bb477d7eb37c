package io.robustlab.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A submission and its audit row commit together or not at all. A trigger kills the gateway's own
 * database session at the moment the audit row is written, after the job (or experiment) row is in:
 * nothing of the submission may survive, and the next submission works.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"robustlab.rescuer.interval=1h", GatewayTestDatabase.NO_ATTACK_SERVICE})
class SubmissionAuditTransactionTest {

    /** Submissions carrying this mark (as idempotency key or experiment name) die between their two writes. */
    private static final String DOOMED = "killed-between-job-and-audit";

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry r) {
        GatewayTestDatabase.register(r);
    }

    @LocalServerPort
    int port;
    @Autowired
    DataSource dataSource;
    Http http;
    JdbcClient db;

    @BeforeEach
    void killTheSessionThatAuditsADoomedSubmission() {
        http = new Http(port);
        db = JdbcClient.create(dataSource);
        // Inside the gateway's transaction the new job or experiment row is visible to the trigger.
        db.sql("""
                CREATE OR REPLACE FUNCTION kill_doomed_submission() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF EXISTS (SELECT 1 FROM job WHERE id::text = NEW.target AND idempotency_key = '%1$s')
                     OR EXISTS (SELECT 1 FROM experiment WHERE id::text = NEW.target AND name = '%1$s') THEN
                    PERFORM pg_terminate_backend(pg_backend_pid());
                  END IF;
                  RETURN NEW;
                END $$""".formatted(DOOMED)).update();
        db.sql("CREATE TRIGGER kill_doomed_submission BEFORE INSERT ON audit_event FOR EACH ROW EXECUTE FUNCTION kill_doomed_submission()")
                .update();
    }

    @AfterEach
    void dropTheTrigger() {
        db.sql("DROP TRIGGER IF EXISTS kill_doomed_submission ON audit_event").update();
    }

    @Test
    void aJobSubmissionKilledBeforeItsAuditRowLeavesNoJob() {
        Http.Reply killed = http.post("/api/v1/jobs", "{\"type\": \"dataset.import\", \"spec\": {\"dataset\": \"fashion-mnist\"},"
                + " \"idempotencyKey\": \"" + DOOMED + "\"}");
        assertThat(killed.status()).as(killed.body()).isGreaterThanOrEqualTo(500);
        assertThat(count("SELECT count(*) FROM job WHERE idempotency_key = ?", DOOMED)).as("the job rolled back with its audit row").isZero();

        Http.Reply ok = http.post("/api/v1/jobs", "{\"type\": \"dataset.import\", \"spec\": {\"dataset\": \"fashion-mnist\"},"
                + " \"idempotencyKey\": \"" + UUID.randomUUID() + "\"}");
        assertThat(ok.status()).as(ok.body()).isEqualTo(201);
        String id = ok.json().get("id").asString();
        assertThat(count("SELECT count(*) FROM audit_event WHERE action = 'job.submit' AND target = ?", id)).isEqualTo(1);
    }

    @Test
    void anExperimentKilledBeforeItsAuditRowLeavesNoExperimentAndNoJob() {
        long jobsBefore = count("SELECT count(*) FROM job", null);
        Http.Reply killed = http.post("/api/v1/experiments", "{\"template\": \"features-not-bugs\", \"preset\": \"smoke\","
                + " \"useCache\": false, \"name\": \"" + DOOMED + "\"}");
        assertThat(killed.status()).as(killed.body()).isGreaterThanOrEqualTo(500);
        assertThat(count("SELECT count(*) FROM experiment WHERE name = ?", DOOMED)).isZero();
        assertThat(count("SELECT count(*) FROM job", null)).as("no job of an experiment that does not exist").isEqualTo(jobsBefore);

        Http.Reply ok = http.post("/api/v1/experiments", "{\"template\": \"features-not-bugs\", \"preset\": \"smoke\","
                + " \"useCache\": false, \"name\": \"survives\"}");
        assertThat(ok.status()).as(ok.body()).isEqualTo(201);
        String id = ok.json().get("id").asString();
        assertThat(count("SELECT count(*) FROM audit_event WHERE action = 'experiment.create' AND target = ?", id)).isEqualTo(1);
        http.post("/api/v1/experiments/" + id + "/cancel", "");
    }

    private long count(String sql, String parameter) {
        var statement = db.sql(sql);
        return (parameter == null ? statement : statement.param(parameter)).query(Long.class).single();
    }
}
