package io.stampede.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link StampedeConfig} from the bundled defaults, an optional YAML file and
 * {@code key=value} overrides, and checks it. Every problem is reported at start, with the
 * setting's full name and what would be accepted.
 */
public final class ConfigLoader {

    public static final String DEFAULTS_RESOURCE = "/stampede-defaults.yaml";

    /** Settings whose keys are free-form (they are passed on as they are). */
    private static final Set<String> FREE_FORM = Set.of("kafka.properties");

    /** Bytes of a refused record its dead letter may keep, so that the dead letter fits in a Kafka record. */
    static final int MAX_DEAD_LETTER_KEEP_BYTES = 512 * 1024;

    /** The field of login events that is personal data, which input.personalData.fields may not leave out. */
    static final String PERSONAL_ACCOUNT_ID = "accountId";

    /** Shortest HMAC key for personal data: 128 bits as hex. */
    static final int MIN_PERSONAL_DATA_KEY_LENGTH = 32;

    /** Alertmanager's default resolve_timeout: a firing alert not re-sent within it is resolved. */
    private static final Duration ALERTMANAGER_RESOLVE_TIMEOUT = Duration.ofMinutes(5);

    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .addModule(new SimpleModule().addDeserializer(Duration.class, new DurationDeserializer()))
            .build();

    private ConfigLoader() {}

    /** The defaults alone. */
    public static StampedeConfig defaults() {
        return load(null, List.of());
    }

    /**
     * @param file a YAML configuration file, or {@code null}
     * @param overrides settings as {@code section.key=value}, applied after the file
     */
    public static StampedeConfig load(Path file, List<String> overrides) {
        ObjectNode tree = defaultsTree();
        if (file != null) {
            JsonNode user;
            try {
                user = YAML.readTree(Files.readString(file));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new ConfigException("configuration file " + file + " is not valid YAML: "
                        + yamlProblem(e.getOriginalMessage()), e);
            } catch (IOException e) {
                throw new ConfigException("cannot read configuration file " + file + ": "
                        + (e instanceof java.nio.file.NoSuchFileException ? "no such file"
                                : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                                : e.getMessage()), e);
            }
            if (user != null && !user.isMissingNode() && !user.isNull()) {
                if (!user.isObject()) {
                    throw new ConfigException("configuration file " + file + " must hold a YAML mapping of settings");
                }
                merge(tree, (ObjectNode) user, "", file.toString());
            }
        }
        for (String o : overrides) {
            applyOverride(tree, o);
        }
        StampedeConfig config = bind(tree);
        validate(config);
        return config;
    }

