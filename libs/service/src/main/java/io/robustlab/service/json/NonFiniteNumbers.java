package io.robustlab.service.json;

import java.util.function.DoubleFunction;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.deser.std.StdScalarDeserializer;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.std.StdScalarSerializer;

/**
 * JSON has no NaN or infinity; Jackson would write them as the strings "NaN" and "Infinity", which a
 * client reads as text where it expects a number. A figure that was not measured (a robust validation
 * accuracy when checkpoints are chosen on clean accuracy) is written as null instead, and a null read
 * back into a primitive double or float (a stored result read by a later job) is NaN again, where
 * Jackson would fail on a null primitive.
 */
public final class NonFiniteNumbers {

    private NonFiniteNumbers() {
    }

    public static SimpleModule asNull() {
        SimpleModule module = new SimpleModule("non-finite-numbers-as-null");
        module.addSerializer(Double.class, new NumberOrNull<>(Double.class));
        module.addSerializer(Double.TYPE, new NumberOrNull<>(Double.TYPE));
        module.addSerializer(Float.class, new NumberOrNull<>(Float.class));
        module.addSerializer(Float.TYPE, new NumberOrNull<>(Float.TYPE));
        module.addDeserializer(Double.TYPE, new NullAsNaN<>(Double.TYPE, Double.NaN, v -> v));
        module.addDeserializer(Float.TYPE, new NullAsNaN<>(Float.TYPE, Float.NaN, v -> (float) v));
        return module;
    }

    private static final class NumberOrNull<T extends Number> extends StdScalarSerializer<T> {

        NumberOrNull(Class<?> type) {
            super(type, false);
        }

        @Override
        public void serialize(T value, JsonGenerator gen, SerializationContext ctxt) {
            double v = value.doubleValue();
            if (!Double.isFinite(v)) {
                gen.writeNull();
            } else if (value instanceof Float f) {
                gen.writeNumber(f);
            } else {
                gen.writeNumber(v);
            }
        }
    }

    /** A primitive that reads null as NaN and a number as itself; anything else is the usual mismatch error. */
    private static final class NullAsNaN<T> extends StdScalarDeserializer<T> {

        private final transient T nan;
        private final transient DoubleFunction<T> fromDouble;

        NullAsNaN(Class<T> type, T nan, DoubleFunction<T> fromDouble) {
            super(type);
            this.nan = nan;
            this.fromDouble = fromDouble;
        }

        @Override
        @SuppressWarnings("unchecked")
        public T deserialize(JsonParser p, DeserializationContext ctxt) {
            JsonToken t = p.currentToken();
            if (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT) {
                return fromDouble.apply(p.getDoubleValue());
            }
            return (T) ctxt.handleUnexpectedToken(handledType(), p);
        }

        @Override
        public Object getNullValue(DeserializationContext ctxt) {
            return nan;
        }

        /** A missing property stays Jackson's 0, as before: only an explicit null was a NaN. */
        @Override
        public Object getAbsentValue(DeserializationContext ctxt) {
            return fromDouble.apply(0);
        }
    }
}
