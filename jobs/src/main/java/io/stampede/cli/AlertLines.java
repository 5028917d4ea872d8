package io.stampede.cli;

import io.stampede.alert.Alert;

/** One line per alert, for a person reading a terminal at 3 a.m. */
final class AlertLines {

    private AlertLines() {}

    static String of(Alert a) {
        String time = a.detectedAt().length() >= 19 ? a.detectedAt().substring(11, 19) + "Z" : a.detectedAt();
        String status = a.isFiring() ? (a.sequence() == 1 ? "FIRING " : "UPDATE ") : "RESOLVED";
        return String.format("  %s %-8s %-13s %-8s %s", time, a.severity(), a.type(), status, a.summary());
    }
}
