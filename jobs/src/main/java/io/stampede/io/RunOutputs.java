package io.stampede.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.stampede.admission.ThrottleDirective;
import io.stampede.alert.Alert;
import io.stampede.detect.SegmentSnapshot;
import io.stampede.event.DeadLetter;
import io.stampede.plan.ScalingSignal;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The outputs of a bounded run, read back from its folder (for summaries, reports and tests). */
public record RunOutputs(
        List<Alert> alerts,
        List<ThrottleDirective> directives,
        List<ScalingSignal> signals,
        List<SegmentSnapshot> snapshots,
        long deadLetters) {

    public static RunOutputs read(Path dir) throws IOException {
        return new RunOutputs(
                lines(dir.resolve(OutputFiles.ALERTS), Alert.class),
                lines(dir.resolve(OutputFiles.DIRECTIVES), ThrottleDirective.class),
                lines(dir.resolve(OutputFiles.SIGNALS), ScalingSignal.class),
                lines(dir.resolve(OutputFiles.SNAPSHOTS), SegmentSnapshot.class),
                count(dir.resolve(OutputFiles.DEAD_LETTERS)));
    }

    public static <T> List<T> lines(Path file, Class<T> type) throws IOException {
        List<T> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        ObjectMapper mapper = Json.MAPPER;
        try (BufferedReader r = Files.newBufferedReader(file)) {
            String line;
            while ((line = r.readLine()) != null) {
                if (!line.isBlank()) {
                    out.add(mapper.readValue(line, type));
                }
            }
        }
        return out;
    }

    /** Dead letters are not read into memory: a bad input file can make millions. */
    public static long count(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        try (var lines = Files.lines(file)) {
            return lines.filter(l -> !l.isBlank()).count();
        }
    }

    public static List<DeadLetter> deadLetters(Path dir) throws IOException {
        return lines(dir.resolve(OutputFiles.DEAD_LETTERS), DeadLetter.class);
    }
}
