package io.robustlab.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import io.robustlab.api.jobtypes.JobTypeCatalog;
import io.robustlab.api.jobtypes.JobTypeDefinition;
import io.robustlab.jobs.JobsSchema;
import io.robustlab.testing.TestDatabase;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, acceptance 5: deploy/k8s renders (base, GPU overlay, in-cluster PostgreSQL) and every
 * object in it is valid. Core objects go through the validators generated into the official
 * Kubernetes Java client's models (unknown or misspelt fields and missing required ones fail);
 * KEDA's objects are checked field by field against what its PostgreSQL scaler reads. Every name
 * an object refers to exists, and every autoscaling query runs on the real schema and counts each
 * job type for exactly the service that runs it.
 */
class KubernetesManifestsTest {

    private static final Path K8S = Repo.ROOT.resolve("deploy/k8s");
    private static final Gson GSON = new Gson();
    /** Created by the operator (docs/deploy.md), never written in the repository. */
    private static final Set<String> EXTERNAL_SECRETS = Set.of("robustlab-db", "robustlab-service");
    private static final Set<String> SCALED_OBJECT_SPEC =
            Set.of("scaleTargetRef", "minReplicaCount", "maxReplicaCount", "pollingInterval", "cooldownPeriod", "triggers");
    private static final Set<String> POSTGRES_TRIGGER_METADATA = Set.of("query", "targetQueryValue", "activationTargetQueryValue");

    @Test
    void everyObjectOfEveryKustomizationIsAValidKubernetesObject() {
        for (String variant : List.of("base", "gpu", "postgres")) {
            List<Map<String, Object>> objects = Kustomization.render(K8S.resolve(variant));
            assertThat(objects).as(variant).isNotEmpty();
            for (Map<String, Object> o : objects) {
                if (o.get("apiVersion").toString().startsWith("keda.sh/")) {
                    continue; // no published Java model; checked by theAutoscalers... below
                }
                validate(o);
            }
        }
    }

