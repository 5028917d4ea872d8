package io.stampede.control;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.stampede.event.Timestamps;
import java.io.Serializable;
import java.util.Map;

/**
 * One control, as on the control topic (record key = {@code controlId}); the field names are the
 * contract of {@code schemas/control.schema.json}. Build it with {@link ControlReader}, which checks it.
 *
 * @param until null: in force until cleared
 * @param settings SETTINGS: nested sections of the configuration for the region
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Control(
        String controlId,
        Kind kind,
        String region,
        String effectiveFrom,
        String until,
        String reason,
        String createdBy,
        String createdAt,
        String updateId,
        ThrottleMode mode,
        Double admitPerSec,
        Map<String, Object> settings) implements Serializable {

    /** The region name that stands for every region (and the fleet). */
    public static final String ALL_REGIONS = "*";

    public enum Kind {
        /** Planned work: the reboot waves and login surges it announces do not page. */
        MAINTENANCE,
        /** Throttling in a region switched off, fixed, or handed back to Stampede. */
        THROTTLE,
        /** Detection and capacity settings of one region. */
        SETTINGS
    }

    public enum ThrottleMode {
        /** No directives: what is in force is lifted, and the admission layer admits everything. */
        OFF,
        /** Admit {@code admitPerSec} first attempts per second, whatever the forecast says. */
        FIXED,
        /** Stampede's planner decides, as without a control. */
        AUTO
    }

    @JsonIgnore
    public long effectiveFromMs() {
        return Timestamps.parse(effectiveFrom);
    }

    /** The end of the control in event time; {@link Long#MAX_VALUE} if it has none. */
    @JsonIgnore
    public long untilMs() {
        return until == null ? Long.MAX_VALUE : Timestamps.parse(until);
    }

    /** Whether it is in force at event time {@code t}: from {@code effectiveFrom} (inclusive) to {@code until}. */
    public boolean inForceAt(long t) {
        return t >= effectiveFromMs() && t < untilMs();
    }

    /** Whether it applies to {@code segment} (a region, or the fleet for controls of every region). */
    public boolean appliesTo(String segment) {
        return ALL_REGIONS.equals(region) || region.equals(segment);
    }

    /** This control ended at {@code at}: what {@code stampede control clear} writes. */
    public Control endedAt(String at) {
        return new Control(controlId, kind, region, effectiveFrom, at, reason, createdBy, createdAt, updateId, mode,
                admitPerSec, settings);
    }

    /** One line for logs and {@code stampede control list}. */
    public String describe() {
        String what = switch (kind) {
            case MAINTENANCE -> "maintenance" + (updateId == null ? "" : " of " + updateId);
            case THROTTLE -> "throttle " + mode + (mode == ThrottleMode.FIXED ? " at " + admitPerSec + "/s" : "");
            case SETTINGS -> "settings " + settings;
        };
        return controlId + ": " + what + " in " + (ALL_REGIONS.equals(region) ? "every region" : region) + " from "
                + effectiveFrom + (until == null ? " until cleared" : " until " + until) + " (" + reason + ", by "
                + createdBy + ")";
    }
}
