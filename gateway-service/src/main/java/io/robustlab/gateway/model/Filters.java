package io.robustlab.gateway.model;

import jakarta.persistence.criteria.Predicate;
import java.util.ArrayList;
import java.util.List;
import org.springframework.data.jpa.domain.Specification;

/** Equality filters for list endpoints: each attribute given a non-null value must match it. */
public final class Filters<T> {

    private record Condition(String attribute, Object value) {
    }

    private final List<Condition> conditions = new ArrayList<>();

    public static <T> Filters<T> where() {
        return new Filters<>();
    }

    public Filters<T> eq(String attribute, Object value) {
        if (value != null) {
            conditions.add(new Condition(attribute, value));
        }
        return this;
    }

    public Specification<T> toSpecification() {
        List<Condition> snapshot = List.copyOf(conditions);
        return (root, query, cb) -> cb.and(snapshot.stream()
                .map(c -> cb.equal(root.get(c.attribute()), c.value())).toArray(Predicate[]::new));
    }
}
