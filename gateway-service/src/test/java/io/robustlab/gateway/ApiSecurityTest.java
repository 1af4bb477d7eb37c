package io.robustlab.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.robustlab.gateway.security.ApiTokens;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Issue 8, acceptance 1: API tokens and roles at the gateway, over real HTTP against a real
 * PostgreSQL. No token, a wrong or revoked token, a role too small for the call, an internal
 * endpoint asked from outside: each refused with its status and a problem naming Authorization.
 * The web layer logs at DEBUG here, and no secret may appear in anything the app printed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"robustlab.rescuer.interval=1h", GatewayTestDatabase.NO_ATTACK_SERVICE,
                "robustlab.security.submission-burst=5", "robustlab.security.submissions-per-minute=6",
                "logging.level.io.robustlab=DEBUG", "logging.level.org.springframework.web=DEBUG"})
@ExtendWith(OutputCaptureExtension.class)
class ApiSecurityTest {

    private static final String IMPORT = GatewayTestDatabase.IMPORT;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry r) {
        GatewayTestDatabase.register(r);
    }

    @LocalServerPort
    int port;
    @Autowired
    ApiTokens tokens;

    /** Every secret this test sent or received, checked against the captured output at the end of each test. */
    private final List<String> secrets = new ArrayList<>(List.of(GatewayTestDatabase.ADMIN_TOKEN));

    private Http admin() {
        return new Http(port);
    }

    /** A token issued by the admin through the API, and a client that sends it. */
    private record Holder(String name, String secret, Http http) {
    }

    /** A fresh token of the given role, made through the API by the admin. */
    private Holder tokenFor(String role) {
        String name = role + "-" + UUID.randomUUID().toString().substring(0, 8);
        Http.Reply r = admin().post("/api/v1/tokens", "{\"name\": \"" + name + "\", \"role\": \"" + role + "\"}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        String secret = r.json().get("secret").asString();
        assertThat(secret).startsWith("rl_").hasSize(46);
        secrets.add(secret);
        return new Holder(name, secret, new Http(port, secret));
    }

    private static void assertRefused(Http.Reply r, int status, String detailPart) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.json().at("/errors/0/field").asString()).isEqualTo("Authorization");
        assertThat(r.json().get("detail").asString()).contains(detailPart);
    }

    @Test
    void noTokenOrAWrongOneIsRefusedWith401AndABearerChallenge(CapturedOutput output) {
        Http none = new Http(port, null);
        for (Http.Reply r : List.of(none.get("/api/v1/jobs"), none.post("/api/v1/jobs", IMPORT), none.get("/api/v1/tokens"))) {
            assertRefused(r, 401, "API token is required");
            assertThat(r.raw().headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"robustlab\"");
        }
        String wrong = "rl_" + "A".repeat(43);
        secrets.add(wrong);
        Http.Reply r = new Http(port, wrong).post("/api/v1/jobs", IMPORT);
        assertRefused(r, 401, "unknown or revoked");
        assertThat(r.raw().headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"robustlab\", error=\"invalid_token\"");
        assertRefused(new Http(port, GatewayTestDatabase.ADMIN_TOKEN.toUpperCase()).get("/api/v1/jobs"), 401, "unknown or revoked");
        // Other spellings of an API path reach no handler without a token: refused, malformed or unknown.
        for (String path : List.of("/%61pi/v1/jobs", "/api;x=1/v1/jobs", "/api/v1/jobs/", "//api/v1/jobs", "/./api/v1/jobs",
                "/foo/../api/v1/jobs", "/api%2Fv1/jobs", "/API/v1/jobs", "/api/v1/jobs;.css", "/actuator/../api/v1/jobs")) {
            assertThat(none.get(path).status()).as(path).isIn(400, 401, 404);
        }
        // Outside /api nothing needs a token: health for probes, the contract for clients.
        assertThat(none.get("/actuator/health").status()).isEqualTo(200);
        assertThat(none.get("/openapi.yaml").status()).isEqualTo(200);
        assertNoSecretIn(output);
    }

    @Test
    void aReaderReadsButMayNotSubmitCancelOrManageTokens(CapturedOutput output) {
        Http reader = tokenFor("reader").http();
        UUID job = UUID.fromString(admin().post("/api/v1/jobs", IMPORT).json().get("id").asString());
        assertThat(reader.get("/api/v1/jobs/" + job).status()).isEqualTo(200);
        assertThat(reader.get("/api/v1/experiment-templates").status()).isEqualTo(200);
        assertRefused(reader.post("/api/v1/jobs", IMPORT), 403, "needs the role 'submitter'");
        assertRefused(reader.post("/api/v1/jobs/" + job + "/cancel", ""), 403, "needs the role 'submitter'");
        assertRefused(reader.post("/api/v1/experiments", "{\"template\": \"features-not-bugs\", \"preset\": \"smoke\"}"), 403, "submitter");
        assertRefused(reader.post("/api/v1/attacks", "{}"), 403, "submitter");
        assertRefused(reader.get("/api/v1/tokens"), 403, "needs the role 'admin'");
        assertThat(admin().get("/api/v1/jobs/" + job).json().get("state").asString()).as("the refused cancel changed nothing")
                .isEqualTo("QUEUED");
        assertNoSecretIn(output);
    }

    @Test
    void aSubmitterSubmitsAndCancelsButMayNotManageTokensByAnyPathSpelling(CapturedOutput output) {
        Http submitter = tokenFor("submitter").http();
        Http.Reply submitted = submitter.post("/api/v1/jobs", IMPORT);
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(201);
        assertThat(submitter.post("/api/v1/jobs/" + submitted.json().get("id").asString() + "/cancel", "").status()).isEqualTo(200);
        for (String path : List.of("/api/v1/tokens", "/api/v1/%74okens", "/api/v1//tokens", "/api/v1/tokens;x=1", "/api/v1/./tokens")) {
            Http.Reply r = submitter.post(path, "{\"name\": \"escalated\", \"role\": \"admin\"}");
            assertThat(r.status()).as(path + " " + r.body()).isIn(400, 403, 404, 429);
        }
        assertRefused(submitter.get("/api/v1/audit-events"), 403, "admin");
        assertThat(admin().get("/api/v1/tokens").json().findValuesAsString("name")).doesNotContain("escalated");
        assertNoSecretIn(output);
    }

    @Test
    void theAuditLogSaysWhoSubmittedAndCancelledWhat(CapturedOutput output) {
        Holder holder = tokenFor("submitter");
        Http submitter = holder.http();
        String name = holder.name();
        String job = submitter.post("/api/v1/jobs", IMPORT).json().get("id").asString();
        submitter.post("/api/v1/jobs/" + job + "/cancel", "");
        JsonNode events = admin().get("/api/v1/audit-events?actor=" + name).json();
        assertThat(events.get("totalItems").asLong()).isEqualTo(2);
        assertThat(events.at("/items/0/action").asString()).isEqualTo("job.cancel");
        assertThat(events.at("/items/1/action").asString()).isEqualTo("job.submit");
        assertThat(events.at("/items/1/detail").asString()).isEqualTo("dataset.import");
        for (JsonNode e : events.get("items")) {
            assertThat(e.get("target").asString()).isEqualTo(job);
            assertThat(e.get("actor").asString()).isEqualTo(name);
        }
        JsonNode tokenEvents = admin().get("/api/v1/audit-events?actor=bootstrap-admin&size=500").json();
        assertThat(tokenEvents.findValuesAsString("detail")).contains(name + " as submitter");
        assertThat(output.getAll()).contains("actor=" + name + " action=job.submit target=" + job);
        assertNoSecretIn(output);
    }

    @Test
    void tokensAreStoredHashedListedWithoutSecretsAndRevocable(CapturedOutput output) throws Exception {
        Holder holder = tokenFor("reader");
        Http reader = holder.http();
        String secret = holder.secret();
        JsonNode listed = admin().get("/api/v1/tokens").json();
        assertThat(listed.toString()).doesNotContain(secret);
        JsonNode mine = listed.findParents("name").stream().filter(t -> t.get("name").asString().equals(holder.name())).findFirst()
                .orElseThrow();
        assertThat(mine.get("hint").asString()).isEqualTo(secret.substring(0, 9));
        assertThat(mine.get("createdBy").asString()).isEqualTo("bootstrap-admin");
        try (var c = GatewayTestDatabase.DB.dataSource().getConnection();
             var rs = c.createStatement().executeQuery("SELECT encode(secret_hash, 'hex') FROM api_token")) {
            while (rs.next()) {
                assertThat(rs.getString(1)).as("a stored hash").hasSize(64).doesNotContain(secret);
            }
        }
        assertThat(admin().delete("/api/v1/tokens/" + mine.get("id").asString()).status()).isEqualTo(204);
        assertRefused(reader.get("/api/v1/jobs"), 401, "unknown or revoked");
        assertThat(admin().delete("/api/v1/tokens/" + UUID.randomUUID()).status()).isEqualTo(404);
        Http.Reply taken = admin().post("/api/v1/tokens", "{\"name\": \"bootstrap-admin\", \"role\": \"reader\"}");
        assertThat(taken.status()).isEqualTo(400);
        assertThat(taken.json().at("/errors/0/field").asString()).isEqualTo("name");
        assertNoSecretIn(output);
    }

    @Test
    void anAdminRevokesEveryShareLinkAtOnceWhileTheTokensThatMadeThemStayLive(CapturedOutput output) {
        Http reader = tokenFor("reader").http();
        Http.Reply created = tokenFor("submitter").http().post("/api/v1/experiments", "{\"template\": \"features-not-bugs\", \"preset\": \"smoke\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String experiment = "/api/v1/experiments/" + created.json().get("id").asString();
        Http browser = new Http(port, null);
        String before = shareLink(reader, experiment);
        Http.Reply page = browser.get(before);
        assertThat(page.status()).as("a link before the revocation").isEqualTo(200);
        assertThat(page.raw().headers().firstValue("Cache-Control")).as("kept by no cache past a revocation").hasValue("no-store");
        assertThat(page.raw().headers().firstValue("Referrer-Policy")).as("the link leaks to no other site").hasValue("no-referrer");

        assertRefused(reader.delete("/api/v1/share-links"), 403, "needs the role 'admin'");
        assertRefused(tokenFor("submitter").http().delete("/api/v1/share-links"), 403, "needs the role 'admin'");
        assertThat(browser.get(before).status()).as("the link after refused revocations").isEqualTo(200);
        assertThat(admin().delete("/api/v1/share-links").status()).isEqualTo(204);

        Http.Reply refused = browser.get(before);
        assertThat(refused.status()).as(refused.body()).isEqualTo(403);
        assertThat(refused.json().get("detail").asString()).contains("signature does not match");
        assertThat(reader.get(experiment).status()).as("the token that made the link").isEqualTo(200);
        String after = shareLink(reader, experiment);
        assertThat(browser.get(after).status()).as("a link made after the revocation").isEqualTo(200);
        JsonNode events = admin().get("/api/v1/audit-events?actor=bootstrap-admin&size=5").json();
        assertThat(events.findValuesAsString("action")).contains("share-links.revoke-all");
        assertNoSecretIn(output);
    }

    /** A share link of the experiment's report made by {@code maker}: its path and query on the gateway. */
    private static String shareLink(Http maker, String experiment) {
        Http.Reply r = maker.post(experiment + "/share-links", "{}");
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        URI url = URI.create(r.json().get("url").asString());
        return url.getRawPath() + "?" + url.getRawQuery();
    }

    @Test
    void aChangedBootstrapSecretRevokesTheOldOneAndARevokedOneStaysRevoked() {
        // As gateways started with the configured secret first, then second, then first again.
        String first = "rl_first-" + UUID.randomUUID();
        String second = "rl_second-" + UUID.randomUUID();
        assertThat(tokens.bootstrap("rotation-test", first)).isTrue();
        assertThat(tokens.bootstrap("rotation-test", first)).isTrue();
        assertThat(new Http(port, first).get("/api/v1/tokens").status()).isEqualTo(200);
        assertThat(tokens.bootstrap("rotation-test", second)).isTrue();
        assertThat(new Http(port, first).get("/api/v1/tokens").status()).isEqualTo(401);
        assertThat(new Http(port, second).get("/api/v1/tokens").status()).isEqualTo(200);
        assertThat(tokens.bootstrap("rotation-test", first)).as("the configured secret is live").isFalse();
        assertThat(new Http(port, first).get("/api/v1/tokens").status()).as("a restart never revives a revoked secret").isEqualTo(401);
        assertThat(new Http(port, second).get("/api/v1/tokens").status()).as("nor keeps one no longer configured").isEqualTo(401);
        assertThat(admin().get("/api/v1/tokens").json().findParents("name").stream()
                .filter(t -> t.get("name").asString().equals("rotation-test"))).hasSize(2).allMatch(t -> t.has("revokedAt"));
    }

    @Test
    void submissionsOverATokensRateGet429WithRetryAfterAndOtherTokensAreUnaffected(CapturedOutput output) {
        Http eager = tokenFor("submitter").http();
        List<Integer> statuses = new ArrayList<>();
        Http.Reply last = null;
        for (int i = 0; i < 8; i++) {
            last = eager.post("/api/v1/jobs", "{\"type\": \"nope\", \"spec\": {}}");
            statuses.add(last.status());
        }
        // A burst of 5, refilled at one every 10 s: the first five reach validation (400), then 429.
        assertThat(statuses).containsExactly(400, 400, 400, 400, 400, 429, 429, 429);
        assertRefused(last, 429, "over its submission rate");
        assertThat(Integer.parseInt(last.raw().headers().firstValue("Retry-After").orElseThrow())).isBetween(1, 10);
        assertThat(eager.get("/api/v1/jobs").status()).as("reads are not rate-limited").isEqualTo(200);
        assertThat(tokenFor("submitter").http().post("/api/v1/jobs", IMPORT).status()).isEqualTo(201);
        assertNoSecretIn(output);
    }

    @Test
    void internalEndpointsAreNotReachableThroughTheGateway() {
        Http none = new Http(port, null);
        // The gateway routes no /internal path: the service-credential guard answers before any handler.
        assertThat(none.post("/internal/v1/attacks", "{}").status()).isIn(401, 403);
        assertThat(admin().post("/internal/v1/attacks", "{}").status()).as("a user's token is no service credential").isIn(401, 403);
    }

    private void assertNoSecretIn(CapturedOutput output) {
        String printed = output.getAll();
        assertThat(printed).as("the app logged at DEBUG while this test ran").contains("DEBUG");
        for (String secret : secrets) {
            assertThat(printed).as("a secret in the log").doesNotContain(secret).doesNotContain(secret.substring(3));
        }
    }
}
