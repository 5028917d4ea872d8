package io.stampede.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates JSON against the contract schemas packaged under {@code /schemas/} on the classpath
 * (the files of the project's {@code schemas/} folder), with the networknt validator, and words
 * its findings for people: {@code trigger: "SOMETIMES" is not one of AUTO, INTERACTIVE, TOKEN_REFRESH}.
 *
 * <p>Thread-safe; load it once per JVM with {@link #shared()}.
 */
public final class ContractValidator {

    private static final String SCHEMA_BASE = "https://stampede.io/schemas/";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static volatile ContractValidator shared;

    private final Map<Contract, JsonSchema> schemas = new EnumMap<>(Contract.class);

    private ContractValidator() {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                b -> b.schemaMappers(m -> m.mapPrefix(SCHEMA_BASE, "classpath:schemas/")));
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder()
                .formatAssertionsEnabled(true)
                .build();
        for (Contract c : Contract.values()) {
            JsonSchema schema = factory.getSchema(SchemaLocation.of(SCHEMA_BASE + c.schemaFile()), config);
            schema.initializeValidators();
            schemas.put(c, schema);
        }
    }

    /** The validator for this JVM, loading the schemas on first use. */
    public static ContractValidator shared() {
        ContractValidator v = shared;
        if (v == null) {
            synchronized (ContractValidator.class) {
                v = shared;
                if (v == null) {
                    v = new ContractValidator();
                    shared = v;
                }
            }
        }
        return v;
    }

    /** The findings of validating {@code json} against {@code contract}, worded for people; empty if valid. */
    public List<String> validate(Contract contract, JsonNode json) {
        Set<ValidationMessage> messages = schemas.get(contract).validate(json);
        // A value matching none of a oneOf's forms is one finding, not one per form.
        Set<String> oneOfPaths = new java.util.HashSet<>();
        for (ValidationMessage m : messages) {
            if (m.getType().equals("oneOf")) {
                oneOfPaths.add(m.getInstanceLocation().toString());
            }
        }
        List<ValidationMessage> sorted = new ArrayList<>();
        for (ValidationMessage m : messages) {
            if (m.getType().equals("oneOf") || !oneOfPaths.contains(m.getInstanceLocation().toString())) {
                sorted.add(m);
            }
        }
        sorted.sort(Comparator.comparing((ValidationMessage m) -> m.getInstanceLocation().toString())
                .thenComparing(ValidationMessage::getMessage));
        List<String> out = new ArrayList<>(sorted.size());
        for (ValidationMessage m : sorted) {
            String line = word(m);
            if (!out.contains(line)) {
                out.add(line);
            }
        }
        return out;
    }

    /** Validates serialized JSON; a parse failure is reported as one finding. */
    public List<String> validate(Contract contract, String json) {
        try {
            return validate(contract, MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            return List.of("malformed JSON: " + e.getOriginalMessage());
        }
    }

    /**
     * Explains why an input record breaks its contract, or returns {@code null} if the schema finds
     * nothing wrong (or the bytes are not JSON).
     */
    String explain(InputKind kind, byte[] bytes, int offset, int length) {
        JsonNode node;
        try {
            node = MAPPER.readTree(bytes, offset, length);
        } catch (IOException e) {
            return null;
        }
        if (node == null) {
            return null;
        }
        List<String> findings = validate(Contract.of(kind), node);
        return findings.isEmpty() ? null : String.join("; ", findings);
    }

    private static String word(ValidationMessage m) {
        String path = path(m);
        JsonNode value = m.getInstanceNode();
        switch (m.getType()) {
            case "required":
                return "required field " + join(path, m.getProperty()) + " is missing";
            case "enum":
                return path + ": " + shortValue(value) + " is not one of " + enumList(m.getSchemaNode());
            case "type":
                return path + ": expected " + typeList(m.getSchemaNode()) + ", got " + kindOf(value);
            case "oneOf":
                if (path.endsWith("eventTime")) {
                    return path + ": " + shortValue(value)
                            + " is neither an RFC 3339 date-time (e.g. 2026-11-26T10:00:00Z) nor epoch milliseconds";
                }
                return path + ": " + shortValue(value) + " matches none of the allowed forms";
            default:
                String text = m.getMessage();
                String location = m.getInstanceLocation().toString();
                if (text.startsWith(location)) {
                    text = path + text.substring(location.length());
                }
                return text;
        }
    }

    /** The instance location as a dotted field path ({@code trigger}, {@code evidence.window}), or "record". */
    private static String path(ValidationMessage m) {
        String p = m.getInstanceLocation().toString();
        if (p.startsWith("$")) {
            p = p.substring(1);
        }
        p = p.replace('/', '.');
        while (p.startsWith(".")) {
            p = p.substring(1);
        }
        return p.isEmpty() ? "record" : p;
    }

    private static String join(String path, String property) {
        return path.equals("record") ? property : path + "." + property;
    }

    private static String enumList(JsonNode schemaNode) {
        List<String> values = new ArrayList<>();
        if (schemaNode != null && schemaNode.isArray()) {
            for (JsonNode v : schemaNode) {
                if (!v.isNull()) {
                    values.add(v.asText());
                }
            }
        }
        return String.join(", ", values);
    }

    private static String typeList(JsonNode schemaNode) {
        if (schemaNode == null) {
            return "another type";
        }
        List<String> types = new ArrayList<>();
        if (schemaNode.isArray()) {
            schemaNode.forEach(t -> types.add(t.asText()));
        } else {
            types.add(schemaNode.asText());
        }
        types.remove("null");
        return types.isEmpty() ? "null" : String.join(" or ", types);
    }

    private static String kindOf(JsonNode v) {
        if (v == null || v.isMissingNode()) {
            return "nothing";
        }
        if (v.isNull()) {
            return "null";
        }
        if (v.isTextual()) {
            return "the string " + shortValue(v);
        }
        if (v.isNumber()) {
            return "the number " + v.asText();
        }
        if (v.isBoolean()) {
            return v.asText();
        }
        return v.isArray() ? "an array" : "an object";
    }

    private static String shortValue(JsonNode v) {
        if (v == null) {
            return "nothing";
        }
        if (v.isTextual()) {
            return "\"" + Timestamps.abbreviate(v.asText()) + "\"";
        }
        String s = v.toString();
        return s.length() <= 64 ? s : s.substring(0, 61) + "...";
    }
}