    /** The bundled defaults as YAML text, with their comments. */
    public static String defaultsText() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectNode defaultsTree() {
        try {
            return (ObjectNode) YAML.readTree(defaultsText());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void merge(ObjectNode target, ObjectNode source, String prefix, String origin) {
        Iterator<Map.Entry<String, JsonNode>> it = source.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = prefix + e.getKey();
            JsonNode existing = target.get(e.getKey());
            if (existing == null && !FREE_FORM.contains(prefix.isEmpty() ? "" : prefix.substring(0, prefix.length() - 1))) {
                throw new ConfigException("unknown setting '" + name + "' in " + origin + known(target, prefix));
            }
            if (existing != null && existing.isObject() && !FREE_FORM.contains(name)) {
                if (!e.getValue().isObject()) {
                    throw new ConfigException("setting '" + name + "' in " + origin + " must be a mapping of "
                            + fieldNames(existing));
                }
                merge((ObjectNode) existing, (ObjectNode) e.getValue(), name + ".", origin);
            } else {
                target.set(e.getKey(), e.getValue());
            }
        }
    }

    private static void applyOverride(ObjectNode tree, String override) {
        int eq = override.indexOf('=');
        if (eq <= 0) {
            throw new ConfigException("override '" + override + "' must look like section.key=value");
        }
        String path = override.substring(0, eq).trim();
        String value = override.substring(eq + 1).trim();
        String[] parts = path.split("\\.");
        ObjectNode node = tree;
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            String here = prefix + parts[i];
            if (child == null && FREE_FORM.contains(prefix.length() == 0 ? "" : prefix.substring(0, prefix.length() - 1))) {
                child = node.putObject(parts[i]);
            }
            if (child == null || !child.isObject()) {
                throw new ConfigException("unknown setting '" + path + "'" + known(node, prefix.toString()));
            }
            node = (ObjectNode) child;
            prefix.append(parts[i]).append('.');
            if (FREE_FORM.contains(here)) {
                node.put(String.join(".", java.util.Arrays.copyOfRange(parts, i + 1, parts.length)), value);
                return;
            }
        }
        String leaf = parts[parts.length - 1];
        JsonNode existing = node.get(leaf);
        if (existing == null) {
            throw new ConfigException("unknown setting '" + path + "'" + known(node, prefix.toString()));
        }
        if (existing.isObject() && !FREE_FORM.contains(path)) {
            throw new ConfigException("'" + path + "' is a section; set one of its keys: " + fieldNames(existing));
        }
        JsonNode parsed;
        try {
            parsed = value.isEmpty() ? YAML.getNodeFactory().textNode("") : YAML.readTree(value);
        } catch (IOException e) {
            parsed = YAML.getNodeFactory().textNode(value);
        }
        if (parsed == null || parsed.isMissingNode()) {
            parsed = YAML.getNodeFactory().textNode(value);
        }
        node.set(leaf, parsed);
    }

    private static StampedeConfig bind(ObjectNode tree) {
        try {
            return YAML.treeToValue(tree, StampedeConfig.class);
        } catch (InvalidFormatException e) {
            throw new ConfigException("setting '" + path(e) + "': " + shortValue(e.getValue()) + " is not a valid "
                    + simpleType(e.getTargetType()), e);
        } catch (ValueInstantiationException e) {
            Throwable root = e.getCause() != null ? e.getCause() : e;
            throw new ConfigException("setting '" + path(e) + "': " + root.getMessage(), e);
        } catch (MismatchedInputException e) {
            throw new ConfigException("setting '" + path(e) + "': expected " + simpleType(e.getTargetType()), e);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ConfigException("invalid configuration: " + e.getOriginalMessage(), e);
        }
    }

