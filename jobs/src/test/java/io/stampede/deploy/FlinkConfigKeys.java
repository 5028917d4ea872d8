package io.stampede.deploy;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.FallbackKey;
import org.apache.flink.configuration.HighAvailabilityOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;

/**
 * Flink's configuration keys as the Flink on the class path (the version Stampede is built against)
 * declares them: the current keys with their types, and the deprecated 1.x keys they replaced.
 */
final class FlinkConfigKeys {

    /** The option classes whose keys the deployment files use; add one when a file needs its keys. */
    private static final List<Class<?>> OPTION_CLASSES = List.of(
            CheckpointingOptions.class, StateBackendOptions.class, HighAvailabilityOptions.class,
            RestartStrategyOptions.class, TaskManagerOptions.class, JobManagerOptions.class, CoreOptions.class);

    /** Keys read by others than Flink's core: the operator, metric reporters (per reporter name), file systems. */
    private static final List<String> FOREIGN_PREFIXES = List.of("kubernetes.operator.", "metrics.reporter.", "s3.");

    private final Map<String, ConfigOption<?>> current = new HashMap<>();
    private final Map<String, String> replacedBy = new HashMap<>();

    FlinkConfigKeys() {
        for (Class<?> holder : OPTION_CLASSES) {
            for (Field field : holder.getFields()) {
                if (!Modifier.isStatic(field.getModifiers()) || !ConfigOption.class.isAssignableFrom(field.getType())) {
                    continue;
                }
                ConfigOption<?> option = option(field);
                if (field.isAnnotationPresent(Deprecated.class)) {
                    replacedBy.putIfAbsent(option.key(), "(deprecated in " + holder.getSimpleName() + ")");
                    continue;
                }
                current.put(option.key(), option);
                for (FallbackKey fallback : option.fallbackKeys()) {
                    if (fallback.isDeprecated()) {
                        replacedBy.put(fallback.getKey(), option.key());
                    }
                }
            }
        }
        current.keySet().forEach(replacedBy::remove);
    }

    /** Unknown or deprecated keys, and values their option cannot read; empty when all is well. */
    List<String> problems(Map<String, String> settings) {
        Configuration conf = Configuration.fromMap(settings);
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> e : settings.entrySet()) {
            String key = e.getKey();
            if (FOREIGN_PREFIXES.stream().anyMatch(key::startsWith)) {
                continue;
            }
            if (replacedBy.containsKey(key)) {
                problems.add(key + " is a deprecated (Flink 1.x) key; Flink 2.x reads " + replacedBy.get(key));
            } else if (!current.containsKey(key)) {
                problems.add(key + " is not a key of " + OPTION_CLASSES.stream().map(Class::getSimpleName).toList()
                        + " (if it is a real Flink key, add its options class to FlinkConfigKeys)");
            } else {
                try {
                    conf.get(current.get(key));
                } catch (RuntimeException invalid) {
                    problems.add(key + ": \"" + e.getValue() + "\" is not a valid value: " + invalid.getMessage());
                }
            }
        }
        return problems;
    }

    private static ConfigOption<?> option(Field field) {
        try {
            return (ConfigOption<?>) field.get(null);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
