package io.stampede.event;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Takes the personal fields (the account id, and any other configured) out of what a dead letter
 * keeps: in its original each such field's value becomes {@code "hmac:<16 hex digits>"} (a keyed
 * HMAC-SHA256 of the value, so one account always gives the same token and support can correlate
 * dead letters without seeing the account), or {@code "[redacted]"} when no key is configured; and
 * the reason, which can quote a value, is cleaned of the same values.
 *
 * <p>The original of a dead letter is often not JSON (malformed, or cut at the size limit), so the
 * fields are found on the text, not on a parsed tree: every unescaped quote starts a candidate
 * name, and a candidate equal to a personal field (after unescaping) and followed by a colon has its
 * value replaced, whether a string (escaped quotes included), a number, a literal, an object or an
 * array. In valid JSON an unescaped quoted name followed by a colon can only be a key, so a field
 * name inside a value is left alone; in broken JSON a stray quote cannot hide a field either,
 * because the scan does not rely on knowing where strings start. JSON held in a string of the record
 * is searched the same way, one level deep.
 *
 * <p>Thread-safe.
 */
public final class PersonalData implements Serializable {

    private static final long serialVersionUID = 1L;

    /** What replaces a personal value when there is no key, or the value was cut. */
    public static final String REDACTED = "[redacted]";

    /** How a hashed value starts. */
    public static final String HMAC_PREFIX = "hmac:";

    private static final int TOKEN_HEX_DIGITS = 16;

    /**
     * Of an original that cannot be searched for personal fields, the first bytes kept: enough to
     * see a byte order mark or a compression format (FF FE, 1F 8B...), too few to hold an account id.
     */
    static final int UNSEARCHABLE_KEPT_BYTES = 8;

    private static final Pattern QUOTED = Pattern.compile("'([^']*)'|\"([^\"]*)\"");

    private final TreeSet<String> fields;
    private final byte[] key;

    /**
     * @param fields names of the personal fields of input records
     * @param key the HMAC key; empty or {@code null} to redact instead of hashing
     */
    public PersonalData(List<String> fields, String key) {
        this.fields = new TreeSet<>(fields);
        this.key = key == null || key.isEmpty() ? null : key.getBytes(StandardCharsets.UTF_8);
    }

