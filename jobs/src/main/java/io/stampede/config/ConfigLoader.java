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
import java.nio.file.Files;
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
    private static final Set<String> FREE_FORM = Set.of("kafka.properties", "regions");

    /** The sections a region may set for itself (in {@code regions:} or a SETTINGS control). */
    public static final List<String> REGION_SECTIONS = List.of("detection.rebootWave", "detection.loginSurge",
            "detection.retryStorm", "detection.authDegraded", "capacity");

    /** The field of login events that is personal data, which input.personalData.fields may not leave out. */
    static final String PERSONAL_ACCOUNT_ID = "accountId";

    /** Shortest HMAC key for personal data: 128 bits as hex. */
    static final int MIN_PERSONAL_DATA_KEY_LENGTH = 32;

    /** Alertmanager's default resolve_timeout: a firing alert not re-sent within it is resolved. */
    private static final Duration ALERTMANAGER_RESOLVE_TIMEOUT = Duration.ofMinutes(5);

    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .addModule(new SimpleModule().addDeserializer(Duration.class, new DurationDeserializer())
                    .addSerializer(Duration.class, new DurationSerializer()))
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
        scaleWithBucket(tree);
        StampedeConfig config = bind(tree);
        validate(config);
        for (Map.Entry<String, Map<String, Object>> r : config.regions().entrySet()) {
            forRegion(config, YAML.valueToTree(r.getValue()), "regions." + r.getKey() + ".",
                    file == null ? "the settings" : file.toString());
        }
        return config;
    }

    /**
     * The settings of one region: {@code base} with some of its sections changed, checked like a
     * configuration file (every problem named with its full setting). Only {@link #REGION_SECTIONS}
     * may be changed: the others shape state that is learned for every segment alike.
     *
     * @param overrides nested sections, e.g. {@code {"capacity": {"staticCapacity": 1200}}}
     * @param prefix what the overrides' names are prefixed with in messages (e.g. {@code regions.ap-south.})
     * @param origin where they come from, for messages (a file, a control)
     * @throws ConfigException naming what to fix; nothing is applied then
     */
    public static StampedeConfig forRegion(StampedeConfig base, JsonNode overrides, String prefix, String origin) {
        if (overrides == null || overrides.isNull() || overrides.isMissingNode()) {
            return base;
        }
        if (!overrides.isObject()) {
            throw new ConfigException("setting '" + prefix.replaceAll("\\.$", "") + "' in " + origin
                    + " must be a mapping of sections: " + String.join(", ", REGION_SECTIONS));
        }
        regionSectionsOnly((ObjectNode) overrides, "", prefix, origin);
        ObjectNode tree = YAML.valueToTree(base);
        tree.set("regions", YAML.createObjectNode());
        try {
            merge(tree, ((ObjectNode) overrides).deepCopy(), "", origin);
        } catch (ConfigException e) {
            throw new ConfigException(e.getMessage().replaceFirst("setting '", "setting '" + prefix), e);
        }
        StampedeConfig regional;
        try {
            regional = bind(tree);
            validate(regional);
        } catch (ConfigException e) {
            throw new ConfigException(prefix.replaceAll("\\.$", "") + ": " + e.getMessage() + " (in " + origin + ")", e);
        }
        return new StampedeConfig(regional.input(), regional.detection(), regional.capacity(), regional.forecast(),
                regional.throttle(), regional.scaling(), regional.alerts(), regional.job(), regional.kafka(),
                regional.delivery(), regional.metrics(), base.regions());
    }

    private static void regionSectionsOnly(ObjectNode overrides, String at, String prefix, String origin) {
        Iterator<Map.Entry<String, JsonNode>> it = overrides.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = at + e.getKey();
            if (REGION_SECTIONS.contains(name) || REGION_SECTIONS.stream().anyMatch(r -> name.startsWith(r + "."))) {
                continue;
            }
            if (e.getValue().isObject() && REGION_SECTIONS.stream().anyMatch(r -> r.startsWith(name + "."))) {
                regionSectionsOnly((ObjectNode) e.getValue(), name + ".", prefix, origin);
                continue;
            }
            throw new ConfigException("setting '" + prefix + name + "' in " + origin
                    + " cannot differ by region; a region may set only " + String.join(", ", REGION_SECTIONS)
                    + " (set the others for all regions in the configuration file)");
        }
    }

    /**
     * The full dotted name of a setting, for messages about it outside the loader:
     * {@code settingName(config, config.throttle(), "ttl")} is {@code throttle.ttl}.
     */
    public static String settingName(StampedeConfig config, Record section, String component) {
        return ConfigCheck.of(config).name(section, component);
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
                throw new ConfigException("unknown setting '" + name + "' in " + origin + renamed(e.getKey())
                        + known(target, prefix));
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
            throw new ConfigException("unknown setting '" + path + "'" + renamed(leaf) + known(node, prefix.toString()));
        }
        if (existing.isObject() && !FREE_FORM.contains(path)) {
            throw new ConfigException("'" + path + "' is a section; set one of its keys: " + fieldNames(existing));
        }
        node.set(leaf, scalar(value));
    }

    /** A value given on the command line, read as YAML reads it (a number, a boolean, a list), else as text. */
    private static JsonNode scalar(String value) {
        JsonNode parsed;
        try {
            parsed = value.isEmpty() ? YAML.getNodeFactory().textNode("") : YAML.readTree(value);
        } catch (IOException e) {
            parsed = YAML.getNodeFactory().textNode(value);
        }
        if (parsed == null || parsed.isMissingNode()) {
            parsed = YAML.getNodeFactory().textNode(value);
        }
        return parsed;
    }

    /**
     * Nested sections from {@code section.key=value} pairs, values read as {@code --set} reads
     * them: what {@code stampede control settings --setting} turns into a SETTINGS control. Not
     * checked here; {@link #forRegion} checks them against a configuration.
     *
     * @throws ConfigException for a pair without {@code =} or a name given both as a value and a section
     */
    public static ObjectNode sections(List<String> pairs) {
        ObjectNode root = YAML.createObjectNode();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new ConfigException("setting '" + pair + "' must look like section.key=value");
            }
            String[] parts = pair.substring(0, eq).trim().split("\\.");
            ObjectNode node = root;
            for (int i = 0; i < parts.length - 1; i++) {
                JsonNode child = node.get(parts[i]);
                if (child != null && !child.isObject()) {
                    throw new ConfigException("setting '" + pair + "': " + parts[i] + " is given a value too");
                }
                node = child == null ? node.putObject(parts[i]) : (ObjectNode) child;
            }
            node.set(parts[parts.length - 1], scalar(pair.substring(eq + 1).trim()));
        }
        return root;
    }

    /** Settings of earlier versions that were replaced, and what to write instead. */
    private static final Map<String, String> REPLACED = Map.of("fireScore",
            "fireEvidence (decades of improbability summed over consecutive buckets, 6 by default; see "
                    + "\"How REBOOT_WAVE and LOGIN_SURGE decide\" in the README)");

    private static String renamed(String key) {
        String instead = REPLACED.get(key);
        return instead == null ? "" : " (replaced by " + instead + ")";
    }

    /** Detection settings left out (~) that scale with the bucket, in buckets. */
    private static final Map<String, Integer> BUCKETS = Map.of("warmup", StampedeConfig.Detection.WARMUP_BUCKETS,
            "levelTimeConstant", StampedeConfig.Detection.LEVEL_BUCKETS,
            "trendTimeConstant", StampedeConfig.Detection.TREND_BUCKETS);

    /**
     * Fills the detection settings left out with their multiple of the bucket, so that the
     * configuration shows (and every part of the job reads) the values in force. A bucket that
     * does not parse is left to the binding to report.
     */
    private static void scaleWithBucket(ObjectNode tree) {
        JsonNode detection = tree.get("detection");
        if (detection == null || !detection.isObject() || !detection.path("bucket").isTextual()) {
            return;
        }
        java.time.Duration bucket;
        try {
            bucket = Durations.parse(detection.path("bucket").asText());
        } catch (IllegalArgumentException e) {
            return;
        }
        for (Map.Entry<String, Integer> e : BUCKETS.entrySet()) {
            JsonNode v = detection.get(e.getKey());
            if (v == null || v.isNull() || (v.isTextual() && v.asText().isBlank())) {
                ((ObjectNode) detection).put(e.getKey(), Durations.format(bucket.multipliedBy(e.getValue())));
            }
        }
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

    /**
     * Checks each setting against the constraints annotated on {@link StampedeConfig}, then the
     * rules between settings, and reports every problem at once.
     */
    static void validate(StampedeConfig c) {
        ConfigCheck check = ConfigCheck.of(c);
        if (check.complete()) {
            relations(check, c);
        }
        List<String> problems = check.problems();
        if (!problems.isEmpty()) {
            throw new ConfigException(problems.size() == 1 ? problems.get(0)
                    : "invalid configuration:\n  - " + String.join("\n  - ", problems));
        }
    }

    /** What one setting's constraints cannot say: how settings relate, and rules that must not show a secret. */
    private static void relations(ConfigCheck check, StampedeConfig c) {
        StampedeConfig.Input in = c.input();
        if (in.allowedLateness().compareTo(in.dedupWindow()) > 0) {
            check.add(check.name(in, "allowedLateness") + " (" + Durations.format(in.allowedLateness())
                    + ") must not exceed " + check.name(in, "dedupWindow") + " (" + Durations.format(in.dedupWindow())
                    + "), or a late duplicate would no longer be recognised");
        }
        personalData(check, in.personalData());
        StampedeConfig.Detection d = c.detection();
        for (StampedeConfig.RateRule r : List.of(d.rebootWave(), d.loginSurge())) {
            if (r.clearRatio() < 1 || r.clearRatio() > r.fireRatio()) {
                check.add(check.name(r, "clearRatio") + " must be between 1 and " + check.name(r, "fireRatio")
                        + ", got " + r.clearRatio());
            }
            if (r.criticalRatio() < r.fireRatio()) {
                check.add(check.name(r, "criticalRatio") + " must be at least " + check.name(r, "fireRatio") + " ("
                        + r.fireRatio() + "), got " + r.criticalRatio());
            }
        }
        Duration warmup = d.warmupTime();
        if (warmup.compareTo(d.bucket()) < 0) {
            check.add(check.name(d, "warmup") + " (" + Durations.format(warmup) + ") must be at least "
                    + check.name(d, "bucket") + " (" + Durations.format(d.bucket()) + ")");
        }
        StampedeConfig.Forecast f = c.forecast();
        if (f.horizon().compareTo(d.bucket()) < 0 || f.horizon().toHours() > 6) {
            check.add(check.name(f, "horizon") + " must be between " + check.name(d, "bucket") + " and 6h, got "
                    + Durations.format(f.horizon()));
        }
        StampedeConfig.Throttle t = c.throttle();
        if (t.ttl().compareTo(t.renewEvery()) <= 0) {
            check.add(check.name(t, "ttl") + " (" + Durations.format(t.ttl()) + ") must be longer than "
                    + check.name(t, "renewEvery") + " (" + Durations.format(t.renewEvery())
                    + "), or directives lapse between renewals");
        }
        if (t.minRetryAfter().compareTo(t.maxRetryAfter()) > 0) {
            check.add(check.name(t, "minRetryAfter") + " must not exceed " + check.name(t, "maxRetryAfter"));
        }
        StampedeConfig.Kafka k = c.kafka();
        if (k.startFrom().equals("timestamp")) {
            try {
                Instant.parse(k.startTimestamp());
            } catch (DateTimeParseException e) {
                check.add(check.name(k, "startTimestamp") + " must be an RFC 3339 time (e.g. 2026-11-26T10:00:00Z) "
                        + "when " + check.name(k, "startFrom") + " is timestamp, got \"" + k.startTimestamp() + "\"");
            }
        }
        String maxRequest = k.properties().get("max.request.size");
        if (maxRequest != null && !maxRequest.trim().matches("[1-9][0-9]{0,9}")) {
            check.add(check.name(k, "properties") + ".max.request.size must be a number of bytes, got \"" + maxRequest
                    + "\"");
        }
        delivery(check, c.delivery());
    }

    private static void personalData(ConfigCheck check, StampedeConfig.PersonalData p) {
        String fields = check.name(p, "fields");
        if (!p.fields().contains(PERSONAL_ACCOUNT_ID)) {
            check.add(fields + " must include " + PERSONAL_ACCOUNT_ID + ", the personal data of login events; list "
                    + "other fields beside it, e.g. [" + PERSONAL_ACCOUNT_ID + ", email], got " + p.fields());
        }
        if (p.fields().stream().anyMatch(f -> f == null || f.isBlank())) {
            check.add(fields + " must hold field names, got an empty one in " + p.fields());
        }
        if (!p.key().isEmpty() && p.key().length() < MIN_PERSONAL_DATA_KEY_LENGTH) {
            check.add(check.name(p, "key") + " must be empty (personal values redacted) or at least "
                    + MIN_PERSONAL_DATA_KEY_LENGTH + " characters (e.g. the output of openssl rand -hex 16): a short "
                    + "key can be guessed, and account ids then found from their hashes; the value is not shown "
                    + "because it is a secret");
        }
    }

    private static void delivery(ConfigCheck check, StampedeConfig.Delivery d) {
        StampedeConfig.Alertmanager am = d.alertmanager();
        if (am.resendInterval().compareTo(ALERTMANAGER_RESOLVE_TIMEOUT) >= 0) {
            check.add(check.name(am, "resendInterval") + " must be shorter than Alertmanager's resolve_timeout "
                    + "(5m by default), or firing alerts resolve between re-sends; got "
                    + Durations.format(am.resendInterval()));
        }
        StampedeConfig.PagerDuty pd = d.pagerduty();
        if (pd.enabled() && !pd.routingKey().matches("[A-Za-z0-9]{32}")) {
            check.add(check.name(pd, "routingKey") + " is not the integration key of a PagerDuty Events API v2 "
                    + "integration (32 letters and digits); the value is not shown because it is a secret");
        }
        StampedeConfig.Retry r = d.retry();
        if (r.maxBackoff().compareTo(r.initialBackoff()) < 0) {
            check.add(check.name(r, "maxBackoff") + " (" + Durations.format(r.maxBackoff())
                    + ") must not be shorter than " + check.name(r, "initialBackoff") + " ("
                    + Durations.format(r.initialBackoff()) + ")");
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

    static String shortValue(Object v) {
        String s = String.valueOf(v);
        return "\"" + (s.length() > 40 ? s.substring(0, 37) + "..." : s) + "\"";
    }

    static String simpleType(Class<?> type) {
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

    /** Writes durations the way the configuration file gives them, so a tree written back binds the same. */
    private static final class DurationSerializer extends com.fasterxml.jackson.databind.JsonSerializer<Duration> {
        @Override
        public void serialize(Duration value, com.fasterxml.jackson.core.JsonGenerator gen,
                com.fasterxml.jackson.databind.SerializerProvider serializers) throws IOException {
            gen.writeString(Durations.format(value));
        }
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

    /** Where the YAML parser says a problem is: {@code in 'reader', line 2, column 1:}. */
    private static final java.util.regex.Pattern YAML_POSITION =
            java.util.regex.Pattern.compile("^in '[^']*', (line \\d+, column \\d+):$");

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
            java.util.regex.Matcher m = YAML_POSITION.matcher(t);
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
