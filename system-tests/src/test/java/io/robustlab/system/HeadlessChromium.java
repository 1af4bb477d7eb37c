package io.robustlab.system;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Debian's chromium, headless, driven over the DevTools protocol with the JDK's WebSocket client:
 * it loads a page, records every request that failed or answered 4xx/5xx, evaluates expressions in
 * the page and takes a screenshot. No WebDriver is needed.
 */
final class HeadlessChromium implements AutoCloseable {

    /** What loading a page showed. */
    record PageLoad(List<String> failedRequests, int requests) {
    }

    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
    private final JsonMapper json = JsonMapper.builder().build();
    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> replies = new ConcurrentHashMap<>();
    private final List<JsonNode> events = java.util.Collections.synchronizedList(new ArrayList<>());

    static boolean installed() {
        return Files.isExecutable(Path.of("/usr/bin/chromium"));
    }

    HeadlessChromium(Path profile) throws Exception {
        process = new ProcessBuilder("/usr/bin/chromium", "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--remote-debugging-port=0", "--user-data-dir=" + profile, "about:blank").redirectErrorStream(true).start();
        String browserUrl = null;
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        for (String line; browserUrl == null && (line = out.readLine()) != null; ) {
            Matcher m = LISTENING.matcher(line);
            if (m.find()) {
                browserUrl = m.group(1);
            }
        }
        if (browserUrl == null) {
            throw new IllegalStateException("chromium did not start its DevTools server");
        }
        Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "chromium-output");
        drain.setDaemon(true);
        drain.start();
        URI browser = URI.create(browserUrl);
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> target = http.send(HttpRequest.newBuilder(URI.create("http://" + browser.getAuthority() + "/json/new?about:blank"))
                .PUT(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        String pageUrl = json.readTree(target.body()).get("webSocketDebuggerUrl").asString();
        socket = http.newWebSocketBuilder().buildAsync(URI.create(pageUrl), new Listener()).get(30, TimeUnit.SECONDS);
    }

    /** Navigates, waits for the load event and for the network to be idle, and reports failed requests. */
    /** Loads {@code url}; the page's own requests (its images) carry {@code headers} too, as the API token must. */
    PageLoad load(String url, Map<String, String> headers) throws Exception {
        call("Network.enable", json.createObjectNode());
        tools.jackson.databind.node.ObjectNode extra = json.createObjectNode();
        headers.forEach(extra::put);
        call("Network.setExtraHTTPHeaders", json.createObjectNode().set("headers", extra));
        call("Page.enable", json.createObjectNode());
        events.clear();
        call("Page.navigate", json.createObjectNode().put("url", url));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (events.stream().noneMatch(e -> "Page.loadEventFired".equals(e.path("method").asString()))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the page did not load: " + url);
            }
            Thread.sleep(50);
        }
        Thread.sleep(500); // let late responses arrive
        List<String> failed = new ArrayList<>();
        int requests = 0;
        synchronized (events) {
            for (JsonNode e : events) {
                String method = e.path("method").asString();
                JsonNode p = e.path("params");
                if (method.equals("Network.requestWillBeSent")) {
                    requests++;
                } else if (method.equals("Network.loadingFailed")) {
                    failed.add(p.path("requestId").asString() + " " + p.path("errorText").asString());
                } else if (method.equals("Network.responseReceived") && p.path("response").path("status").asInt() >= 400) {
                    failed.add(p.path("response").path("url").asString() + " " + p.path("response").path("status").asInt());
                }
            }
        }
        return new PageLoad(failed, requests);
    }

    /** Evaluates a JavaScript expression in the page and returns its value. */
    JsonNode evaluate(String expression) throws Exception {
        return call("Runtime.evaluate", json.createObjectNode().put("expression", expression).put("returnByValue", true))
                .path("result").path("value");
    }

    void screenshot(Path file) throws Exception {
        ObjectNode params = json.createObjectNode().put("format", "png").put("captureBeyondViewport", true);
        String data = call("Page.captureScreenshot", params).path("data").asString();
        Files.createDirectories(file.getParent());
        Files.write(file, Base64.getDecoder().decode(data));
    }

    private JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        replies.put(id, reply);
        socket.sendText(json.writeValueAsString(json.createObjectNode().put("id", id).put("method", method).set("params", params)), true)
                .get(30, TimeUnit.SECONDS);
        JsonNode r = reply.get(60, TimeUnit.SECONDS);
        if (r.has("error")) {
            throw new IllegalStateException(method + ": " + r.get("error"));
        }
        return r.path("result");
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                JsonNode message = json.readTree(partial.toString());
                partial.setLength(0);
                if (message.has("id")) {
                    CompletableFuture<JsonNode> f = replies.remove(message.get("id").asInt());
                    if (f != null) {
                        f.complete(message);
                    }
                } else {
                    events.add(message);
                }
            }
            ws.request(1);
            return null;
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        socket.abort();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
