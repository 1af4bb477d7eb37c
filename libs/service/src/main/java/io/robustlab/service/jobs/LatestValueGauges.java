package io.robustlab.service.jobs;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Gauges that show the latest value reported for a combination of bounded tags (the last epoch's
 * loss per architecture, the last evaluation's robust accuracy per eps). Each combination is
 * registered once, on its first value.
 */
public final class LatestValueGauges {

    private final MeterRegistry registry;
    private final Map<String, AtomicReference<Double>> values = new ConcurrentHashMap<>();

    public LatestValueGauges(MeterRegistry registry) {
        this.registry = registry;
    }

    /** {@code tags} are key, value pairs. */
    public void set(String name, String description, double value, String... tags) {
        Tags t = Tags.of(tags);
        values.computeIfAbsent(name + t, key -> {
            AtomicReference<Double> ref = new AtomicReference<>(Double.NaN);
            Gauge.builder(name, ref, AtomicReference::get).description(description).tags(t).register(registry);
            return ref;
        }).set(value);
    }
}