    /** Where kubectl is installed, its kustomize must render exactly what this test checks. */
    @Test
    void kubectlKustomizeRendersTheSameObjects() throws Exception {
        Path kubectl = Stream.of(System.getenv("PATH").split(":")).map(p -> Path.of(p, "kubectl")).filter(Files::isExecutable)
                .findFirst().orElse(null);
        Assumptions.assumeTrue(kubectl != null, "kubectl is not installed");
        for (String variant : List.of("base", "gpu", "postgres")) {
            Process p = new ProcessBuilder(kubectl.toString(), "kustomize", K8S.resolve(variant).toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(p.waitFor()).as(out).isZero();
            List<Object> theirs = new ArrayList<>();
            new org.yaml.snakeyaml.Yaml().loadAll(out).forEach(theirs::add);
            assertThat(theirs).as(variant).containsExactlyInAnyOrderElementsOf(Kustomization.render(K8S.resolve(variant)));
        }
    }

    @Test
    void theValidatorRejectsAMisspeltField() {
        Map<String, Object> deployment = find(Kustomization.render(K8S.resolve("base")), "Deployment", "training-service");
        @SuppressWarnings("unchecked")
        Map<String, Object> spec = (Map<String, Object>) deployment.get("spec");
        spec.put("replica", 2);
        assertThatThrownBy(() -> validate(deployment)).hasMessageContaining("replica");
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyNameAnObjectRefersToExists() {
        for (String variant : List.of("base", "gpu")) {
            List<Map<String, Object>> objects = Kustomization.render(K8S.resolve(variant));
            for (Map<String, Object> d : ofKind(objects, "Deployment")) {
                String name = name(d);
                Map<String, Object> pod = (Map<String, Object>) ((Map<String, Object>) d.get("spec")).get("template");
                String json = GSON.toJson(pod);
                for (String cm : refs(json, "configMapRef")) {
                    assertThat(names(objects, "ConfigMap")).as(name + " config map").contains(cm);
                }
                for (String secret : refs(json, "secretKeyRef")) {
                    assertThat(EXTERNAL_SECRETS).as(name + " secret").contains(secret);
                }
                for (String claim : claims(pod)) {
                    assertThat(names(objects, "PersistentVolumeClaim")).as(name + " volume claim").contains(claim);
                }
                assertThat(names(objects, "Service")).as("a Service for " + name).contains(name);
                assertThat(Kustomization.metadata(d).get("namespace")).isEqualTo("robustlab");
            }
            for (Map<String, Object> ingress : ofKind(objects, "Ingress")) {
                for (String backend : refs(GSON.toJson(ingress), "service")) {
                    assertThat(backend).as("the only public backend").isEqualTo("gateway-service");
                }
            }
            for (Map<String, Object> scaled : ofKind(objects, "ScaledObject")) {
                Map<String, Object> spec = (Map<String, Object>) scaled.get("spec");
                assertThat(SCALED_OBJECT_SPEC).as(name(scaled)).containsAll(spec.keySet());
                assertThat(names(objects, "Deployment")).contains((String) ((Map<String, Object>) spec.get("scaleTargetRef")).get("name"));
                for (Map<String, Object> trigger : (List<Map<String, Object>>) spec.get("triggers")) {
                    assertThat(trigger.get("type")).isEqualTo("postgresql");
                    Map<String, Object> metadata = (Map<String, Object>) trigger.get("metadata");
                    assertThat(POSTGRES_TRIGGER_METADATA).containsAll(metadata.keySet());
                    assertThat(metadata.get("targetQueryValue")).as("KEDA reads metadata as strings").isInstanceOf(String.class);
                    String auth = (String) ((Map<String, Object>) trigger.get("authenticationRef")).get("name");
                    assertThat(names(objects, "TriggerAuthentication")).contains(auth);
                }
            }
            for (Map<String, Object> auth : ofKind(objects, "TriggerAuthentication")) {
                for (Map<String, Object> ref : (List<Map<String, Object>>) ((Map<String, Object>) auth.get("spec")).get("secretTargetRef")) {
                    assertThat(ref.keySet()).containsExactlyInAnyOrder("parameter", "name", "key");
                    assertThat(ref.get("parameter")).isEqualTo("connection");
                    assertThat(ref.get("name")).isEqualTo("robustlab-db");
                }
            }
            // Every worker is autoscaled; the gateway is not a worker.
            Set<String> workers = ofKind(objects, "Deployment").stream()
                    .filter(d -> "worker".equals(labels(d).get("robustlab.io/role"))).map(KubernetesManifestsTest::name)
                    .collect(Collectors.toSet());
            assertThat(workers).containsExactlyInAnyOrder("training-service", "attack-service", "dataset-service", "eval-service");
            assertThat(names(objects, "ScaledObject")).containsExactlyInAnyOrderElementsOf(workers);
        }
    }

    @Test
    void theGpuOverlayGivesEveryWorkerAGpuOnAGpuNodeAndTheCudaImage() {
        List<Map<String, Object>> base = Kustomization.render(K8S.resolve("base"));
        List<Map<String, Object>> gpu = Kustomization.render(K8S.resolve("gpu"));
        for (Map<String, Object> d : ofKind(gpu, "Deployment")) {
            String name = name(d);
            String json = GSON.toJson(d);
            Map<String, Object> container = Kustomization.containers(d).get(0);
            if ("worker".equals(labels(d).get("robustlab.io/role"))) {
                assertThat(container.get("image")).isEqualTo("robustlab/" + name + ":0.1.0-cuda");
                assertThat(json).contains("\"nvidia.com/gpu\":\"1\"", "\"nodeSelector\":{\"nvidia.com/gpu.present\":\"true\"}");
            } else {
                assertThat(json).as(name + " is unchanged").isEqualTo(GSON.toJson(find(base, "Deployment", name)));
            }
        }
        assertThat(GSON.toJson(base)).doesNotContain("nvidia.com/gpu");
    }

    @Test
    void everyImageIsBuiltByADockerfileOfItsModule() throws Exception {
        for (String variant : List.of("base", "gpu")) {
            for (Map<String, Object> d : ofKind(Kustomization.render(K8S.resolve(variant)), "Deployment")) {
                String image = (String) Kustomization.containers(d).get(0).get("image");
                String module = image.substring("robustlab/".length(), image.indexOf(':'));
                Path dockerfile = Repo.ROOT.resolve(module).resolve(image.endsWith("-cuda") ? "Dockerfile.cuda" : "Dockerfile");
                assertThat(dockerfile).as(image).exists();
                assertThat(Files.readString(dockerfile)).contains("target/" + module + ".jar");
            }
        }
        assertThat(Files.readString(Repo.ROOT.resolve("training-service/Dockerfile.cuda"))).contains("nvidia/cuda");
    }

    /**
     * Each autoscaler's query, run as KEDA runs it, counts for its service the jobs that are running
     * or queued and due, and nothing else: not blocked, finished or delayed jobs, nor another
     * service's.
     */
    @Test
    @SuppressWarnings("unchecked")
    void theAutoscalerQueriesCountEachServicesRunnableJobsOnTheRealSchema() throws Exception {
        Map<String, String> serviceOfType = new HashMap<>();
        for (JobTypeDefinition t : JobTypeCatalog.ALL) {
            serviceOfType.put(t.name(), t.service());
        }
        try (TestDatabase db = TestDatabase.create()) {
            JobsSchema.migrate(db.dataSource());
            Map<String, Integer> expected = new HashMap<>();
            try (Connection c = db.dataSource().getConnection()) {
                for (Map.Entry<String, String> e : serviceOfType.entrySet()) {
                    insert(c, e.getKey(), "QUEUED", "now() - interval '1 second'", null);
                    insert(c, e.getKey(), "RUNNING", "now() - interval '1 minute'", "worker-1");
                    insert(c, e.getKey(), "QUEUED", "now() + interval '1 hour'", null); // waiting out a retry backoff
                    insert(c, e.getKey(), "BLOCKED", "now()", null);
                    insert(c, e.getKey(), "SUCCEEDED", "now()", null);
                    insert(c, e.getKey(), "FAILED", "now()", null);
                    expected.merge(e.getValue(), 2, Integer::sum);
                }
                List<Map<String, Object>> scaled = ofKind(Kustomization.render(K8S.resolve("base")), "ScaledObject");
                Map<String, Integer> counted = new HashMap<>();
                for (Map<String, Object> s : scaled) {
                    Map<String, Object> spec = (Map<String, Object>) s.get("spec");
                    String target = (String) ((Map<String, Object>) spec.get("scaleTargetRef")).get("name");
                    String query = (String) ((Map<String, Object>) ((List<Map<String, Object>>) spec.get("triggers")).get(0).get("metadata"))
                            .get("query");
                    try (PreparedStatement st = c.prepareStatement(query); ResultSet rs = st.executeQuery()) {
                        assertThat(rs.next()).isTrue();
                        counted.put(target, rs.getInt(1));
                    }
                }
                expected.remove("gateway-service");
                assertThat(counted).isEqualTo(expected);
            }
        }
    }

    private static void insert(Connection c, String type, String state, String runAt, String leaseOwner) throws Exception {
        try (PreparedStatement st = c.prepareStatement("INSERT INTO job (id, type, state, run_at, lease_owner, lease_expires_at)"
                + " VALUES (?, ?, ?, " + runAt + ", ?, CASE WHEN ? IS NULL THEN NULL ELSE now() + interval '30 seconds' END)")) {
            st.setObject(1, UUID.randomUUID());
            st.setString(2, type);
            st.setString(3, state);
            st.setString(4, leaseOwner);
            st.setString(5, leaseOwner);
            st.executeUpdate();
        }
    }

    /** Runs the generated validator of the object's model class, e.g. V1Deployment.validateJsonElement. */
    private static void validate(Map<String, Object> object) {
        String kind = (String) object.get("kind");
        String apiVersion = (String) object.get("apiVersion");
        String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
        JsonElement json = GSON.toJsonTree(object);
        try {
            Class<?> model = Class.forName("io.kubernetes.client.openapi.models." + Character.toUpperCase(version.charAt(0))
                    + version.substring(1) + kind);
            model.getMethod("validateJsonElement", JsonElement.class).invoke(null, json);
        } catch (InvocationTargetException e) {
            throw new AssertionError(kind + " " + name(object) + ": " + e.getCause().getMessage(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(apiVersion + " " + kind + " is not a Kubernetes API object", e);
        }
        assertThat(apiVersion).as(kind + " " + name(object)).isEqualTo(switch (kind) {
            case "Deployment", "StatefulSet" -> "apps/v1";
            case "Ingress", "NetworkPolicy" -> "networking.k8s.io/v1";
            default -> "v1";
        });
    }

    private static List<Map<String, Object>> ofKind(List<Map<String, Object>> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
    }

    private static Map<String, Object> find(List<Map<String, Object>> objects, String kind, String name) {
        return ofKind(objects, kind).stream().filter(o -> name.equals(name(o))).findFirst().orElseThrow();
    }

    private static Set<String> names(List<Map<String, Object>> objects, String kind) {
        return ofKind(objects, kind).stream().map(KubernetesManifestsTest::name).collect(Collectors.toSet());
    }

    private static String name(Map<String, Object> object) {
        return (String) Kustomization.metadata(object).get("name");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> labels(Map<String, Object> object) {
        return (Map<String, Object>) Kustomization.metadata(object).getOrDefault("labels", Map.of());
    }

    /** The "name" of every object under the given key, e.g. every secretKeyRef's secret. */
    private static List<String> refs(String json, String key) {
        List<String> out = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + key + "\":\\{[^{}]*?\"name\":\"([^\"]+)\"").matcher(json);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<String> claims(Map<String, Object> pod) {
        List<Map<String, Object>> volumes = (List<Map<String, Object>>) ((Map<String, Object>) pod.get("spec")).get("volumes");
        return Stream.ofNullable(volumes).flatMap(List::stream).map(v -> (Map<String, Object>) v.get("persistentVolumeClaim"))
                .filter(java.util.Objects::nonNull).map(p -> (String) p.get("claimName")).toList();
    }
}
