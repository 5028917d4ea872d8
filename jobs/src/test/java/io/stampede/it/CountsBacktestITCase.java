package io.stampede.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import io.stampede.alert.Alert;
import io.stampede.alert.AlertType;
import io.stampede.cli.CliRun;
import io.stampede.detect.Segments;
import io.stampede.event.Timestamps;
import io.stampede.io.Json;
import io.stampede.io.OutputFiles;
import io.stampede.io.RunOutputs;
import io.stampede.sim.Scenario;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backtest of events writes its counts as counts.csv; a backtest of that file alone, through the
 * same segment stage on a mini cluster at parallelism 2, finds the same reboot waves and login
 * surges in the same segments, within a bucket of the same time.
 */
class CountsBacktestITCase {

    @RegisterExtension
    static final MiniClusterExtension CLUSTER = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    /** The default detection.bucket, which the events run counts in and the counts file therefore has. */
    private static final long BUCKET = 10_000;
    private static final List<AlertType> DEMAND = List.of(AlertType.REBOOT_WAVE, AlertType.LOGIN_SURGE);

    @TempDir
    static Path dir;

    private static Path fromEvents;
    private static CliRun eventsRun;

    @BeforeAll
    static void backtestTheEvents() throws Exception {
        Path[] files = ScenarioRuns.export(Scenario.updateWave(30_000, 9), dir.resolve("events"));
        fromEvents = dir.resolve("from-events");
        eventsRun = CliRun.of("backtest", "--logins", files[0].toString(), "--telemetry", files[1].toString(),
                "--out", fromEvents.toString());
        assertThat(eventsRun.code()).as(eventsRun.err()).isZero();
    }

    /**
     * summary.json's incidents, checked against the distinct incidentIds of alerts.jsonl and the
     * console line.
     */
    private static JsonNode incidents(Path out, CliRun run) throws IOException {
        JsonNode incidents = Json.MAPPER.readTree(out.resolve(OutputFiles.SUMMARY).toFile()).path("incidents");
        List<String> ids = RunOutputs.read(out).alerts().stream().map(Alert::incidentId).distinct().toList();
        assertThat(incidents.path("count").asInt()).as("distinct incidentIds in alerts.jsonl: %s", ids)
                .isEqualTo(ids.size());
        assertThat(incidents.path("list")).hasSize(ids.size());
        assertThat(run.out()).contains("incidents: " + ids.size() + " (pages: " + incidents.path("pages").asInt()
                + ")");
        return incidents;
    }

    /** When each alert of a demand type first fired, by "TYPE segment". */
    private static Map<String, Long> firstFirings(Path out) throws IOException {
        Map<String, Long> first = new TreeMap<>();
        for (Alert a : RunOutputs.read(out).alerts()) {
            if (DEMAND.contains(a.type()) && a.sequence() == 1) {
                first.putIfAbsent(a.type() + " " + a.region(), Timestamps.parse(a.detectedAt()));
            }
        }
        return first;
    }

    private static void assertSameFirings(Map<String, Long> fromCounts, Map<String, Long> fromEvents) {
        assertThat(fromCounts.keySet()).containsExactlyElementsOf(fromEvents.keySet());
        fromEvents.forEach((key, time) -> assertThat(Math.abs(fromCounts.get(key) - time))
                .as("%s: from counts at %s, from events at %s", key, Timestamps.format(fromCounts.get(key)),
                        Timestamps.format(time))
                .isLessThanOrEqualTo(BUCKET));
    }

    @Test
    void theCountsOfABacktestOfEventsFindTheSameWavesAndSurgesAtTheSameTime() throws Exception {
        Map<String, Long> events = firstFirings(fromEvents);
        assertThat(events).containsKeys("REBOOT_WAVE eu-west", "REBOOT_WAVE us-east", "LOGIN_SURGE us-east");
        // The fleet's wave is the regions' waves: it raises no alert of its own.
        assertThat(events).doesNotContainKey("REBOOT_WAVE fleet");

        Path fromCounts = dir.resolve("from-counts");
        CliRun run = CliRun.of("backtest", "--counts", fromEvents.resolve(OutputFiles.COUNTS).toString(), "--out",
                fromCounts.toString());
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("bucket 10 s, from the file's interval; fleet: the file's fleet rows");
        assertSameFirings(firstFirings(fromCounts), events);

        for (String file : List.of(OutputFiles.ALERTS, OutputFiles.DIRECTIVES, OutputFiles.SIGNALS,
                OutputFiles.DEAD_LETTERS, OutputFiles.SNAPSHOTS, OutputFiles.COUNTS, OutputFiles.SUMMARY,
                OutputFiles.REPORT)) {
            assertThat(fromCounts.resolve(file)).as(file).exists();
        }
        RunOutputs outputs = RunOutputs.read(fromCounts);
        assertThat(outputs.deadLetters()).isZero();
        assertThat(outputs.directives()).as("no node health, no throttling").isEmpty();
        assertThat(outputs.alerts()).noneMatch(a -> a.type() == AlertType.CAPACITY_RISK
                || a.type() == AlertType.AUTH_DEGRADED);
        assertThat(Files.readString(fromCounts.resolve(OutputFiles.SUMMARY)))
                .contains("\"notEvaluated\" : \"AUTH_DEGRADED, CAPACITY_RISK, throttle directives and scaling signals");
        // From events, the update's waves in eu-west and us-east share their cause: one incident for
        // both. Counts name no cause, so each region's wave begins an incident of its own.
        JsonNode one = incidents(fromEvents, eventsRun);
        assertThat(one.path("count").asInt()).isEqualTo(1);
        assertThat(one.path("list").get(0).path("regions").toString()).contains("\"eu-west\"", "\"us-east\"");
        JsonNode perRegion = incidents(fromCounts, run);
        assertThat(perRegion.path("count").asInt()).isEqualTo(2);
        assertThat(perRegion.path("list")).allSatisfy(i -> assertThat(i.path("regions")).hasSize(1));
    }

    @Test
    void withoutFleetRowsTheFleetIsTheSumOfTheRegionsAndFiresAsTheEventsFleetDid() throws Exception {
        Path regionsOnly = dir.resolve("regions.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(regionsOnly))) {
            for (String line : Files.readAllLines(fromEvents.resolve(OutputFiles.COUNTS))) {
                if (!line.contains("," + Segments.FLEET + ",")) {
                    out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        Path fromCounts = dir.resolve("from-regions");
        CliRun run = CliRun.of("backtest", "--counts", regionsOnly.toString(), "--out", fromCounts.toString());
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("fleet: the sum of the regions per interval");
        assertSameFirings(firstFirings(fromCounts), firstFirings(fromEvents));
    }
}