    /** Checks ranges and relations between settings. */
    static void validate(StampedeConfig c) {
        List<String> problems = new ArrayList<>();
        StampedeConfig.Input in = c.input();
        positive(problems, "input.maxRecordBytes", in.maxRecordBytes());
        positive(problems, "input.deadLetterKeepBytes", in.deadLetterKeepBytes());
        if (in.deadLetterKeepBytes() > MAX_DEAD_LETTER_KEEP_BYTES) {
            problems.add("input.deadLetterKeepBytes must be at most " + MAX_DEAD_LETTER_KEEP_BYTES + " (512 KiB), got "
                    + in.deadLetterKeepBytes() + ": a dead letter must fit in one Kafka record (max.message.bytes is "
                    + "1 MB by default, and bytes kept in base64 grow by a third), or the broker refuses it");
        }
        nonNegative(problems, "input.outOfOrderness", in.outOfOrderness());
        nonNegative(problems, "input.allowedLateness", in.allowedLateness());
        if (in.allowedLateness().compareTo(in.dedupWindow()) > 0) {
            problems.add("input.allowedLateness (" + Durations.format(in.allowedLateness())
                    + ") must not exceed input.dedupWindow (" + Durations.format(in.dedupWindow())
                    + "), or a late duplicate would no longer be recognised");
        }
        positive(problems, "input.idleness", in.idleness());
        positive(problems, "input.dedupWindow", in.dedupWindow());
        positive(problems, "input.deviceStateTtl", in.deviceStateTtl());
        personalData(problems, in.personalData());
        StampedeConfig.Detection d = c.detection();
        if (d.bucket().toMillis() < 1000 || d.bucket().toMillis() > 300_000 || d.bucket().toMillis() % 1000 != 0) {
            problems.add("detection.bucket must be whole seconds between 1s and 5m, got " + Durations.format(d.bucket()));
        }
        nonNegative(problems, "detection.warmup", d.warmup());
        positive(problems, "detection.levelTimeConstant", d.levelTimeConstant());
        positive(problems, "detection.trendTimeConstant", d.trendTimeConstant());
        rateRule(problems, "detection.rebootWave", d.rebootWave());
        rateRule(problems, "detection.loginSurge", d.loginSurge());
        share(problems, "detection.retryStorm.fireFailureShare", d.retryStorm().fireFailureShare());
        share(problems, "detection.retryStorm.fireRetryShareRise", d.retryStorm().fireRetryShareRise());
        share(problems, "detection.retryStorm.criticalFailureShare", d.retryStorm().criticalFailureShare());
        positive(problems, "detection.authDegraded.p99LatencyMs", d.authDegraded().p99LatencyMs());
        share(problems, "detection.authDegraded.errorRate", d.authDegraded().errorRate());
        share(problems, "detection.authDegraded.minHealthyCapacityShare", d.authDegraded().minHealthyCapacityShare());
        share(problems, "detection.authDegraded.criticalErrorRate", d.authDegraded().criticalErrorRate());
        share(problems, "detection.authDegraded.criticalHealthyCapacityShare",
                d.authDegraded().criticalHealthyCapacityShare());
        if (d.rebootWave().criticalRatio() == null || d.rebootWave().criticalRatio() < d.rebootWave().fireRatio()) {
            problems.add("detection.rebootWave.criticalRatio must be at least detection.rebootWave.fireRatio ("
                    + d.rebootWave().fireRatio() + "), got " + d.rebootWave().criticalRatio());
        }
        if (c.capacity().safeUtilization() <= 0 || c.capacity().safeUtilization() > 1) {
            problems.add("capacity.safeUtilization must be in (0, 1], got " + c.capacity().safeUtilization());
        }
        positive(problems, "capacity.nodeStaleAfter", c.capacity().nodeStaleAfter());
        if (c.forecast().horizon().compareTo(d.bucket()) < 0 || c.forecast().horizon().toHours() > 6) {
            problems.add("forecast.horizon must be between detection.bucket and 6h, got "
                    + Durations.format(c.forecast().horizon()));
        }
        share(problems, "forecast.defaultAutoLoginShare", c.forecast().defaultAutoLoginShare());
        share(problems, "forecast.clearBelow", c.forecast().clearBelow());
        share(problems, "forecast.criticalDemandShare", c.forecast().criticalDemandShare());
        nonNegative(problems, "forecast.urgentWithin", c.forecast().urgentWithin());
        nonNegative(problems, "forecast.criticalWithin", c.forecast().criticalWithin());
        positive(problems, "forecast.armedBootLevelTimeConstant", c.forecast().armedBootLevelTimeConstant());
        positive(problems, "forecast.armedBootTrendTimeConstant", c.forecast().armedBootTrendTimeConstant());
        StampedeConfig.Throttle t = c.throttle();
        if (t.ttl().compareTo(t.renewEvery()) <= 0) {
            problems.add("throttle.ttl (" + Durations.format(t.ttl()) + ") must be longer than throttle.renewEvery ("
                    + Durations.format(t.renewEvery()) + "), or directives lapse between renewals");
        }
        if (t.releaseStep() <= 0 || t.releaseStep() > 1) {
            problems.add("throttle.releaseStep must be in (0, 1], got " + t.releaseStep());
        }
        if (t.minRetryAfter().compareTo(t.maxRetryAfter()) > 0) {
            problems.add("throttle.minRetryAfter must not exceed throttle.maxRetryAfter");
        }
        positive(problems, "scaling.emitEvery", c.scaling().emitEvery());
        StampedeConfig.Job j = c.job();
        if (j.parallelism() < 1 || j.parallelism() > 1024) {
            problems.add("job.parallelism must be between 1 and 1024, got " + j.parallelism());
        }
        if (!j.stateBackend().equals("hashmap") && !j.stateBackend().equals("rocksdb")) {
            problems.add("job.stateBackend must be hashmap or rocksdb, got \"" + j.stateBackend() + "\"");
        }
        positive(problems, "job.checkpointInterval", j.checkpointInterval());
        StampedeConfig.Kafka k = c.kafka();
        switch (k.startFrom()) {
            case "committed", "earliest", "latest" -> { }
            case "timestamp" -> {
                try {
                    Instant.parse(k.startTimestamp());
                } catch (DateTimeParseException e) {
                    problems.add("kafka.startTimestamp must be an RFC 3339 time (e.g. 2026-11-26T10:00:00Z) when "
                            + "kafka.startFrom is timestamp, got \"" + k.startTimestamp() + "\"");
                }
            }
            default -> problems.add("kafka.startFrom must be committed, earliest, latest or timestamp, got \""
                    + k.startFrom() + "\"");
        }
        String maxRequest = k.properties().get("max.request.size");
        if (maxRequest != null && !maxRequest.trim().matches("[1-9][0-9]{0,9}")) {
            problems.add("kafka.properties.max.request.size must be a number of bytes, got \"" + maxRequest + "\"");
        }
        if (k.transactionTimeout().compareTo(Duration.ofMinutes(15)) > 0) {
            problems.add("kafka.transactionTimeout must not exceed 15m (the broker's default transaction.max.timeout.ms)");
        }
        delivery(problems, c.delivery());
        portRange(problems, "metrics.prometheusPort", c.metrics().prometheusPort());
        if (!problems.isEmpty()) {
            throw new ConfigException(problems.size() == 1 ? problems.get(0)
                    : "invalid configuration:\n  - " + String.join("\n  - ", problems));
        }
    }

