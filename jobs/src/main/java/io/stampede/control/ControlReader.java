package io.stampede.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.stampede.config.ConfigException;
import io.stampede.config.ConfigLoader;
import io.stampede.config.StampedeConfig;
import io.stampede.event.Contract;
import io.stampede.event.ContractValidator;
import java.util.List;

/**
 * Reads a control record and checks all of it before anything is applied: the contract
 * ({@code schemas/control.schema.json}), a window that ends after it starts, and for SETTINGS the
 * region's settings checked like the configuration file. A control that fails any check is refused
 * whole, with the reason; one that passes can be applied without surprise.
 */
public final class ControlReader {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private final StampedeConfig config;

    /** @param config the configuration SETTINGS controls are checked against (and later applied over) */
    public ControlReader(StampedeConfig config) {
        this.config = config;
    }

    /** A control, or the reason it was refused. */
    public record Result(Control control, String refusal) {
        public boolean accepted() {
            return control != null;
        }
    }

    public Result read(String json) {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            return refused("not one JSON object: " + e.getOriginalMessage());
        }
        if (tree == null || !tree.isObject()) {
            return refused("not one JSON object");
        }
        List<String> findings = ContractValidator.shared().validate(Contract.CONTROL, tree);
        if (!findings.isEmpty()) {
            return refused(String.join("; ", findings));
        }
        Control c;
        try {
            c = MAPPER.treeToValue(tree, Control.class);
        } catch (JsonProcessingException e) {
            return refused(e.getOriginalMessage());
        }
        if (c.untilMs() <= c.effectiveFromMs()) {
            return refused("until (" + c.until() + ") must be after effectiveFrom (" + c.effectiveFrom() + ")");
        }
        if (c.kind() == Control.Kind.SETTINGS) {
            try {
                settingsOf(c);
            } catch (ConfigException e) {
                return refused(e.getMessage());
            }
        }
        return new Result(c, null);
    }

    /**
     * The configuration a region runs with under a SETTINGS control: the region's own settings
     * (the configuration file's {@code regions:} entry) with the control's on top.
     */
    public StampedeConfig settingsOf(Control c) {
        StampedeConfig regional = regionConfig(config, c.region());
        return ConfigLoader.forRegion(regional, MAPPER.valueToTree(c.settings()), "settings.",
                "control " + c.controlId());
    }

    /** The configuration of a region without controls: the base with its {@code regions:} entry, if any. */
    public static StampedeConfig regionConfig(StampedeConfig config, String region) {
        var own = config.regions().get(region);
        return own == null ? config
                : ConfigLoader.forRegion(config, MAPPER.valueToTree(own), "regions." + region + ".",
                        "the configuration");
    }

    private static Result refused(String reason) {
        return new Result(null, reason);
    }
}
