package io.robustlab.gateway.web;

import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-Sent Events of a resource's snapshots. One timer loads every followed resource in one
 * call and sends an event to each subscriber whose last snapshot differs; streams close after the
 * resource reaches a terminal state. Polling keeps the gateway stateless: any replica serves any
 * stream.
 *
 * @param <T> the API view sent as the event's JSON data
 */
abstract class SnapshotStreams<T> {

    static final Duration STREAM_TIMEOUT = Duration.ofHours(12);

    private static final Object NOTHING_SENT = new Object();

    private static final class Subscriber {
        final SseEmitter emitter = new SseEmitter(STREAM_TIMEOUT.toMillis());
        volatile Object lastSent = NOTHING_SENT;
    }

    private final String eventName;
    private final Map<UUID, List<Subscriber>> subscribers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;

    SnapshotStreams(String eventName, Duration poll) {
        this.eventName = eventName;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, eventName + "-streams");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::publish, poll.toMillis(), poll.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The current views of those of {@code ids} that exist. */
    protected abstract Map<UUID, T> load(Collection<UUID> ids);

    /** What must change for a new event to be sent (progress, state, ...). */
    protected abstract Object fingerprint(T view);

    protected abstract boolean isTerminal(T view);

    /** Opens a stream on an existing resource; the first event is sent by the next poll. */
    public SseEmitter follow(UUID id) {
        Subscriber s = new Subscriber();
        subscribers.computeIfAbsent(id, k -> new CopyOnWriteArrayList<>()).add(s);
        Runnable drop = () -> remove(id, s);
        s.emitter.onCompletion(drop);
        s.emitter.onTimeout(drop);
        s.emitter.onError(e -> drop.run());
        return s.emitter;
    }

    private void publish() {
        if (subscribers.isEmpty()) {
            return;
        }
        try {
            load(List.copyOf(subscribers.keySet())).forEach((id, view) -> {
                Object fingerprint = fingerprint(view);
                for (Subscriber s : subscribers.getOrDefault(id, List.of())) {
                    if (!Objects.equals(fingerprint, s.lastSent)) {
                        send(id, s, view);
                        s.lastSent = fingerprint;
                    }
                    if (isTerminal(view)) {
                        s.emitter.complete();
                    }
                }
            });
        } catch (RuntimeException e) {
            // The database may be briefly unreachable; streams resume on the next tick.
        }
    }

    private void send(UUID id, Subscriber s, T view) {
        try {
            s.emitter.send(SseEmitter.event().name(eventName).data(view, MediaType.APPLICATION_JSON));
        } catch (IOException | IllegalStateException gone) {
            remove(id, s);
        }
    }

    private void remove(UUID id, Subscriber s) {
        subscribers.computeIfPresent(id, (k, list) -> {
            list.remove(s);
            return list.isEmpty() ? null : list;
        });
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
        subscribers.values().forEach(list -> list.forEach(s -> s.emitter.complete()));
    }
}