    private static void personalData(List<String> problems, StampedeConfig.PersonalData p) {
        if (p.fields() == null || p.key() == null) {
            problems.add("input.personalData needs fields (a list such as [" + PERSONAL_ACCOUNT_ID + "]) and key (text, "
                    + "empty to redact)");
            return;
        }
        if (!p.fields().contains(PERSONAL_ACCOUNT_ID)) {
            problems.add("input.personalData.fields must include " + PERSONAL_ACCOUNT_ID + ", the personal data of "
                    + "login events; list other fields beside it, e.g. [" + PERSONAL_ACCOUNT_ID + ", email], got "
                    + p.fields());
        }
        if (p.fields().stream().anyMatch(f -> f == null || f.isBlank())) {
            problems.add("input.personalData.fields must hold field names, got an empty one in " + p.fields());
        }
        if (!p.key().isEmpty() && p.key().length() < MIN_PERSONAL_DATA_KEY_LENGTH) {
            problems.add("input.personalData.key must be empty (personal values redacted) or at least "
                    + MIN_PERSONAL_DATA_KEY_LENGTH + " characters (e.g. the output of openssl rand -hex 16): a short "
                    + "key can be guessed, and account ids then found from their hashes; the value is not shown "
                    + "because it is a secret");
        }
    }

