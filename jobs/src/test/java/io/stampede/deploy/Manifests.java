package io.stampede.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Finds and reads the files under deploy/: YAML documents, Kubernetes resources, embedded configurations. */
public final class Manifests {

    static final ObjectMapper YAML = new YAMLMapper();

    private Manifests() {}

    /** The repository root: the folder holding deploy/ and jobs/ (tests run in jobs/, or at the root). */
    static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("deploy")) && Files.isDirectory(p.resolve("jobs"))) {
                return p;
            }
        }
        throw new IllegalStateException("no repository root (a folder with deploy/ and jobs/) above " + dir);
    }

    public static Path deploy(String relative) {
        return repoRoot().resolve("deploy").resolve(relative);
    }

    /** Every YAML file under deploy/, build output excluded. */
    static List<Path> yamlFilesUnderDeploy() {
        Path root = repoRoot().resolve("deploy");
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .filter(p -> !root.relativize(p).toString().contains("target/"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** All documents of a (multi-document) YAML file; documents holding only comments are left out. */
    static List<JsonNode> documents(Path file) {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    docs.add(doc);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file, e);
        }
        return docs;
    }

    /** The one document of a single-document file. */
    static JsonNode single(Path file) {
        List<JsonNode> docs = documents(file);
        if (docs.size() != 1) {
            throw new IllegalStateException(file + " holds " + docs.size() + " documents, expected one");
        }
        return docs.get(0);
    }

    static List<JsonNode> ofKind(Path file, String kind) {
        return documents(file).stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
    }

    static JsonNode onlyOfKind(Path file, String kind) {
        List<JsonNode> found = ofKind(file, kind);
        if (found.size() != 1) {
            throw new IllegalStateException(file + " holds " + found.size() + " " + kind + " resources, expected one");
        }
        return found.get(0);
    }

    /** The text of one entry of a Secret (stringData or base64 data) or ConfigMap (data). */
    static String entry(JsonNode secretOrConfigMap, String key) {
        JsonNode plain = secretOrConfigMap.path("stringData").path(key);
        if (plain.isTextual()) {
            return plain.asText();
        }
        JsonNode data = secretOrConfigMap.path("data").path(key);
        if (!data.isTextual()) {
            throw new IllegalStateException(secretOrConfigMap.path("kind").asText() + " "
                    + secretOrConfigMap.at("/metadata/name").asText() + " has no entry " + key);
        }
        return "Secret".equals(secretOrConfigMap.path("kind").asText())
                ? new String(Base64.getDecoder().decode(data.asText()), StandardCharsets.UTF_8)
                : data.asText();
    }

    /** A YAML mapping of scalar settings (flinkConfiguration, FLINK_PROPERTIES) as text values. */
    static Map<String, String> settings(JsonNode mapping) {
        Map<String, String> out = new LinkedHashMap<>();
        mapping.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    static JsonNode parse(String yamlText) {
        try {
            return YAML.readTree(yamlText);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
