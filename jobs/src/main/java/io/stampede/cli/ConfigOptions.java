package io.stampede.cli;

import io.stampede.config.ConfigLoader;
import io.stampede.config.StampedeConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The configuration options every command shares. */
public final class ConfigOptions {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "YAML configuration file; settings it leaves out keep their defaults "
                    + "(see `stampede config --defaults`).")
    Path file;

    @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE",
            description = "Override one setting, e.g. --set detection.bucket=5s. Repeatable; applied after --config.")
    List<String> overrides = new ArrayList<>();

    /** Loads and checks the configuration, with {@code extra} overrides applied first (theirs win). */
    public StampedeConfig load(String... extra) {
        List<String> all = new ArrayList<>(List.of(extra));
        all.addAll(overrides);
        return ConfigLoader.load(file, all);
    }

    /** Loads and checks the configuration with {@code forced} overrides applied last (they win over the user's). */
    public StampedeConfig loadForcing(String... forced) {
        List<String> all = new ArrayList<>(overrides);
        all.addAll(List.of(forced));
        return ConfigLoader.load(file, all);
    }
}