    private static void delivery(List<String> problems, StampedeConfig.Delivery d) {
        StampedeConfig.Alertmanager am = d.alertmanager();
        if (am.enabled()) {
            httpUrl(problems, "delivery.alertmanager.url", am.url(), "http://alertmanager:9093");
        }
        positive(problems, "delivery.alertmanager.resendInterval", am.resendInterval());
        if (am.resendInterval().compareTo(ALERTMANAGER_RESOLVE_TIMEOUT) >= 0) {
            problems.add("delivery.alertmanager.resendInterval must be shorter than Alertmanager's resolve_timeout "
                    + "(5m by default), or firing alerts resolve between re-sends; got "
                    + Durations.format(am.resendInterval()));
        }
        StampedeConfig.PagerDuty pd = d.pagerduty();
        httpUrl(problems, "delivery.pagerduty.url", pd.url(), "https://events.pagerduty.com");
        if (pd.enabled() && !pd.routingKey().matches("[A-Za-z0-9]{32}")) {
            problems.add("delivery.pagerduty.routingKey is not the integration key of a PagerDuty Events API v2 "
                    + "integration (32 letters and digits); the value is not shown because it is a secret");
        }
        if (!d.generatorUrl().isBlank()) {
            // The placeholders are not URL characters; check the link as it will be sent.
            String asSent = d.generatorUrl().replaceAll("\\{(dedupKey|incident|region|type)}", "x");
            httpUrl(problems, "delivery.generatorUrl", asSent,
                    "https://grafana.example.com/d/stampede?var-incident={incident}");
        }
        StampedeConfig.Retry r = d.retry();
        positive(problems, "delivery.retry.initialBackoff", r.initialBackoff());
        if (r.maxBackoff().compareTo(r.initialBackoff()) < 0) {
            problems.add("delivery.retry.maxBackoff (" + Durations.format(r.maxBackoff())
                    + ") must not be shorter than delivery.retry.initialBackoff ("
                    + Durations.format(r.initialBackoff()) + ")");
        }
        if (r.maxAttempts() < 1 || r.maxAttempts() > 100) {
            problems.add("delivery.retry.maxAttempts must be between 1 and 100, got " + r.maxAttempts());
        }
        positive(problems, "delivery.requestTimeout", d.requestTimeout());
        if (d.queueCapacity() < 1 || d.queueCapacity() > 1_000_000) {
            problems.add("delivery.queueCapacity must be between 1 and 1000000, got " + d.queueCapacity());
        }
        if (d.groupId().isBlank()) {
            problems.add("delivery.groupId must not be empty");
        }
        nonNegative(problems, "delivery.lookback", d.lookback());
        if (d.failedDeliveries().isBlank()) {
            problems.add("delivery.failedDeliveries must name a file: what could not be delivered is written there");
        } else {
            try {
                Path.of(d.failedDeliveries());
            } catch (InvalidPathException e) {
                problems.add("delivery.failedDeliveries is not a file path: " + e.getMessage());
            }
        }
    }

