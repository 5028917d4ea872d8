package io.stampede.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ByteLinesTest {

    /** Each line as "kept text|whole length". */
    private static List<String> read(String text, int keepLimit) throws IOException {
        ByteLines lines = new ByteLines(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), keepLimit);
        List<String> out = new ArrayList<>();
        while (lines.next()) {
            out.add(new String(lines.bytes(), 0, lines.length(), StandardCharsets.UTF_8) + "|" + lines.total());
        }
        return out;
    }

    @Test
    void splitsOnLfAndCrlfKeepsEmptyLinesAndALastLineWithoutNewline() throws IOException {
        assertThat(read("a\r\n\nbc\nd", 100)).containsExactly("a|1", "|0", "bc|2", "d|1");
    }

    @Test
    void aLineLongerThanTheLimitKeepsItsBeginningReportsItsLengthAndTheNextLineIsIntact() throws IOException {
        String longLine = "x".repeat(200_000);
        assertThat(read(longLine + "\r\nnext\n", 10)).containsExactly("xxxxxxxxxx|200001", "next|4");
    }

    @Test
    void anEmptyStreamHasNoLines() throws IOException {
        assertThat(read("", 10)).isEmpty();
    }
}
