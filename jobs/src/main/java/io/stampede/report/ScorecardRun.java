package io.stampede.report;

import io.stampede.admission.AttemptClass;
import io.stampede.admission.ThrottleDirective;
import io.stampede.alert.Alert;
import io.stampede.config.StampedeConfig;
import io.stampede.detect.Attributes;
import io.stampede.detect.BootLoginModel;
import io.stampede.detect.BucketStats;
import io.stampede.detect.SegmentEngine;
import io.stampede.detect.SegmentOutput;
import io.stampede.detect.SegmentSnapshot;
import io.stampede.detect.SegmentState;
import io.stampede.event.Outcome;
import io.stampede.event.RebootReason;
import io.stampede.plan.ScalingSignal;
import io.stampede.sim.CountBucket;
import io.stampede.sim.CountScenario;
import io.stampede.sim.CountSeries;
import java.util.ArrayList;
import java.util.List;

/**
 * One run of the scorecard: a scenario's count series for one region size and seed, played bucket
 * by bucket through that region's {@link SegmentEngine}, as the job's segment stage would. Only the
 * alerts are kept. The region reports no auth-node health, so the engine runs the demand detectors
 * (REBOOT_WAVE, LOGIN_SURGE, RETRY_STORM) and no capacity model.
 */
public final class ScorecardRun {

    private ScorecardRun() {}

    /** Every alert state the engine emitted, in order. */
    public static List<Alert> play(StampedeConfig config, CountScenario scenario, int devices, long seed) {
        SegmentEngine engine = new SegmentEngine(config);
        String segment = segment(devices);
        SegmentState state = new SegmentState(segment);
        Alerts out = new Alerts();
        CountSeries series = new CountSeries(scenario, devices, seed, engine.bucketMs());
        boolean first = true;
        while (series.hasNext()) {
            BucketStats stats = stats(segment, series.next());
            if (first) {
                stats.devicesDelta = devices;
                first = false;
            }
            engine.onBucket(state, stats, out);
        }
        return out.alerts;
    }

    /** The region's segment name, e.g. {@code region-40k} or {@code region-4m}. */
    static String segment(int devices) {
        if (devices >= 1_000_000 && devices % 1_000_000 == 0) {
            return "region-" + devices / 1_000_000 + "m";
        }
        if (devices >= 1_000 && devices % 1_000 == 0) {
            return "region-" + devices / 1_000 + "k";
        }
        return "region-" + devices;
    }

    /** The bucket as the per-device stage would have counted it. */
    static BucketStats stats(String segment, CountBucket b) {
        BucketStats s = new BucketStats(segment, b.start());
        s.boots = b.boots();
        s.sampledBoots = s.boots;
        s.armedBoots = b.armedBoots();
        for (RebootReason r : RebootReason.values()) {
            if (b.boots(r) > 0) {
                s.bootAttributes.put(Attributes.key(Attributes.REBOOT_REASON, r.name()), b.boots(r));
            }
        }
        String update = b.updateId();
        if (update != null) {
            if (b.armedBoots() > 0) {
                s.bootAttributes.put(Attributes.key(Attributes.UPDATE_ID, update), b.armedBoots());
            }
            s.armedDelta.put(update, b.installs() - b.armedBoots());
            s.censusDelta.put(Attributes.key(Attributes.UPDATE_ID, update), b.installs());
        }
        for (AttemptClass c : AttemptClass.values()) {
            for (Outcome o : Outcome.values()) {
                s.logins[BucketStats.cell(c, o)] = b.logins(c, o);
            }
        }
        s.autoLoginsAfterBoot = b.autoLoginsAfterBoot();
        for (int sec = 0; sec < CountBucket.MAX_DELAY_SECONDS; sec++) {
            long n = b.autoLoginsAfterBoot(sec);
            if (n > 0) {
                long ms = sec * 1000L + 500;
                s.bootToLoginSumMs += n * ms;
                s.bootToLoginBins[(int) Math.min(BootLoginModel.BINS - 1, ms / BootLoginModel.BIN_MS)] += n;
            }
        }
        return s;
    }

    /** Keeps the alerts; directives and signals do not come from a region without health reports. */
    private static final class Alerts implements SegmentOutput {
        final List<Alert> alerts = new ArrayList<>();

        @Override
        public void alert(Alert alert) {
            alerts.add(alert);
        }

        @Override
        public void directive(ThrottleDirective directive) {}

        @Override
        public void signal(ScalingSignal signal) {}

        @Override
        public void snapshot(SegmentSnapshot snapshot) {}
    }
}