    private static void httpUrl(List<String> problems, String name, String value, String example) {
        String why = null;
        try {
            URI uri = new URI(value);
            if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
                why = "it does not start with http:// or https://";
            } else if (uri.getHost() == null) {
                why = "it names no host";
            }
        } catch (URISyntaxException e) {
            why = e.getReason() + " at index " + e.getIndex();
        }
        if (why != null) {
            problems.add(name + " must be an http(s) URL such as " + example + "; " + shortValue(value) + " is not: "
                    + why);
        }
    }

    /** Empty (off), a port, or a range of ports {@code low-high}, as Flink's port settings take them. */
    private static void portRange(List<String> problems, String name, String value) {
        if (value.isBlank()) {
            return;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,5})(?:-(\\d{1,5}))?").matcher(value.trim());
        boolean valid = m.matches();
        if (valid) {
            int low = Integer.parseInt(m.group(1));
            int high = m.group(2) == null ? low : Integer.parseInt(m.group(2));
            valid = low >= 1 && high <= 65535 && low <= high;
        }
        if (!valid) {
            problems.add(name + " must be empty (off), a port such as 9249 or a range such as 9249-9260 (ports 1 to "
                    + "65535, low to high), got " + shortValue(value));
        }
    }

    private static void rateRule(List<String> problems, String name, StampedeConfig.RateRule r) {
        positive(problems, name + ".fireScore", r.fireScore());
        if (r.fireRatio() <= 1) {
            problems.add(name + ".fireRatio must be above 1, got " + r.fireRatio());
        }
        if (r.clearRatio() < 1 || r.clearRatio() > r.fireRatio()) {
            problems.add(name + ".clearRatio must be between 1 and " + name + ".fireRatio, got " + r.clearRatio());
        }
        nonNegative(problems, name + ".minPerSec", r.minPerSec());
        nonNegative(problems, name + ".clearAfter", r.clearAfter());
        if (r.attributionMinShare() != null) {
            share(problems, name + ".attributionMinShare", r.attributionMinShare());
        }
    }

    private static void positive(List<String> problems, String name, double v) {
        if (!(v > 0)) {
            problems.add(name + " must be positive, got " + v);
        }
    }

    private static void positive(List<String> problems, String name, Duration d) {
        if (d.isZero() || d.isNegative()) {
            problems.add(name + " must be a positive duration, got " + Durations.format(d));
        }
    }

    private static void nonNegative(List<String> problems, String name, double v) {
        if (v < 0) {
            problems.add(name + " must not be negative, got " + v);
        }
    }

    private static void nonNegative(List<String> problems, String name, Duration d) {
        if (d.isNegative()) {
            problems.add(name + " must not be negative, got " + Durations.format(d));
        }
    }

    private static void share(List<String> problems, String name, double v) {
        if (v < 0 || v > 1) {
            problems.add(name + " must be between 0 and 1, got " + v);
        }
    }

    private static String path(com.fasterxml.jackson.databind.JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (var ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (b.length() > 0) {
                    b.append('.');
                }
                b.append(ref.getFieldName());
            }
        }
        return b.toString();
    }

    private static String known(JsonNode node, String prefix) {
        return "; known settings here: " + fieldNames(node).replaceAll("(^|, )", "$1" + prefix);
    }

    private static String fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return String.join(", ", names);
    }

    private static String shortValue(Object v) {
        String s = String.valueOf(v);
        return "\"" + (s.length() > 40 ? s.substring(0, 37) + "..." : s) + "\"";
    }

    private static String simpleType(Class<?> type) {
        if (type == null) {
            return "value";
        }
        if (type == Duration.class) {
            return "duration (e.g. 500ms, 10s, 5m)";
        }
        if (type == int.class || type == Integer.class || type == long.class) {
            return "whole number";
        }
        if (type == double.class || type == Double.class) {
            return "number";
        }
        if (type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "text";
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "list (e.g. [a, b])";
        }
        return "mapping of settings";
    }

    private static final class DurationDeserializer extends JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String text = p.getValueAsString();
            if (text == null) {
                throw InvalidFormatException.from(p, "not a duration", p.getText(), Duration.class);
            }
            try {
                return Durations.parse(text);
            } catch (IllegalArgumentException e) {
                throw InvalidFormatException.from(p, e.getMessage(), text, Duration.class);
            }
        }
    }

    /**
     * The YAML parser's multi-line message on one line: what it expected, and where
     * ({@code while parsing a flow node; expected the node content, but found '<stream end>' at line 2, column 1}).
     */
    static String yamlProblem(String message) {
        List<String> words = new ArrayList<>();
        String where = null;
        for (String line : message.split("\\R")) {
            String t = line.strip();
            if (t.isEmpty() || t.equals("^")) {
                continue;
            }
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^in '[^']*', (line \\d+, column \\d+):$")
                    .matcher(t);
            if (m.matches()) {
                where = where == null ? m.group(1) : where;
                continue;
            }
            if (!line.startsWith("    ")) { // the quoted source line is indented by the parser
                words.add(t);
            }
        }
        return String.join("; ", words) + (where == null ? "" : " at " + where);
    }
}
