package io.robustlab.gateway.config;

import io.robustlab.experiments.ExperimentEngine;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Advances running experiments on a fixed delay. Each experiment is advanced under its row lock
 * (SKIP LOCKED), so several gateways share the work and none waits on another.
 */
@Component
public class ExperimentTicker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ExperimentTicker.class);
    private static final int EXPERIMENTS_PER_TICK = 50;

    private final ExperimentEngine engine;
    private final Duration interval;
    private ScheduledExecutorService timer;

    public ExperimentTicker(ExperimentEngine engine, @Value("${robustlab.experiments.tick:1s}") Duration interval) {
        this.engine = engine;
        this.interval = interval;
    }

    @Override
    public synchronized void start() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "experiment-ticker"));
        timer.scheduleWithFixedDelay(this::tick, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            engine.advanceRunning(EXPERIMENTS_PER_TICK);
        } catch (RuntimeException e) {
            // The next tick tries again; nothing is lost, the state is in the database.
            log.warn("advancing experiments failed: {}", e.toString());
        }
    }

    @Override
    public synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return timer != null;
    }
}
