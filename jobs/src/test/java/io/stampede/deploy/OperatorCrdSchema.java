package io.stampede.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.StreamSupport;

/**
 * A custom resource definition's {@code openAPIV3Schema} as a validator, checking what a Kubernetes
 * API server checks when the resource is applied with {@code kubectl apply} (strict field
 * validation, kubectl's default).
 *
 * <p>OpenAPI v3 schemas in CRDs are JSON Schema draft 4 plus {@code nullable} and the
 * {@code x-kubernetes-*} extensions: validated as draft 4 with {@code nullable} honoured and the
 * extensions carrying no assertion. Any other keyword the validator does not know fails loudly,
 * so a schema feature cannot be skipped silently. Two things Kubernetes does that draft 4 does not:
 * fields the schema does not declare are errors (here: {@code additionalProperties: false} on
 * every object schema that lists its properties and neither declares a map nor preserves unknown
 * fields), and {@code apiVersion}, {@code kind} and {@code metadata}, which the API server checks
 * itself, are added to the root schema.
 */
final class OperatorCrdSchema {

    private final JsonSchema schema;

    private OperatorCrdSchema(JsonSchema schema) {
        this.schema = schema;
    }

    /** The CRD's file: {@code -Dstampede.crd=PATH}, else the copy vendored with the tests. */
    static Path location() {
        String override = System.getProperty(DeployFacts.CRD_PROPERTY);
        if (override != null && !override.isBlank()) {
            return Path.of(override).toAbsolutePath();
        }
        URL vendored = OperatorCrdSchema.class.getResource(DeployFacts.CRD_RESOURCE);
        if (vendored == null) {
            throw new IllegalStateException(DeployFacts.CRD_RESOURCE + " is not on the test classpath (it is kept "
                    + "in jobs/src/test/resources)");
        }
        try {
            return Path.of(vendored.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static OperatorCrdSchema load(Path crdFile, String version) {
        JsonNode crd = Manifests.single(crdFile);
        JsonNode served = StreamSupport.stream(crd.at("/spec/versions").spliterator(), false)
                .filter(v -> version.equals(v.path("name").asText()))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(crdFile + " has no version " + version));
        ObjectNode root = served.at("/schema/openAPIV3Schema").deepCopy();
        ObjectNode properties = (ObjectNode) root.get("properties");
        properties.putObject("apiVersion").put("type", "string")
                .putArray("enum").add(crd.at("/spec/group").asText() + "/" + version);
        properties.putObject("kind").put("type", "string")
                .putArray("enum").add(crd.at("/spec/names/kind").asText());
        properties.putObject("metadata").put("type", "object");
        rejectUndeclaredFields(root);

        JsonMetaSchema openApiV3 = JsonMetaSchema.builder(JsonMetaSchema.getV4())
                .unknownKeywordFactory((keyword, context) -> {
                    if (keyword.startsWith("x-kubernetes-") || keyword.equals("nullable")) {
                        return new NonValidationKeyword(keyword);
                    }
                    throw new IllegalArgumentException("the CRD schema uses the keyword '" + keyword
                            + "', which this validation does not implement");
                })
                .build();
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4,
                builder -> builder.metaSchema(openApiV3));
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().nullableKeywordEnabled(true).build();
        return new OperatorCrdSchema(factory.getSchema(root, config));
    }

    /** Every violation, as "location: message", sorted. Empty when the resource is valid. */
    List<String> validate(JsonNode resource) {
        return schema.validate(resource).stream()
                .map(ValidationMessage::getMessage)
                .sorted()
                .toList();
    }

    /** Walks the schema (not the property names in it) and closes every object schema that lists its fields. */
    private static void rejectUndeclaredFields(JsonNode schemaNode) {
        if (!(schemaNode instanceof ObjectNode schema)) {
            return;
        }
        JsonNode properties = schema.get("properties");
        if (properties != null && properties.isObject()) {
            properties.forEach(OperatorCrdSchema::rejectUndeclaredFields);
            boolean open = schema.has("additionalProperties")
                    || schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
            if (!open) {
                schema.put("additionalProperties", false);
            }
        }
        JsonNode additional = schema.get("additionalProperties");
        if (additional != null && additional.isObject()) {
            rejectUndeclaredFields(additional);
        }
        JsonNode items = schema.get("items");
        if (items != null && items.isArray()) {
            items.forEach(OperatorCrdSchema::rejectUndeclaredFields);
        } else if (items != null) {
            rejectUndeclaredFields(items);
        }
        for (String combinator : List.of("allOf", "anyOf", "oneOf")) {
            JsonNode alternatives = schema.get(combinator);
            if (alternatives != null) {
                alternatives.forEach(OperatorCrdSchema::rejectUndeclaredFields);
            }
        }
        if (schema.has("not")) {
            rejectUndeclaredFields(schema.get("not"));
        }
    }
}
