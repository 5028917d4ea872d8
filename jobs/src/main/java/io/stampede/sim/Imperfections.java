package io.stampede.sim;

import io.stampede.event.InputKind;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * What real collection does to records on their way, as the scenario's {@link Scenario.Noise}
 * says: event times a little out of order, duplicates, and broken copies.
 */
final class Imperfections {

    private final Scenario.Noise noise;
    private final SplittableRandom random;
    private final SimResult result;

    Imperfections(Scenario.Noise noise, SplittableRandom random, SimResult result) {
        this.noise = noise;
        this.random = random;
        this.result = result;
    }

    /** The event time a device reports for something that happened at {@code t}: up to the disorder earlier. */
    long disorder(long t) {
        long max = noise.disorder().toMillis();
        return max <= 0 ? t : t - random.nextLong(max + 1);
    }

    /** Hands a record to {@code sink}; now and then a second time, and now and then a broken copy of it. */
    void emit(FleetSimulator.Sink sink, InputKind kind, byte[] bytes) {
        sink.accept(kind, bytes);
        result.events++;
        if (noise.duplicateShare() > 0 && random.nextDouble() < noise.duplicateShare()) {
            sink.accept(kind, bytes);
        }
        if (noise.malformedShare() > 0 && random.nextDouble() < noise.malformedShare()) {
            sink.accept(kind, malformed(bytes));
        }
    }

    /** A broken copy of a record, as real pipelines see them: cut short, mangled, or binary. */
    private byte[] malformed(byte[] good) {
        return switch (random.nextInt(4)) {
            case 0 -> Arrays.copyOf(good, good.length / 2);
            case 1 -> new String(good, StandardCharsets.UTF_8).replace("\"attempt\":", "\"attempt\":\"x")
                    .replace("\"type\":\"", "\"type\":\"X").getBytes(StandardCharsets.UTF_8);
            case 2 -> new byte[] {(byte) 0xC3, (byte) 0x28, 0x00, (byte) 0xFF, 0x7B};
            default -> new String(good, StandardCharsets.UTF_8).replace("\"eventTime\":", "\"eventTimeX\":")
                    .getBytes(StandardCharsets.UTF_8);
        };
    }
}
