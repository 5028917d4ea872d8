package io.stampede.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CauseCorrelatorTest {

    private static Alert wave(String region, AlertStatus status, String update) {
        return new Alert("id-" + region, "k-" + region, "inc", 1, AlertType.REBOOT_WAVE, status, Severity.WARNING, region,
                "t", "t", null, region + ": reboot wave", new Evidence(1, 1, 1, "u", new Evidence.Window("a", "b")),
                update == null ? List.of() : List.of(new Attribution("updateId", update, 0.9, 2)), null, List.of(), "r", false, null);
    }

    @Test
    void saysWhenTheSameCauseIsActiveInSeveralRegions() {
        CauseCorrelator c = new CauseCorrelator();
        assertThat(c.correlate(wave("eu", AlertStatus.FIRING, "KB1")).relatedRegions()).isEmpty();
        Alert us = c.correlate(wave("us", AlertStatus.FIRING, "KB1"));
        assertThat(us.relatedRegions()).containsExactly("eu");
        assertThat(us.summary()).endsWith("same cause also in eu");
        assertThat(c.correlate(wave("ap", AlertStatus.FIRING, "KB2")).relatedRegions()).isEmpty();
        c.correlate(wave("eu", AlertStatus.RESOLVED, "KB1"));
        assertThat(c.correlate(wave("us", AlertStatus.FIRING, "KB1")).relatedRegions()).isEmpty();
    }
}
