package io.stampede.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The defaults file names, defaults and explains every setting; {@link StampedeConfig} types them.
 * A key of the file that no record component takes already fails binding (unknown properties are
 * refused, see {@link ConfigLoaderTest#defaultsLoadAndWorkForTheDemo}); this test checks the other
 * way, which binding would let pass silently as 0, false or null.
 */
class DefaultsFileTest {

    @Test
    void everyRecordComponentHasADefault() throws Exception {
        JsonNode defaults = new YAMLMapper().readTree(ConfigLoader.defaultsText());
        List<String> missing = new ArrayList<>();
        collectMissing(StampedeConfig.class, defaults, "", missing);
        assertThat(missing).as("settings of StampedeConfig without a default in stampede-defaults.yaml").isEmpty();
    }

    private static void collectMissing(Class<?> record, JsonNode section, String prefix, List<String> missing) {
        for (RecordComponent c : record.getRecordComponents()) {
            String name = prefix + c.getName();
            JsonNode value = section.get(c.getName());
            if (value == null) {
                if (!c.isAnnotationPresent(MayBeAbsent.class)) {
                    missing.add(name);
                }
            } else if (c.getType().isRecord()) {
                collectMissing(c.getType(), value, name + ".", missing);
            }
        }
    }
}
