package io.stampede.config;

import java.lang.annotation.Annotation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The problems of a bound configuration. It walks the records from {@link StampedeConfig} down,
 * checks the constraints annotated on each component ({@link Positive}, {@link Range}, ...) and
 * names every problem by the setting's dotted path, derived from where the record sits. It keeps
 * those paths, so that the rules between settings ({@link ConfigLoader}) name settings the same
 * way through {@link #name}, not by repeating them in strings.
 */
final class ConfigCheck {

    private static final Pattern PORTS = Pattern.compile("(\\d{1,5})(?:-(\\d{1,5}))?");

    private final List<String> problems = new ArrayList<>();
    private final Map<Record, String> paths = new IdentityHashMap<>();
    private boolean complete = true;

    private ConfigCheck() {}

    static ConfigCheck of(StampedeConfig config) {
        ConfigCheck check = new ConfigCheck();
        check.walk(config, "");
        return check;
    }

    /** The full name of a setting of a checked record: {@code name(c.throttle(), "ttl")} is {@code throttle.ttl}. */
    String name(Record section, String component) {
        String path = paths.get(section);
        if (path == null) {
            throw new IllegalArgumentException(section.getClass().getSimpleName() + " is not in this configuration");
        }
        if (Arrays.stream(section.getClass().getRecordComponents()).noneMatch(c -> c.getName().equals(component))) {
            throw new IllegalArgumentException(section.getClass().getSimpleName() + " has no setting " + component);
        }
        return path + component;
    }

    void add(String problem) {
        problems.add(problem);
    }

    List<String> problems() {
        return problems;
    }

    /** Whether every setting is set, so that rules between settings can read them. */
    boolean complete() {
        return complete;
    }

    private void walk(Record record, String prefix) {
        paths.put(record, prefix);
        for (RecordComponent c : record.getClass().getRecordComponents()) {
            String name = prefix + c.getName();
            Object value = read(record, c);
            if (value == null) {
                if (!c.isAnnotationPresent(MayBeAbsent.class)) {
                    complete = false;
                    problems.add(name + " must be set: expected " + ConfigLoader.simpleType(c.getType()));
                }
            } else if (value instanceof Record nested) {
                walk(nested, name + ".");
            } else {
                for (Annotation a : c.getAnnotations()) {
                    check(a, name, value);
                }
            }
        }
    }

    private void check(Annotation a, String name, Object value) {
        if (a instanceof Positive) {
            if (value instanceof Duration d) {
                if (d.isZero() || d.isNegative()) {
                    problems.add(name + " must be a positive duration, got " + Durations.format(d));
                }
            } else if (!(number(value) > 0)) {
                problems.add(name + " must be positive, got " + value);
            }
        } else if (a instanceof NonNegative) {
            boolean negative = value instanceof Duration d ? d.isNegative() : number(value) < 0;
            if (negative) {
                problems.add(name + " must not be negative, got " + shown(value));
            }
        } else if (a instanceof Range r) {
            double v = number(value);
            boolean low = r.minExclusive() ? v > r.min() : v >= r.min();
            if (!low || v > r.max()) {
                problems.add(name + " must be " + bounds(r) + ", got " + value + why(r.why()));
            }
        } else if (a instanceof DurationRange r) {
            Duration d = (Duration) value;
            Duration min = r.min().isEmpty() ? null : Durations.parse(r.min());
            Duration max = r.max().isEmpty() ? null : Durations.parse(r.max());
            if ((min != null && d.compareTo(min) < 0) || (max != null && d.compareTo(max) > 0)
                    || (r.wholeSeconds() && d.toMillis() % 1000 != 0)) {
                String bounds = min == null ? "at most " + r.max()
                        : max == null ? "at least " + r.min() : "between " + r.min() + " and " + r.max();
                problems.add(name + " must be " + (r.wholeSeconds() ? "whole seconds " : "") + bounds + ", got "
                        + Durations.format(d) + why(r.why()));
            }
        } else if (a instanceof OneOf o) {
            if (!Arrays.asList(o.value()).contains(value)) {
                problems.add(name + " must be " + String.join(", ", Arrays.copyOf(o.value(), o.value().length - 1))
                        + " or " + o.value()[o.value().length - 1] + ", got \"" + value + "\"");
            }
        } else if (a instanceof NotBlank) {
            if (value.toString().isBlank()) {
                problems.add(name + " must not be empty");
            }
        } else if (a instanceof FilePath f) {
            filePath(name, value.toString(), f);
        } else if (a instanceof HttpUrl u) {
            httpUrl(name, value.toString(), u);
        } else if (a instanceof PortRange) {
            portRange(name, value.toString());
        }
    }

    private void filePath(String name, String value, FilePath f) {
        if (value.isBlank()) {
            problems.add(name + " must name a file: " + f.why());
            return;
        }
        try {
            Path.of(value);
        } catch (InvalidPathException e) {
            problems.add(name + " is not a file path: " + e.getMessage());
        }
    }

    private void httpUrl(String name, String value, HttpUrl u) {
        if (u.emptyMeansOff() && value.isBlank()) {
            return;
        }
        // The placeholders are not URL characters; check the link as it will be sent.
        String asSent = value;
        for (String p : u.placeholders()) {
            asSent = asSent.replace("{" + p + "}", "x");
        }
        String why = null;
        try {
            URI uri = new URI(asSent);
            if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
                why = "it does not start with http:// or https://";
            } else if (uri.getHost() == null) {
                why = "it names no host";
            }
        } catch (URISyntaxException e) {
            why = e.getReason() + " at index " + e.getIndex();
        }
        if (why != null) {
            problems.add(name + " must be an http(s) URL such as " + u.example() + "; "
                    + ConfigLoader.shortValue(asSent) + " is not: " + why);
        }
    }

    private void portRange(String name, String value) {
        if (value.isBlank()) {
            return;
        }
        Matcher m = PORTS.matcher(value.trim());
        boolean valid = m.matches();
        if (valid) {
            int low = Integer.parseInt(m.group(1));
            int high = m.group(2) == null ? low : Integer.parseInt(m.group(2));
            valid = low >= 1 && high <= 65535 && low <= high;
        }
        if (!valid) {
            problems.add(name + " must be empty (off), a port such as 9249 or a range such as 9249-9260 (ports 1 to "
                    + "65535, low to high), got " + ConfigLoader.shortValue(value));
        }
    }

    private static String bounds(Range r) {
        boolean hasMin = r.min() != Double.NEGATIVE_INFINITY;
        boolean hasMax = r.max() != Double.POSITIVE_INFINITY;
        if (hasMin && hasMax) {
            return r.minExclusive() ? "in (" + bound(r.min()) + ", " + bound(r.max()) + "]"
                    : "between " + bound(r.min()) + " and " + bound(r.max());
        }
        return hasMin ? (r.minExclusive() ? "above " : "at least ") + bound(r.min()) : "at most " + bound(r.max());
    }

    /** A bound as people write it: {@code 1}, not {@code 1.0}. */
    private static String bound(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private static String why(String why) {
        return why.isEmpty() ? "" : ": " + why;
    }

    private static String shown(Object value) {
        return value instanceof Duration d ? Durations.format(d) : String.valueOf(value);
    }

    private static double number(Object value) {
        return ((Number) value).doubleValue();
    }

    private static Object read(Record record, RecordComponent c) {
        try {
            return c.getAccessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read setting " + c.getName(), e);
        }
    }
}