    /** The dead letter with its personal values replaced in the original and the reason. */
    public DeadLetter protect(DeadLetter d) {
        String original = d.original();
        String base64 = d.originalBase64();
        boolean truncated = d.truncated();
        Map<String, String> found = new LinkedHashMap<>();
        if (original != null) {
            if (searchable(original.getBytes(StandardCharsets.UTF_8))) {
                original = replace(original, false, found);
            } else {
                original = prefix(original);
                truncated = true;
            }
        }
        if (base64 != null) {
            byte[] bytes = Base64.getDecoder().decode(base64);
            if (searchable(bytes)) {
                // Bytes that are not UTF-8 but have no control characters are text in an ASCII-compatible
                // encoding (Latin-1, Windows-1252, UTF-8 cut inside a character): read as ISO-8859-1, one
                // character per byte, the names, quotes and colons are found as in UTF-8 and every other
                // byte is written back unchanged.
                String text = replace(new String(bytes, StandardCharsets.ISO_8859_1), true, found);
                base64 = Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.ISO_8859_1));
            } else {
                // UTF-16 or UTF-32 text, compressed or binary data: an account id in it cannot be found,
                // and would come back by decoding the base64, so only a few bytes of the beginning are kept.
                base64 = Base64.getEncoder().encodeToString(
                        Arrays.copyOf(bytes, Math.min(bytes.length, UNSEARCHABLE_KEPT_BYTES)));
                truncated = truncated || bytes.length > UNSEARCHABLE_KEPT_BYTES;
            }
        }
        String reason = scrub(d.reason(), found);
        return new DeadLetter(d.input(), d.source(), d.partition(), d.offset(), d.line(), d.category(), reason,
                original, base64, d.originalSize(), truncated, d.eventId(), d.eventTime());
    }

    /**
     * The text with the value of every personal field replaced (and that value wherever else it is a
     * string of the record): as a key of the record, and as a key of JSON held in one of its strings
     * ({@code "payload":"{\\"accountId\\":\\"...\\"}"}), one level deep.
     *
     * @param latin1 whether the text is bytes read as ISO-8859-1 (values are hashed as their UTF-8 bytes)
     * @param found receives each replaced value (unescaped, and as written) with its replacement
     */
    String replace(String text, boolean latin1, Map<String, String> found) {
        String r = replace(replace(text, 0, latin1, found), 1, latin1, found);
        // The same value as a string elsewhere, such as an account id sent in the wrong field.
        for (Map.Entry<String, String> e : found.entrySet()) {
            String value = latin1 ? new String(e.getKey().getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1)
                    : e.getKey();
            r = r.replace("\"" + value + "\"", "\"" + e.getValue() + "\"")
                    .replace("\\\"" + value + "\\\"", "\\\"" + e.getValue() + "\\\"");
        }
        return r;
    }

    /**
     * @param level 0 for the record's own quotes; 1 for the quotes of JSON in one of its strings, which
     *     are written {@code \"} (see {@link #isQuote})
     */
    private String replace(String text, int level, boolean latin1, Map<String, String> found) {
        String delimiter = level == 0 ? "\"" : "\\\"";
        StringBuilder out = new StringBuilder(text.length());
        int copied = 0;
        int quote = nextQuote(text, 0, level);
        while (quote >= 0) {
            int close = nextQuote(text, quote + 1, level);
            if (close < 0) {
                break;
            }
            int next = close;
            String name = unescape(text.substring(quote + 1, close - level), level + 1, false);
            int colon = skipSpace(text, close + 1);
            if (fields.contains(name) && colon < text.length() && text.charAt(colon) == ':') {
                int start = skipSpace(text, colon + 1);
                int end = valueEnd(text, start, level);
                if (end > start && !text.substring(start, end).equals("null")) {
                    boolean string = isString(text, start, level);
                    String written = text.substring(start, end).trim();
                    if (string) {
                        int closing = nextQuote(text, start + level + 1, level);
                        written = text.substring(start + level + 1, closing < 0 ? end : closing - level);
                    }
                    String plain = unescape(written, string ? level + 1 : level, latin1);
                    // A value that runs to the end of the text may have been cut: a hash of part of a value
                    // would not match the whole value's, so it is redacted.
                    String token = end == text.length() ? REDACTED : token(plain);
                    if (!plain.isEmpty()) {
                        found.putIfAbsent(plain, token);
                        found.putIfAbsent(unescape(written, 0, latin1), token);
                    }
                    out.append(text, copied, start).append(delimiter).append(token).append(delimiter);
                    copied = end;
                    next = end;
                }
            }
            quote = nextQuote(text, next, level);
        }
        return copied == 0 ? text : out.append(text, copied, text.length()).toString();
    }

    /**
     * The reason without the personal values found in the original: where a value appears in full, and
     * where a quoted piece of it appears (parsers quote the token they stopped at, abbreviated).
     */
    static String scrub(String reason, Map<String, String> found) {
        if (reason == null || found.isEmpty()) {
            return reason;
        }
        List<Map.Entry<String, String>> longestFirst = new ArrayList<>(found.entrySet());
        longestFirst.sort(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getKey().length()).reversed());
        String r = reason;
        for (Map.Entry<String, String> e : longestFirst) {
            r = r.replace(e.getKey(), e.getValue());
        }
        Matcher m = QUOTED.matcher(r);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String quoted = m.group(1) != null ? m.group(1) : m.group(2);
            String piece = quoted.endsWith("...") ? quoted.substring(0, quoted.length() - 3) : quoted;
            String token = null;
            if (!piece.isEmpty() && !piece.equals(REDACTED) && !piece.startsWith(HMAC_PREFIX)) {
                for (Map.Entry<String, String> e : longestFirst) {
                    if (e.getKey().contains(piece)) {
                        token = e.getValue();
                        break;
                    }
                }
            }
            String quote = m.group(1) != null ? "'" : "\"";
            m.appendReplacement(out, Matcher.quoteReplacement(token == null ? m.group() : quote + token + quote));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** {@code hmac:<hex>} of a value, or {@link #REDACTED} without a key. */
    private String token(String plain) {
        if (key == null) {
            return REDACTED;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] digest = mac.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            return HMAC_PREFIX + HexFormat.of().formatHex(digest).substring(0, TOKEN_HEX_DIGITS);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    /**
     * Whether the character at {@code i} is a quote of this level. Level 0: a quote not escaped (after an
     * even number of backslashes). Level 1, JSON written inside a JSON string: its quotes are escaped once
     * ({@code \"}), its escaped quotes twice ({@code \\\"}), its backslash before a quote is an escaped
     * backslash ({@code \\\\\"}): one backslash more than a multiple of four.
     */
    private static boolean isQuote(String s, int i, int level) {
        if (i < 0 || i >= s.length() || s.charAt(i) != '"') {
            return false;
        }
        int backslashes = 0;
        for (int j = i - 1; j >= 0 && s.charAt(j) == '\\'; j--) {
            backslashes++;
        }
        return level == 0 ? backslashes % 2 == 0 : backslashes % 4 == 1;
    }

    private static int nextQuote(String s, int from, int level) {
        for (int i = s.indexOf('"', from); i >= 0; i = s.indexOf('"', i + 1)) {
            if (isQuote(s, i, level)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether a string of this level starts at {@code i} (at level 1 its opening {@code \"}). */
    private static boolean isString(String s, int i, int level) {
        return i + level < s.length() && (level == 0 || s.charAt(i) == '\\') && isQuote(s, i + level, level);
    }

    /** Where the value starting at {@code i} ends: a string, an object or array (balanced), or a bare word. */
    private static int valueEnd(String s, int i, int level) {
        if (i >= s.length()) {
            return i;
        }
        if (isString(s, i, level)) {
            int close = nextQuote(s, i + level + 1, level);
            return close < 0 ? s.length() : close + 1;
        }
        char c = s.charAt(i);
        if (c == '{' || c == '[') {
            int depth = 0;
            for (int j = i; j < s.length(); j++) {
                char x = s.charAt(j);
                if (isQuote(s, j, level)) {
                    int close = nextQuote(s, j + 1, level);
                    if (close < 0) {
                        return s.length();
                    }
                    j = close;
                } else if (x == '{' || x == '[') {
                    depth++;
                } else if ((x == '}' || x == ']') && --depth == 0) {
                    return j + 1;
                }
            }
            return s.length();
        }
        // A bare value (number, literal, or an unquoted word of broken JSON) runs to the next delimiter;
        // spaces inside it are kept in it, so MARKER ACCT 4711 is one value.
        String delimiters = level == 0 ? ",}]\"\n\r" : ",}]\\\n\r";
        int j = i;
        while (j < s.length() && delimiters.indexOf(s.charAt(j)) < 0) {
            j++;
        }
        while (j > i && Character.isWhitespace(s.charAt(j - 1))) {
            j--;
        }
        return j;
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == '\n'
                || s.charAt(i) == '\r')) {
            i++;
        }
        return i;
    }

    /**
     * The characters JSON string content stands for, unescaped {@code times} times; an invalid escape is
     * kept as written.
     *
     * @param latin1 whether the characters are bytes read as ISO-8859-1, to be read as UTF-8 first
     */
    static String unescape(String s, int times, boolean latin1) {
        String v = latin1 ? new String(s.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8) : s;
        for (int t = 0; t < times && v.indexOf('\\') >= 0; t++) {
            v = unescape(v);
        }
        return v;
    }

    private static String unescape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 >= s.length()) {
                b.append(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> {
                    if (isHex(s, i + 1)) {
                        b.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                        i += 4;
                    } else {
                        b.append('\\').append(e);
                    }
                }
                default -> b.append('\\').append(e);
            }
        }
        return b.toString();
    }

    private static boolean isHex(String s, int from) {
        if (from + 4 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 4; i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether personal fields can be found in these bytes: no control characters but tab, line feed and
     * carriage return. JSON has none outside escapes; UTF-16 and UTF-32 text has a zero byte in every ASCII
     * character, and compressed or binary data has control bytes all over.
     */
    static boolean searchable(byte[] bytes) {
        for (byte b : bytes) {
            if (b >= 0 && b < 0x20 && b != '\t' && b != '\n' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    /** The longest beginning of the text that fits in {@link #UNSEARCHABLE_KEPT_BYTES} bytes of UTF-8. */
    private static String prefix(String text) {
        int end = 0;
        int bytes = 0;
        while (end < text.length()) {
            int cp = text.codePointAt(end);
            int size = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes + size > UNSEARCHABLE_KEPT_BYTES) {
                break;
            }
            bytes += size;
            end += Character.charCount(cp);
        }
        return text.substring(0, end);
    }

    @Override
    public String toString() {
        return "PersonalData[fields=" + fields + ", " + (key == null ? "redacted" : "hashed with a key") + "]";
    }
}
