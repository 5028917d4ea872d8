package io.stampede.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.Fixtures;
import io.stampede.admission.AttemptClass;
import io.stampede.admission.ThrottleDirective;
import io.stampede.alert.Alert;
import io.stampede.config.StampedeConfig;
import io.stampede.detect.BucketStats;
import io.stampede.detect.SegmentEngine;
import io.stampede.detect.SegmentOutput;
import io.stampede.detect.SegmentSnapshot;
import io.stampede.detect.SegmentState;
import io.stampede.detect.Traffic;
import io.stampede.event.Outcome;
import io.stampede.io.Json;
import io.stampede.plan.ScalingSignal;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.junit.jupiter.api.Test;

/**
 * A savepoint of an earlier job restores into this one: {@code segment-state-v1.json} is the
 * segment state, as the job before the detectors had their own files kept it, in the middle of a
 * reboot wave; restored, it goes on with the same alerts that job went on with: the open wave and
 * surge are updated and resolved under their own keys (no second page for them), and the retry
 * storm, the degraded tier and the capacity risk that followed fire and resolve as they did. The
 * detectors have changed since (how much evidence fires, what they learn), so updates in between
 * may differ; which alerts open and close may not.
 */
class SegmentStateUpgradeTest {

    private static final StampedeConfig CONFIG = Fixtures.config();
    private static final int SAVEPOINT_AFTER = 75;
    private static final int LAST = 140;

    /** A wave of update reboots, the automatic logins it brings, then retries and a degraded tier. */
    static BucketStats story(Traffic t, int i) {
        Traffic.Builder b = t.normal(i);
        if (i == 30) {
            b.installs(3_000, Traffic.UPDATE);
        }
        if (i >= 70 && i < 82) {
            b.boots(150, "UPDATE", Traffic.UPDATE, true);
        }
        if (i >= 73 && i < 86) {
            b.logins(AttemptClass.AUTO, Outcome.SUCCESS, 200);
        }
        if (i >= 76 && i < 88) {
            b.logins(AttemptClass.RETRY, Outcome.FAILURE, 150).logins(AttemptClass.AUTO, Outcome.TIMEOUT, 60)
                    .nodes(1_500, 0.2, 2);
        }
        return b.build();
    }

    @Test
    void aSegmentStateOfTheEarlierJobRestoresAndGoesOnAsItWould() throws Exception {
        SegmentState restored = new JsonState.Serializer<>(SegmentState.class).deserialize(
                new DataInputDeserializer(framed(resource("state/segment-state-v1.json"))));
        List<String> outputs = new ArrayList<>();
        SegmentEngine engine = new SegmentEngine(CONFIG);
        Traffic t = new Traffic(engine.bucketMs());
        for (int i = SAVEPOINT_AFTER + 1; i <= LAST; i++) {
            engine.onBucket(restored, story(t, i), new Lines(outputs));
        }
        assertThat(alertStates(outputs)).isEqualTo(alertStates(lines(resource("state/segment-state-v1-then.jsonl"))));
    }

    /** Each alert as its dedup key and the states it went through, in order, without repeated updates. */
    private static Map<String, List<String>> alertStates(List<String> lines) throws IOException {
        Map<String, List<String>> states = new TreeMap<>();
        for (String line : lines) {
            if (line.startsWith("alert ")) {
                Alert a = Json.MAPPER.readValue(line.substring("alert ".length()), Alert.class);
                List<String> seen = states.computeIfAbsent(a.dedupKey(), k -> new ArrayList<>());
                String state = a.status().name();
                if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(state)) {
                    seen.add(state);
                }
            }
        }
        return states;
    }

    private static byte[] framed(byte[] json) {
        byte[] framed = new byte[json.length + 4];
        framed[0] = (byte) (json.length >>> 24);
        framed[1] = (byte) (json.length >>> 16);
        framed[2] = (byte) (json.length >>> 8);
        framed[3] = (byte) json.length;
        System.arraycopy(json, 0, framed, 4, json.length);
        return framed;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = SegmentStateUpgradeTest.class.getClassLoader().getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    private static List<String> lines(byte[] text) {
        return new String(text, StandardCharsets.UTF_8).lines().toList();
    }

    /** Every output as one JSON line, prefixed with its kind. */
    record Lines(List<String> out) implements SegmentOutput {
        @Override
        public void alert(Alert alert) {
            out.add("alert " + Json.write(alert));
        }

        @Override
        public void directive(ThrottleDirective directive) {
            out.add("directive " + Json.write(directive));
        }

        @Override
        public void signal(ScalingSignal signal) {
            out.add("signal " + Json.write(signal));
        }

        @Override
        public void snapshot(SegmentSnapshot snapshot) {
            out.add("snapshot " + Json.write(snapshot));
        }
    }
}
