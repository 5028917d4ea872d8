package io.stampede.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream into lines (LF or CRLF), without decoding them. Of a line longer than
 * {@code keepLimit} only the first {@code keepLimit} bytes are kept, but the line is still read to
 * its end and its whole length is reported, so a huge line costs no memory and the next line is
 * found. Used by the file source's format and by the replay.
 */
public final class ByteLines {

    private final InputStream in;
    private final int keepLimit;
    private final byte[] buffer = new byte[64 * 1024];
    private int pos;
    private int limit;
    private boolean eof;
    private byte[] line = new byte[1024];
    private int length;
    private long total;

    /** @param keepLimit how many bytes of a line are kept at most */
    public ByteLines(InputStream in, int keepLimit) {
        this.in = in;
        this.keepLimit = keepLimit;
    }

    /**
     * Reads the next line (empty lines too).
     *
     * @return false at the end of the stream
     */
    public boolean next() throws IOException {
        length = 0;
        total = 0;
        boolean any = false;
        while (true) {
            if (pos == limit && !fill()) {
                break;
            }
            any = true;
            byte b = buffer[pos++];
            if (b == '\n') {
                break;
            }
            total++;
            if (length < keepLimit) {
                if (length == line.length) {
                    line = Arrays.copyOf(line, Math.min(keepLimit, line.length * 2));
                }
                line[length++] = b;
            }
        }
        if (length > 0 && length == total && line[length - 1] == '\r') {
            length--;
            total--;
        }
        return any;
    }

    /** The kept bytes of the current line, from 0 to {@link #length()} (the array is reused). */
    public byte[] bytes() {
        return line;
    }

    /** How many bytes of the current line are kept: its length, or {@code keepLimit} if it is longer. */
    public int length() {
        return length;
    }

    /**
     * Why a file could not be read from line {@code firstLost} on, after {@link #next()} threw
     * {@code e} (a truncated or corrupt compressed file): the words a dead letter or a warning uses.
     */
    public static String unreadable(String file, long firstLost, IOException e) {
        String type = e.getClass().getSimpleName();
        return "cannot read " + file + " from line " + firstLost + " on: "
                + (e.getMessage() == null ? type : e.getMessage() + " (" + type + ")")
                + "; the file is truncated or corrupt";
    }

    /** The current line's whole length in bytes, without its line end. */
    public long total() {
        return total;
    }

    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        int n = in.read(buffer);
        if (n <= 0) {
            eof = true;
            return false;
        }
        pos = 0;
        limit = n;
        return true;
    }
}
