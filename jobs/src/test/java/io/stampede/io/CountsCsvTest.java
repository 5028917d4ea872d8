package io.stampede.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stampede.admission.AttemptClass;
import io.stampede.detect.BucketStats;
import io.stampede.event.Outcome;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The counts format: what a file means, the interval it has, and the message for each mistake in one. */
class CountsCsvTest {

    private static CountsCsv.Counts read(String text) throws IOException {
        return CountsCsv.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "c.csv");
    }

    private static List<BucketStats> buckets(String text, boolean fleetSegment) throws IOException {
        List<BucketStats> out = new ArrayList<>();
        new CountsBuckets(read(text), fleetSegment).forEachRemaining(out::add);
        return out;
    }

    /** Each bucket as "time segment boots/first attempts". */
    private static List<String> described(List<BucketStats> buckets) {
        return buckets.stream().map(b -> io.stampede.event.Timestamps.format(b.bucketStart).substring(11, 16) + " "
                + b.segment + " " + b.boots + "/" + b.firstAttempts()).toList();
    }

    @Test
    void readsCommentsInterleavedSegmentsAndBothTimeForms() throws IOException {
        CountsCsv.Counts c = read("""
                \uFEFF# a byte order mark, then a comment
                time,segment,first_attempts,retries,failures,boots,armed_boots
                2026-11-24T09:00:00Z,eu-west,100,5,3,10,2
                1795510800000,us-east,40,0,0,4,0

                # a comment between rows
                2026-11-24T09:01:00Z,eu-west,120,,,12,2
                2026-11-24T10:01:00+01:00,us-east,41,1,0,5,1
                """);
        assertThat(c.intervalMs()).isEqualTo(60_000);
        assertThat(c.segments()).containsOnlyKeys("eu-west", "us-east");
        assertThat(c.rows()).isEqualTo(4);
        CountsRow first = c.segments().get("eu-west").get(0);
        assertThat(first).isEqualTo(new CountsRow(1795510800000L, 3, 100, 0, 0, 5, 3, 0, 10, 2));
        assertThat(c.segments().get("eu-west").get(1).retries()).as("an empty cell is 0").isZero();
        assertThat(c.segments().get("us-east").get(1).time()).as("an offset").isEqualTo(1795510860000L);
    }

    @Test
    void theIntervalIsTheSmallestGapAndAMissingIntervalIsZeroCounts() throws IOException {
        List<BucketStats> b = buckets("""
                time,segment,first_attempts,boots
                2026-11-24T09:00:00Z,eu-west,10,1
                2026-11-24T09:03:00Z,eu-west,30,3
                2026-11-24T09:04:00Z,eu-west,40,4
                """, false);
        assertThat(described(b)).containsExactly("09:00 eu-west 1/10", "09:01 eu-west 0/0", "09:02 eu-west 0/0",
                "09:03 eu-west 3/30", "09:04 eu-west 4/40");
    }

    @Nested
    class TheFleet {

        private static final String REGIONS = """
                time,segment,first_attempts,boots
                2026-11-24T09:00:00Z,eu-west,10,1
                2026-11-24T09:01:00Z,eu-west,11,2
                2026-11-24T09:01:00Z,us-east,5,7
                2026-11-24T09:02:00Z,us-east,6,8
                """;

        @Test
        void isTheSumOfTheRegionsPerIntervalWhenTheFileHasNone() throws IOException {
            assertThat(described(buckets(REGIONS, true))).containsExactly(
                    "09:00 eu-west 1/10", "09:00 fleet 1/10",
                    "09:01 eu-west 2/11", "09:01 us-east 7/5", "09:01 fleet 9/16",
                    "09:02 us-east 8/6", "09:02 fleet 8/6");
        }

        @Test
        void isTheFilesOwnWhenItHasFleetRowsAndLeftOutWhenSwitchedOff() throws IOException {
            String withFleet = REGIONS + """
                    2026-11-24T09:01:00Z,fleet,100,50
                    2026-11-24T09:02:00Z,fleet,101,51
                    """;
            assertThat(CountsBuckets.fleet(read(withFleet), true)).isEqualTo(CountsBuckets.Fleet.FROM_FILE);
            assertThat(described(buckets(withFleet, true))).containsExactly(
                    "09:00 eu-west 1/10",
                    "09:01 eu-west 2/11", "09:01 us-east 7/5", "09:01 fleet 50/100",
                    "09:02 us-east 8/6", "09:02 fleet 51/101");
            assertThat(described(buckets(withFleet, false))).noneMatch(s -> s.contains("fleet"));
        }
    }

    @Test
    void failuresAndThrottledMoveToTheirOutcomeAndEveryTotalIsKept() throws IOException {
        CountsRow row = read("""
                time,segment,interactive,token_refresh,auto,retries,failures,throttled
                2026-11-24T09:00:00Z,eu-west,10,20,30,5,12,8
                2026-11-24T09:01:00Z,eu-west,0,0,0,0,0,0
                """).segments().get("eu-west").get(0);
        BucketStats b = row.toStats("eu-west");
        assertThat(b.totalLogins()).isEqualTo(65);
        assertThat(b.firstAttempts()).isEqualTo(60);
        assertThat(b.logins(AttemptClass.INTERACTIVE)).isEqualTo(10);
        assertThat(b.logins(AttemptClass.TOKEN_REFRESH)).isEqualTo(20);
        assertThat(b.logins(AttemptClass.AUTO)).isEqualTo(30);
        assertThat(b.logins(AttemptClass.RETRY)).isEqualTo(5);
        assertThat(b.failedLogins()).isEqualTo(12);
        assertThat(b.logins(Outcome.THROTTLED)).isEqualTo(8);
        assertThat(b.logins(Outcome.SUCCESS)).isEqualTo(45);
        assertThat(CountsRow.of(b)).isEqualTo(new CountsRow(row.time(), 0, 10, 20, 30, 5, 12, 8, 0, 0));
    }

    @Test
    void whatTheWriterWritesReadsBackAsTheSameCounts() throws IOException {
        BucketStats b = new BucketStats("eu-west", 1795510800000L);
        b.boots = 9;
        b.armedBoots = 4;
        b.logins[BucketStats.cell(AttemptClass.AUTO, Outcome.SUCCESS)] = 7;
        b.logins[BucketStats.cell(AttemptClass.AUTO, Outcome.TIMEOUT)] = 2;
        b.logins[BucketStats.cell(AttemptClass.RETRY, Outcome.REJECTED)] = 3;
        b.logins[BucketStats.cell(AttemptClass.INTERACTIVE, Outcome.THROTTLED)] = 1;
        BucketStats next = new BucketStats("eu-west", b.bucketStart + 10_000);
        String line = CountsCsv.line(b);
        assertThat(line).isEqualTo("2026-11-24T09:00:00Z,eu-west,1,0,9,3,5,1,9,4");
        CountsCsv.Counts c = read(CountsCsv.header() + "\n" + line + "\n" + CountsCsv.line(next) + "\n");
        assertThat(c.intervalMs()).isEqualTo(10_000);
        assertThat(c.segments().get("eu-west").get(0)).isEqualTo(new CountsRow(b.bucketStart, 2, 1, 0, 9, 3, 5,
                1, 9, 4));
    }

    @Test
    void readsAGzipFileByItsName(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("counts.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write("time,segment,boots\n0,fleet,1\n5000,fleet,2\n".getBytes(StandardCharsets.UTF_8));
        }
        CountsCsv.Counts c = CountsCsv.read(file);
        assertThat(c.intervalMs()).isEqualTo(5_000);
        assertThat(c.file()).isEqualTo(file.toString());
    }

    @Test
    void unknownColumnsAreNamedWithTheKnownOnes() {
        assertThatThrownBy(() -> read("time,segment,logins,boots,reboots\n"))
                .isInstanceOf(CountsCsv.FormatException.class)
                .hasMessage("c.csv line 1: unknown columns logins, reboots; the columns are time, segment and any of "
                        + "first_attempts, interactive, token_refresh, auto, retries, failures, throttled, boots, "
                        + "armed_boots");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            no time column          | segment,boots                       | c.csv line 1: the header needs a time column
            no count column         | time,segment                        | c.csv line 1: the header has no count column
            a column twice          | time,segment,boots,boots            | c.csv line 1: the header names column boots twice
            """)
    void aHeaderMistakeIsReportedOnItsLine(String mistake, String header, String message) {
        assertThatThrownBy(() -> read(header + "\n0,fleet,1\n")).isInstanceOf(CountsCsv.FormatException.class)
                .hasMessageStartingWith(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not a number       | 2026-11-24T09:02:00Z,eu-west,12,many,0  | c.csv line 4, column boots: "many" is not a whole number; counts are whole numbers, 0 or more
            negative           | 2026-11-24T09:02:00Z,eu-west,12,-3,0    | c.csv line 4, column boots: "-3" is not a count (negative); counts are whole numbers, 0 or more
            a fraction         | 2026-11-24T09:02:00Z,eu-west,12.5,3,0   | c.csv line 4, column first_attempts: "12.5" is not a whole number; counts are whole numbers, 0 or more
            a bad time         | 2026-11-24 09:02,eu-west,12,3,0         | c.csv line 4, column time: "2026-11-24 09:02" is not an RFC 3339 date-time (too short); write RFC 3339 (2026-11-24T09:00:00Z) or epoch milliseconds
            no segment         | 2026-11-24T09:02:00Z,,12,3,0            | c.csv line 4, column segment: is empty; name the region, or fleet for the whole fleet
            too few fields     | 2026-11-24T09:02:00Z,eu-west,12,3       | c.csv line 4: has 4 fields, the header 5
            armed above boots  | 2026-11-24T09:02:00Z,eu-west,12,3,4     | c.csv line 4, column armed_boots: is 4, more than the boots (3); armed boots are counted among the boots
            going back in time | 2026-11-24T09:00:30Z,eu-west,12,3,0     | c.csv line 4: time 2026-11-24T09:00:30Z of segment eu-west is before that of its previous row, 2026-11-24T09:01:00Z (line 3); the rows of a segment must be in time order
            a row twice        | 2026-11-24T09:01:00Z,eu-west,12,3,0     | c.csv line 4: a second row for segment eu-west at 2026-11-24T09:01:00Z (the first is line 3)
            off the grid       | 2026-11-24T09:02:30Z,eu-west,12,3,0     | c.csv line 4, column time: 2026-11-24T09:02:30Z is off the file's grid: the interval is 60 s (the smallest gap between two rows of a segment) and the first row, line 2, is at 2026-11-24T09:00:00Z; every time must be a whole number of intervals from it
            """)
    void aBadRowIsAnErrorWithItsLineAndColumn(String mistake, String row, String message) {
        String text = "time,segment,first_attempts,boots,armed_boots\n"
                + "2026-11-24T09:00:00Z,eu-west,10,1,0\n"
                + "2026-11-24T09:01:00Z,eu-west,11,1,0\n"
                + row + "\n";
        assertThatThrownBy(() -> read(text)).isInstanceOf(CountsCsv.FormatException.class).hasMessage(message);
    }

    @Test
    void countsThatContradictEachOtherAreErrors() {
        assertThatThrownBy(() -> read("time,segment,first_attempts,interactive,auto\n0,fleet,10,3,4\n"))
                .hasMessage("c.csv line 2, column first_attempts: is 10 but interactive + auto is 7; with the trigger "
                        + "columns, leave first_attempts out or make it their sum");
        assertThatThrownBy(() -> read("time,segment,first_attempts,retries,failures,throttled\n0,fleet,10,2,9,4\n"))
                .hasMessage("c.csv line 2: failures + throttled (13) exceed the attempts (12, first attempts + retries); "
                        + "failed and throttled attempts are counted among the attempts");
    }

    @Test
    void aFileWithoutRowsOrWithoutTwoRowsOfASegmentHasNoInterval() {
        assertThatThrownBy(() -> read("# only a comment\n")).hasMessageStartingWith("c.csv has no header row");
        assertThatThrownBy(() -> read("time,segment,boots\n")).hasMessage("c.csv has a header but no rows");
        assertThatThrownBy(() -> read("time,segment,boots\n0,eu-west,1\n0,us-east,1\n"))
                .hasMessage("c.csv: no segment has two rows, so the file's interval cannot be told; give at least two "
                        + "consecutive intervals of one segment");
    }

    @Test
    void quotedFieldsAndUpperCaseNamesAreRead() throws IOException {
        CountsCsv.Counts c = read("\"Time\",\"Segment\",\"BOOTS\"\n\"0\",\"fleet\",\"3\"\n\"10000\",\"fleet\",\"4\"\n");
        assertThat(c.segments().get("fleet")).extracting(CountsRow::boots).containsExactly(3L, 4L);
    }
}
