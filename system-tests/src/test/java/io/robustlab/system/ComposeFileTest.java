package io.robustlab.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Acceptance 6 of issue 2. No Docker engine runs here, so instead of starting the stack this test
 * checks what compose would need: every service it builds is a module of the build with a
 * Dockerfile, the services get the database and artifact volume, Prometheus scrapes all five, and
 * Grafana gets its provisioning. No secret is written in the file.
 */
class ComposeFileTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> yaml(Path file) throws IOException {
        return new Yaml().load(Files.readString(file));
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyServiceComposeBuildsIsAModuleWithADockerfile() throws IOException {
        Map<String, Object> services = (Map<String, Object>) yaml(Repo.ROOT.resolve("docker-compose.yml")).get("services");
        assertThat(services).containsKeys("postgres", "prometheus", "grafana");
        assertThat(services).containsKeys(Repo.SERVICES.toArray(String[]::new));
        String parentPom = Files.readString(Repo.ROOT.resolve("pom.xml"));

        for (String name : Repo.SERVICES) {
            Map<String, Object> service = (Map<String, Object>) services.get(name);
            Path context = Repo.ROOT.resolve((String) service.get("build")).normalize();
            assertThat(parentPom).as(name + " is a module").contains("<module>" + context.getFileName() + "</module>");
            assertThat(context.resolve("pom.xml")).as(name).exists();
            assertThat(context.resolve("Dockerfile")).as(name).exists();
            assertThat(Files.readString(context.resolve("Dockerfile"))).contains("target/" + name + ".jar");

            Map<String, Object> env = (Map<String, Object>) service.get("environment");
            assertThat(env).as(name).containsKeys("ROBUSTLAB_DB_URL", "ROBUSTLAB_DB_USER", "ROBUSTLAB_DB_PASSWORD", "ROBUSTLAB_ARTIFACTS");
            assertThat((String) env.get("ROBUSTLAB_DB_PASSWORD")).as("no password in the file").startsWith("${");
            assertThat((String) env.get("ROBUSTLAB_SERVICE_TOKEN")).as("no service credential in the file").startsWith("${");
            assertThat((List<String>) service.get("volumes")).as(name).anyMatch(v -> v.startsWith("artifacts:"));
            assertThat(((Map<String, Object>) service.get("depends_on"))).as(name).containsKey("postgres");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void prometheusScrapesAllFiveServicesAndGrafanaIsProvisioned() throws IOException {
        Map<String, Object> compose = yaml(Repo.ROOT.resolve("docker-compose.yml"));
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        List<String> promVolumes = (List<String>) ((Map<String, Object>) services.get("prometheus")).get("volumes");
        Path promConfig = Repo.ROOT.resolve(promVolumes.get(0).split(":")[0]).normalize();
        Map<String, Object> scrape = ((List<Map<String, Object>>) yaml(promConfig).get("scrape_configs")).get(0);
        assertThat(scrape.get("metrics_path")).isEqualTo("/actuator/prometheus");
        List<String> targets = (List<String>) ((List<Map<String, Object>>) scrape.get("static_configs")).get(0).get("targets");
        for (String name : Repo.SERVICES) {
            String port = Files.readString(Repo.ROOT.resolve(name).resolve("src/main/resources/application.yml"))
                    .replaceAll("(?s).*\\$\\{PORT:(\\d+)}.*", "$1");
            assertThat(targets).as("scrape target of " + name).contains(name + ":" + port);
        }

        List<String> grafanaVolumes = (List<String>) ((Map<String, Object>) services.get("grafana")).get("volumes");
        for (String volume : grafanaVolumes) {
            assertThat(Repo.ROOT.resolve(volume.split(":")[0]).normalize()).as(volume).isDirectory();
        }
        assertThat(Repo.ROOT.resolve("deploy/grafana/provisioning/datasources/prometheus.yml")).exists();
        try (var dashboards = Files.list(Repo.ROOT.resolve("deploy/grafana/dashboards"))) {
            assertThat(dashboards.filter(p -> p.toString().endsWith(".json"))).isNotEmpty();
        }
    }
}
