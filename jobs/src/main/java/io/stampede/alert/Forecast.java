package io.stampede.alert;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.io.IOException;

/**
 * An alert's {@code forecast}: what is still to come, either a reboot wave's or a capacity
 * risk's; exactly one of the two is set. In JSON it is the set one's own fields (the contract's
 * single {@code forecast} object, {@code schemas/alert.schema.json}); read back, a wave's forecast
 * is told apart by {@code bootedSoFar}, which only it has and always has.
 *
 * <p>A record of the two rather than an interface: Flink serializes alerts as POJOs, and an
 * interface-typed field would fall back to Kryo.
 */
@JsonSerialize(using = Forecast.Writer.class)
@JsonDeserialize(using = Forecast.Reader.class)
public record Forecast(WaveForecast wave, CapacityForecast capacity) {

    public static Forecast of(WaveForecast wave) {
        return new Forecast(wave, null);
    }

    public static Forecast of(CapacityForecast capacity) {
        return new Forecast(null, capacity);
    }

    static final class Writer extends JsonSerializer<Forecast> {
        @Override
        public void serialize(Forecast f, JsonGenerator gen, SerializerProvider provider) throws IOException {
            provider.defaultSerializeValue(f.wave != null ? f.wave : f.capacity, gen);
        }
    }

    static final class Reader extends JsonDeserializer<Forecast> {
        @Override
        public Forecast deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonNode node = ctxt.readTree(p);
            return node.has("bootedSoFar") ? of(ctxt.readTreeAsValue(node, WaveForecast.class))
                    : of(ctxt.readTreeAsValue(node, CapacityForecast.class));
        }
    }
}
