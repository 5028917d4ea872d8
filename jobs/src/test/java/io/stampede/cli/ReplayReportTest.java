package io.stampede.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stampede.event.InputKind;
import io.stampede.io.kafka.ReplayRecord;
import io.stampede.io.kafka.Replayer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

/** The report a replay ends with: what Kafka acknowledged, what not, and from where to publish the rest. */
class ReplayReportTest {

    private static final Map<InputKind, String> FILES =
            Map.of(InputKind.LOGIN, "logins.jsonl.gz", InputKind.TELEMETRY, "telemetry.jsonl");

    private static Replayer.Totals totals(long notPublished, boolean stopped, Exception failure,
            Replayer.Resume... resume) {
        return new Replayer.Totals(50_000, 45_533, 50_000 - notPublished, 44_329, notPublished, 0, 0, 0, 100, stopped,
                failure, List.of(resume));
    }

    @Test
    void aCompleteReplayIsOneLineOfAcknowledgedRecordsPerTopic() {
        Replayer.Totals t = new Replayer.Totals(41, 11, 41, 11, 0, 1, 1, 0, 2, false, null, List.of());

        assertThat(ReplayCommand.report(t, "k:9092", false, FILES)).containsExactly(
                "Published 52 records (41 logins, 11 telemetry) to k:9092 in 2.0 s, 26 events/s; 1 without a "
                        + "readable event time; 1 without a device id (no key)");
    }

    @Test
    void aReplayKafkaGaveUpOnSaysHowManyRecordsAndFromWhichLineOfEachFileTheRestBegins() {
        Replayer.Totals t = totals(1_204, false, new TimeoutException("Expiring 12 record(s)"),
                new Replayer.Resume(InputKind.LOGIN, 48_797, 1_795_507_265_000L),
                new Replayer.Resume(InputKind.TELEMETRY, 44_330, ReplayRecord.NO_TIME));

        assertThat(ReplayCommand.report(t, "k:9092", false, FILES)).containsExactly(
                "Published 93,125 records (48,796 logins, 44,329 telemetry) to k:9092 in 100.0 s, 931 events/s",
                "Not published: 1,204 records that Kafka did not acknowledge, and the input after them:",
                "  logins.jsonl.gz from line 48,797 on (event time 2026-11-24T08:01:05Z)",
                "  telemetry.jsonl from line 44,330 on (no readable event time)",
                "To publish the rest, replay each file from that line on (e.g. zcat logins.jsonl.gz | tail -n +48797 "
                        + "> rest). Kafka may have written some of the records it did not acknowledge: one published "
                        + "twice is not counted twice by the job (dropped by eventId, or dead-lettered as late).");
        assertThat(ReplayCommand.failure(t.failure(), "k:9092", Duration.ofMinutes(10))).isEqualTo(
                "Kafka at k:9092 did not take the records within 10m (--outage-timeout); gave up: Expiring 12 "
                        + "record(s). Is the broker running? A longer --outage-timeout rides out a longer outage.");
    }

    @Test
    void aStoppedScenarioSaysFromWhichEventTimeItWasNotPublished() {
        Replayer.Totals t = totals(0, true, null, new Replayer.Resume(InputKind.TELEMETRY, 0, 1_795_507_265_000L));

        List<String> lines = ReplayCommand.report(t, "k:9092", true, FILES);

        assertThat(lines.get(0)).startsWith("Stopped: published 94,329 records (50,000 logins, 44,329 telemetry)");
        assertThat(lines.subList(1, lines.size())).containsExactly(
                "Not published: the input from here on (not read):",
                "  telemetry from event time 2026-11-24T08:01:05Z on",
                "To publish the rest, replay the scenario again with the same options; what was published already "
                        + "goes again. Kafka may have written some of the records it did not acknowledge: one "
                        + "published twice is not counted twice by the job (dropped by eventId, or dead-lettered as "
                        + "late).");
    }
}
