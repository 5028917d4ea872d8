package io.stampede.cli;

import io.stampede.config.ConfigLoader;
import io.stampede.config.Secrets;
import io.stampede.config.StampedeConfig;
import io.stampede.io.Json;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code stampede config}: shows the defaults, or checks a configuration. */
@Command(name = "config",
        mixinStandardHelpOptions = true,
        description = {
            "Checks a configuration, or prints the documented defaults.",
            "",
            "With --config FILE and --set overrides, prints the configuration as Stampede will use it (secrets masked) "
                    + "or says what is wrong with it. With --defaults, prints every setting with its default.",
            ""})
public final class ConfigCommand implements Callable<Integer> {

    @Option(names = "--defaults", description = "Print every setting with its default and what it does.")
    boolean defaults;

    @Mixin
    ConfigOptions configOptions;

    @Override
    public Integer call() throws Exception {
        if (defaults) {
            System.out.print(ConfigLoader.defaultsText());
            return 0;
        }
        StampedeConfig config = configOptions.load();
        System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(redacted(config)));
        System.out.println("configuration is valid");
        return 0;
    }

    /**
     * The configuration as a tree, with every secret masked: Kafka client properties such as
     * {@code sasl.jaas.config} and settings such as {@code delivery.pagerduty.routingKey}.
     */
    static com.fasterxml.jackson.databind.JsonNode redacted(StampedeConfig config) {
        com.fasterxml.jackson.databind.node.ObjectNode tree = Json.MAPPER.valueToTree(config);
        mask(tree, "");
        return tree;
    }

    private static void mask(com.fasterxml.jackson.databind.node.ObjectNode node, String prefix) {
        java.util.List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        for (String k : names) {
            com.fasterxml.jackson.databind.JsonNode value = node.get(k);
            if (value.isObject()) {
                mask((com.fasterxml.jackson.databind.node.ObjectNode) value, prefix + k + ".");
            } else if (Secrets.isSecret(prefix + k) && !value.asText().isEmpty()) {
                // An empty secret stays visible: it says the feature is off.
                node.put(k, "******");
            }
        }
    }
}
