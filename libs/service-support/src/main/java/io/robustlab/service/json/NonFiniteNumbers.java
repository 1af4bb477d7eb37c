package io.robustlab.service.json;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;
import tools.jackson.databind.module.SimpleModule;

/**
 * JSON has no NaN or infinity; Jackson would write them as the strings "NaN" and "Infinity", which a
 * client reads as text where it expects a number. A figure that was not measured (a robust validation
 * accuracy when checkpoints are chosen on clean accuracy) is written as null instead.
 */
public final class NonFiniteNumbers {

    private NonFiniteNumbers() {
    }

    public static SimpleModule asNull() {
        SimpleModule module = new SimpleModule("non-finite-numbers-as-null");
        module.addSerializer(Double.class, new DoubleSerializer());
        module.addSerializer(Double.TYPE, new DoubleSerializer());
        module.addSerializer(Float.class, new FloatSerializer());
        module.addSerializer(Float.TYPE, new FloatSerializer());
        return module;
    }

    private static final class DoubleSerializer extends ValueSerializer<Double> {
        @Override
        public void serialize(Double value, JsonGenerator gen, SerializationContext ctxt) {
            if (Double.isFinite(value)) {
                gen.writeNumber(value);
            } else {
                gen.writeNull();
            }
        }
    }

    private static final class FloatSerializer extends ValueSerializer<Float> {
        @Override
        public void serialize(Float value, JsonGenerator gen, SerializationContext ctxt) {
            if (Float.isFinite(value)) {
                gen.writeNumber(value);
            } else {
                gen.writeNull();
            }
        }
    }
}
