package io.stampede.report;

import io.stampede.alert.AlertType;
import io.stampede.sim.CountScenario;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What the job should say about a count scenario, and the target the scorecard holds it to. The
 * simulator only knows what happens in the world; which alerts that deserves is decided here.
 *
 * @param detect the alert types a disturbance must raise ({@link Kind#DETECT} only)
 */
public record Expectation(Kind kind, List<AlertType> detect) {

    /** How long after the onset a disturbance must be detected. */
    public static final long TARGET_DELAY_SECONDS = 30;
    /** From this day of a {@link Kind#LEARNS_DAILY} scenario on, any alert is a false alarm. */
    public static final int SILENT_FROM_DAY = 3;

    public enum Kind {
        /** Each type in {@code detect} fires within the target delay of the onset. */
        DETECT,
        /** Nothing fires. */
        SILENT,
        /** A change that comes back every day may fire on its first days, never from {@link #SILENT_FROM_DAY} on. */
        LEARNS_DAILY,
        /** A lasting change raises at most one alert, and that alert resolves: it is the new normal. */
        NEW_NORMAL
    }

    public static Expectation of(CountScenario scenario) {
        return switch (scenario.name()) {
            case "update-wave", "power-loss" -> new Expectation(Kind.DETECT,
                    List.of(AlertType.REBOOT_WAVE, AlertType.LOGIN_SURGE));
            case "flash-crowd" -> new Expectation(Kind.DETECT, List.of(AlertType.LOGIN_SURGE));
            case "quiet-week", "heavy-tails" -> new Expectation(Kind.SILENT, List.of());
            case "daily-step" -> new Expectation(Kind.LEARNS_DAILY, List.of());
            case "level-shift" -> new Expectation(Kind.NEW_NORMAL, List.of());
            default -> throw new IllegalArgumentException("no expectation for scenario " + scenario.name());
        };
    }

    /** The target in words. */
    public String target() {
        return switch (kind) {
            case DETECT -> detect.stream().map(Enum::name).collect(Collectors.joining(" and ")) + " within "
                    + TARGET_DELAY_SECONDS + " s of the onset, every seed";
            case SILENT -> "no alert";
            case LEARNS_DAILY -> "no alert from day " + SILENT_FROM_DAY;
            case NEW_NORMAL -> "at most one alert, and it resolves";
        };
    }
}
