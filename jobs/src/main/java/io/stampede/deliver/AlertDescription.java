package io.stampede.deliver;

import io.stampede.alert.Alert;
import io.stampede.alert.Attribution;
import io.stampede.alert.CapacityForecast;
import io.stampede.alert.Evidence;
import io.stampede.alert.Forecast;
import io.stampede.alert.WaveForecast;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The longer text under an alert's summary, for a receiver that shows one text: what was measured
 * against what was expected, the cause Stampede names, and what is still to come.
 */
final class AlertDescription {

    private AlertDescription() {}

    static String of(Alert a) {
        StringBuilder text = new StringBuilder();
        Evidence e = a.evidence();
        text.append("Observed ").append(number(e.observed())).append(' ').append(e.unit())
                .append(", expected ").append(number(e.expected()))
                .append(" (score ").append(number(e.score())).append(") in ")
                .append(e.window().start()).append(" to ").append(e.window().end()).append('.');
        if (!a.attribution().isEmpty()) {
            text.append("\nCause: ").append(a.attribution().stream().map(AlertDescription::cause)
                    .collect(Collectors.joining("; "))).append('.');
        }
        List<String> forecast = a.forecast() == null ? List.of() : forecast(a.forecast());
        if (!forecast.isEmpty()) {
            text.append("\nForecast: ").append(String.join("; ", forecast)).append('.');
        }
        if (a.relatedRegions() != null && !a.relatedRegions().isEmpty()) {
            text.append("\nSame cause also in: ").append(String.join(", ", a.relatedRegions())).append('.');
        }
        return text.toString();
    }

    private static String cause(Attribution x) {
        return x.attribute() + " " + x.value() + " (" + Math.round(x.share() * 100) + "% of them, lift "
                + number(x.lift()) + "×)";
    }

    private static List<String> forecast(Forecast f) {
        List<String> parts = new ArrayList<>();
        if (f.capacity() != null) {
            CapacityForecast c = f.capacity();
            if (c.etaSeconds() != null) {
                parts.add("demand exceeds safe capacity in " + c.etaSeconds() + " s"
                        + (c.crossesAt() == null ? "" : " (at " + c.crossesAt() + ")"));
            }
            if (c.saturatesAt() != null) {
                parts.add("exceeds all healthy capacity at " + c.saturatesAt());
            }
            parts.add("peak " + number(c.peakDemandPerSec()) + " logins/s vs safe capacity "
                    + number(c.safeCapacityPerSec()) + "/s");
            parts.add(armed(c.armedDevices(), null));
            parts.add(loginsToCome(c.projectedRemainingLogins()));
        } else {
            WaveForecast w = f.wave();
            if (w.armedDevices() != null) {
                parts.add(armed(w.armedDevices(), w.updateId()));
            }
            parts.add(loginsToCome(w.projectedRemainingLogins()));
        }
        return parts;
    }

    private static String armed(long devices, String updateId) {
        return count(devices) + " armed devices still to reboot" + (updateId == null ? "" : " (update " + updateId + ")");
    }

    private static String loginsToCome(double logins) {
        return "about " + count(Math.round(logins)) + " automatic logins to come";
    }

    /** At most three decimals, no trailing zeros: 10.308, 1.5, 85. */
    private static String number(double v) {
        return BigDecimal.valueOf(v).setScale(3, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
