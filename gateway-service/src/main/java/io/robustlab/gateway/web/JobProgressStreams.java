package io.robustlab.gateway.web;

import io.robustlab.api.model.Job;
import io.robustlab.gateway.model.JobRecord;
import io.robustlab.gateway.model.JobRecords;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Server-Sent Events of job progress. One timer reads every followed job in a single query and
 * sends a {@code job} event to its subscribers when its state or progress changed; streams close
 * after the job ends. Polling keeps the gateway stateless: any replica serves any stream.
 */
@Component
public class JobProgressStreams {

    static final Duration POLL = Duration.ofMillis(250);
    static final Duration STREAM_TIMEOUT = Duration.ofHours(1);

    private record Subscriber(SseEmitter emitter, Instant[] lastSeen) {
    }

    private final JobRecords jobs;
    private final ApiMapper mapper;
    private final Map<UUID, List<Subscriber>> subscribers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "job-progress-streams");
        t.setDaemon(true);
        return t;
    });

    public JobProgressStreams(JobRecords jobs, ApiMapper mapper) {
        this.jobs = jobs;
        this.mapper = mapper;
        timer.scheduleWithFixedDelay(this::publish, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Opens a stream on an existing job; the first event is sent by the next poll. */
    public SseEmitter follow(UUID jobId) {
        SseEmitter emitter = new SseEmitter(STREAM_TIMEOUT.toMillis());
        Subscriber s = new Subscriber(emitter, new Instant[] {Instant.EPOCH});
        subscribers.computeIfAbsent(jobId, id -> new CopyOnWriteArrayList<>()).add(s);
        Runnable drop = () -> remove(jobId, s);
        emitter.onCompletion(drop);
        emitter.onTimeout(drop);
        emitter.onError(e -> drop.run());
        return emitter;
    }

    private void publish() {
        if (subscribers.isEmpty()) {
            return;
        }
        try {
            for (JobRecord r : jobs.findAllById(List.copyOf(subscribers.keySet()))) {
                List<Subscriber> subs = subscribers.getOrDefault(r.getId(), List.of());
                Job model = null;
                for (Subscriber s : subs) {
                    if (!r.getUpdatedAt().equals(s.lastSeen()[0])) {
                        model = model == null ? mapper.job(r) : model;
                        send(r.getId(), s, model);
                        s.lastSeen()[0] = r.getUpdatedAt();
                    }
                    if (r.getState().isTerminal()) {
                        s.emitter().complete();
                    }
                }
            }
        } catch (RuntimeException e) {
            // The database may be briefly unreachable; streams resume on the next tick.
        }
    }

    private void send(UUID jobId, Subscriber s, Job model) {
        try {
            s.emitter().send(SseEmitter.event().name("job").id(model.getUpdatedAt().toString()).data(model, MediaType.APPLICATION_JSON));
        } catch (IOException | IllegalStateException gone) {
            remove(jobId, s);
        }
    }

    private void remove(UUID jobId, Subscriber s) {
        subscribers.computeIfPresent(jobId, (id, list) -> {
            list.remove(s);
            return list.isEmpty() ? null : list;
        });
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
        subscribers.values().forEach(list -> list.forEach(s -> s.emitter().complete()));
    }
}
