package io.stampede.cli;

import io.stampede.config.StampedeConfig;
import io.stampede.control.ControlReader;
import io.stampede.control.ControlRecord;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --control FILE} of the bounded runs: the operators' controls as JSON lines, the records of
 * the control topic ({@code schemas/control.schema.json}). They are applied in event time, as the
 * live job applies them, so a backtest with the controls of a live run makes its decisions.
 */
final class ControlFile {

    @Option(names = "--control", paramLabel = "FILE",
            description = "Controls in force during the run (maintenance windows, throttle switches, per-region "
                    + "settings), one JSON object a line as on the control topic (schemas/control.schema.json). "
                    + "A control that is not valid is refused with the reason (a dead letter) and never applied.")
    Path file;

    /**
     * The file's records, one per non-blank line; each one the job will refuse gets a warning
     * (with its line and reason) here, before the run.
     */
    List<ControlRecord> records(StampedeConfig config, List<String> warnings) {
        if (file == null) {
            return List.of();
        }
        List<String> lines;
        try {
            if (Files.isDirectory(file)) {
                throw new StampedeCli.UserException(file + " (--control) is a folder, not a file");
            }
            lines = Files.readAllLines(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new StampedeCli.UserException("control file " + file + " (--control) does not exist");
        } catch (MalformedInputException e) {
            throw new StampedeCli.UserException("control file " + file + " (--control) is not UTF-8 text");
        } catch (IOException e) {
            throw new StampedeCli.UserException("cannot read control file " + file + " (--control): " + e.getMessage());
        }
        ControlReader reader = new ControlReader(config);
        List<ControlRecord> records = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            ControlReader.Result r = reader.read(line);
            if (!r.accepted()) {
                warnings.add("control file " + file + " line " + (i + 1) + " is refused, nothing of it applied: "
                        + r.refusal());
            }
            records.add(ControlRecord.ofLine(file.toString(), i + 1, line));
        }
        return records;
    }
}
