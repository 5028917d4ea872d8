package io.stampede.topology;

import static io.stampede.Fixtures.MINUTE;
import static io.stampede.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.alert.Alert;
import io.stampede.alert.AlertStates;
import io.stampede.alert.AlertType;
import io.stampede.alert.CauseCorrelator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** The correlator's state in a checkpoint: what it holds comes back, and an older state still reads. */
class CorrelatorStateTest {

    private static final CauseCorrelator.Rules RULES = new CauseCorrelator.Rules(2 * MINUTE, 30 * MINUTE);
    private static final long START = T0 + 8 * 60 * MINUTE;
    private static final JsonState.Serializer<CauseCorrelator> SERIALIZER = new JsonState.Serializer<>(CauseCorrelator.class);

    @Test
    void aRestoredCorrelatorGoesOnAsTheOneThatWasCheckpointed() throws Exception {
        AlertStates eu = new AlertStates("eu-west", AlertType.REBOOT_WAVE, "KB1", START);
        AlertStates fleet = new AlertStates("fleet", AlertType.REBOOT_WAVE, "KB1", START);
        AlertStates us = new AlertStates("us-east", AlertType.REBOOT_WAVE, "KB1", START + MINUTE);
        CauseCorrelator running = new CauseCorrelator();
        List<Alert> first = List.of(eu.firing(START + 10_000), fleet.firing(START + 20_000));
        first.forEach(running::hold);
        List<Alert> held = running.release(first, START + MINUTE, RULES).held();

        CauseCorrelator restored = restore(checkpoint(running));
        List<Alert> later = List.of(us.firing(START + MINUTE + 10_000), fleet.resolved(START + 5 * MINUTE));
        CauseCorrelator.Released a = releaseAll(running, held, later);
        CauseCorrelator.Released b = releaseAll(restored, held, later);

        assertThat(b).isEqualTo(a);
        assertThat(b.emitted()).extracting(Alert::region).containsExactly("us-east");
        assertThat(b.emitted()).extracting(Alert::incidentId).containsOnly(eu.incident());
        assertThat(b.suppressed()).hasSize(1);
    }

    @Test
    void theStateOfTheVersionWithoutIncidentLinksStillReads() throws Exception {
        byte[] old = "{\"activeCauses\":{\"eu-west\":\"updateId=KB1\"}}".getBytes(StandardCharsets.UTF_8);
        DataOutputSerializer out = new DataOutputSerializer(64);
        out.writeInt(old.length);
        out.write(old);
        CauseCorrelator restored = restore(out.getCopyOfBuffer());

        AlertStates us = new AlertStates("us-east", AlertType.REBOOT_WAVE, "KB1", START);
        CauseCorrelator.Released r = releaseAll(restored, List.of(), List.of(us.firing(START + 10_000)));

        // The open wave is still known as a cause; its incident was not kept then, so nothing is linked to it.
        assertThat(r.emitted()).singleElement().satisfies(a -> {
            assertThat(a.relatedRegions()).containsExactly("eu-west");
            assertThat(a.incidentId()).isEqualTo(us.incident());
        });
    }

    private static CauseCorrelator.Released releaseAll(CauseCorrelator c, List<Alert> held, List<Alert> more) {
        more.forEach(c::hold);
        List<Alert> all = new ArrayList<>(held);
        all.addAll(more);
        return c.release(all, Long.MAX_VALUE, RULES);
    }

    private static byte[] checkpoint(CauseCorrelator c) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        SERIALIZER.serialize(c, out);
        return out.getCopyOfBuffer();
    }

    private static CauseCorrelator restore(byte[] bytes) throws Exception {
        return SERIALIZER.deserialize(new DataInputDeserializer(bytes));
    }
}
