package io.robustlab.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** JSON given on the command line: inline, {@code @file}, or {@code path.to.field=value} settings. */
final class Json {

    /** An option's value that is not what it must be; reported like a usage error. */
    static final class BadArgument extends RuntimeException {
        BadArgument(String message) {
            super(message);
        }
    }

    private Json() {
    }

    /** A JSON object from inline text or {@code @path}; a usage error names the option when it is not one. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> object(JsonMapper json, String text, String option) {
        if (text == null) {
            return new LinkedHashMap<>();
        }
        try {
            String body = text.startsWith("@") ? Files.readString(Path.of(text.substring(1))) : text;
            Object parsed = json.readValue(body, Object.class);
            if (parsed instanceof Map<?, ?> m) {
                return new LinkedHashMap<>((Map<String, Object>) m);
            }
        } catch (JacksonException e) {
            throw new BadArgument(option + ": not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new BadArgument(option + ": must be a JSON object");
    }

    /**
     * Applies {@code a.b.c=value} settings to {@code target}, creating nested objects. The value is
     * read as JSON when it parses (numbers, booleans, lists, null) and as a string otherwise.
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> set(JsonMapper json, Map<String, Object> target, List<String> settings) {
        for (String setting : settings) {
            int eq = setting.indexOf('=');
            if (eq <= 0) {
                throw new BadArgument("--set " + setting + ": expected path=value");
            }
            String[] path = setting.substring(0, eq).split("\\.");
            Map<String, Object> at = target;
            for (int i = 0; i < path.length - 1; i++) {
                Object next = at.get(path[i]);
                if (!(next instanceof Map)) {
                    next = new LinkedHashMap<String, Object>();
                    at.put(path[i], next);
                }
                at = (Map<String, Object>) next;
            }
            at.put(path[path.length - 1], value(json, setting.substring(eq + 1)));
        }
        return target;
    }

    private static Object value(JsonMapper json, String text) {
        try {
            return json.readValue(text, Object.class);
        } catch (JacksonException notJson) {
            return text;
        }
    }
}
