package io.robustlab.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.Yaml;

/**
 * Renders a kustomization the way {@code kubectl kustomize} does, for the part of kustomize that
 * deploy/k8s uses: resources (files or other kustomizations), a namespace, image tags and JSON 6902
 * patches with a kind / name / label target. Any other field fails the render, so a manifest can't
 * start using a feature this test would silently ignore.
 */
final class Kustomization {

    private static final Set<String> SUPPORTED = Set.of("apiVersion", "kind", "namespace", "resources", "images", "patches");
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding", "StorageClass");

    private Kustomization() {
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> render(Path dir) {
        Map<String, Object> k = (Map<String, Object>) documents(dir.resolve("kustomization.yaml")).get(0);
        Set<String> unsupported = new java.util.TreeSet<>(k.keySet());
        unsupported.removeAll(SUPPORTED);
        if (!unsupported.isEmpty()) {
            throw new IllegalArgumentException(dir + ": kustomization fields this render does not implement: " + unsupported);
        }
        List<Map<String, Object>> objects = new ArrayList<>();
        for (String resource : (List<String>) k.getOrDefault("resources", List.of())) {
            Path path = dir.resolve(resource).normalize();
            if (Files.isDirectory(path)) {
                objects.addAll(render(path));
            } else {
                documents(path).forEach(d -> objects.add((Map<String, Object>) d));
            }
        }
        for (Map<String, Object> patch : (List<Map<String, Object>>) k.getOrDefault("patches", List.of())) {
            List<Map<String, Object>> ops = (List<Map<String, Object>>) documents(dir.resolve((String) patch.get("path"))).get(0);
            Map<String, Object> target = (Map<String, Object>) patch.get("target");
            List<Map<String, Object>> matched = objects.stream().filter(o -> matches(o, target)).toList();
            if (matched.isEmpty()) {
                throw new IllegalArgumentException(dir + ": patch " + patch.get("path") + " matches no object");
            }
            matched.forEach(o -> ops.forEach(op -> JsonPatch.apply(o, op)));
        }
        for (Map<String, Object> image : (List<Map<String, Object>>) k.getOrDefault("images", List.of())) {
            objects.forEach(o -> containers(o).forEach(c -> {
                String current = (String) c.get("image");
                if (current.equals(image.get("name")) || current.startsWith(image.get("name") + ":")) {
                    c.put("image", image.getOrDefault("newName", image.get("name")) + ":" + image.get("newTag"));
                }
            }));
        }
        if (k.get("namespace") != null) {
            objects.stream().filter(o -> !CLUSTER_SCOPED.contains(o.get("kind")))
                    .forEach(o -> metadata(o).put("namespace", k.get("namespace")));
        }
        return objects;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> metadata(Map<String, Object> object) {
        return (Map<String, Object>) object.get("metadata");
    }

    /** The containers of a workload's pod template (none for other kinds). */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> containers(Map<String, Object> object) {
        Object spec = object.get("spec");
        if (!(spec instanceof Map<?, ?> s) || !(s.get("template") instanceof Map<?, ?> template)) {
            return List.of();
        }
        return (List<Map<String, Object>>) ((Map<String, Object>) template.get("spec")).get("containers");
    }

    @SuppressWarnings("unchecked")
    private static boolean matches(Map<String, Object> object, Map<String, Object> target) {
        if (target.get("kind") != null && !target.get("kind").equals(object.get("kind"))) {
            return false;
        }
        if (target.get("name") != null && !target.get("name").equals(metadata(object).get("name"))) {
            return false;
        }
        if (target.get("labelSelector") != null) {
            Map<String, Object> labels = (Map<String, Object>) metadata(object).getOrDefault("labels", Map.of());
            for (String term : ((String) target.get("labelSelector")).split(",")) {
                String[] kv = term.split("=", 2);
                if (!kv[1].trim().equals(labels.get(kv[0].trim()))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The YAML documents of a file: objects, or a patch's list of operations. */
    private static List<Object> documents(Path file) {
        try {
            List<Object> docs = new ArrayList<>();
            for (Object doc : new Yaml().loadAll(Files.readString(file))) {
                if (doc != null) {
                    docs.add(doc);
                }
            }
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** RFC 6902 add, replace and remove on parsed YAML; paths are RFC 6901 pointers. */
    static final class JsonPatch {

        private JsonPatch() {
        }

        @SuppressWarnings("unchecked")
        static void apply(Map<String, Object> document, Map<String, Object> op) {
            String[] tokens = ((String) op.get("path")).substring(1).split("/", -1);
            Object parent = document;
            for (int i = 0; i < tokens.length - 1; i++) {
                parent = child(parent, unescape(tokens[i]), op);
            }
            String last = unescape(tokens[tokens.length - 1]);
            String kind = (String) op.get("op");
            if (!Set.of("add", "replace", "remove").contains(kind)) {
                throw new IllegalArgumentException("unsupported op " + kind);
            }
            if (parent instanceof Map<?, ?> map) {
                Map<String, Object> m = (Map<String, Object>) map;
                if (!kind.equals("add") && !m.containsKey(last)) {
                    throw new IllegalArgumentException(op + ": no member " + last);
                }
                if (kind.equals("remove")) {
                    m.remove(last);
                } else {
                    m.put(last, op.get("value"));
                }
            } else {
                List<Object> list = (List<Object>) parent;
                int index = last.equals("-") ? list.size() : Integer.parseInt(last);
                switch (kind) {
                    case "add" -> list.add(index, op.get("value"));
                    case "replace" -> list.set(index, op.get("value"));
                    default -> list.remove(index);
                }
            }
        }

        private static Object child(Object parent, String token, Map<String, Object> op) {
            Object next = parent instanceof Map<?, ?> m ? m.get(token) : ((List<?>) parent).get(Integer.parseInt(token));
            if (next == null) {
                throw new IllegalArgumentException(op + ": the path's parent " + token + " does not exist");
            }
            return next;
        }

        private static String unescape(String token) {
            return token.replace("~1", "/").replace("~0", "~");
        }
    }
}
