package io.stampede.detect;

import io.stampede.alert.AlertContent;
import io.stampede.alert.AlertType;
import io.stampede.alert.Attribution;
import io.stampede.alert.Evidence;
import io.stampede.alert.Forecast;
import io.stampede.alert.Severity;
import io.stampede.alert.WaveForecast;
import io.stampede.config.StampedeConfig;
import java.util.List;

/**
 * REBOOT_WAVE: distinct devices booting far above the segment's baseline. It names what the
 * booting devices share far more than the fleet does (update, build, version, reason) and, from
 * the armed pool, how much of the wave is still to come.
 */
final class RebootWaveDetector implements Detector {

    /** The wave's own memory: what booted in it, for its attribution and its summary. */
    static final class State {
        WaveAttribution attribution = new WaveAttribution();
        long boots;
        long armedBoots;
        /** How far and how fast the boot rate went in this episode: its severity. */
        RateCheck.Episode episode = new RateCheck.Episode();

        void reset() {
            attribution.reset();
            boots = 0;
            armedBoots = 0;
        }

        /** The field of the state before the episode was kept whole. */
        @com.fasterxml.jackson.annotation.JsonSetter("peakRatio")
        private void readPeakRatio(double v) {
            episode.peakRatio = v;
        }
    }

    /**
     * A wave with no update named but mostly armed devices booting (at least this share) is taken
     * to be draining the armed pool: all of it counts as still to come.
     */
    private static final double MOSTLY_ARMED = 0.5;

    private final StampedeConfig.RateRule rule;
    private final StampedeConfig.Forecast forecast;
    private final RateBaseline.Params baseline;

    RebootWaveDetector(StampedeConfig config, RateBaseline.Params baseline) {
        this.rule = config.detection().rebootWave();
        this.forecast = config.forecast();
        this.baseline = baseline;
    }

    @Override
    public AlertType type() {
        return AlertType.REBOOT_WAVE;
    }

    /**
     * Hot when all boots are, or when the boots of armed devices (an update waiting for their
     * reboot) are, while all boots are visibly up: a forced wave shows in them first, since armed
     * devices seldom reboot by themselves at the same time.
     */
    @Override
    public Condition judge(SegmentState s, ClosedBucket b) {
        Condition all = RateCheck.of(rule, s.boots, baseline, b.start(), b.bootRate(), b.expectedBoots(), b.millis());
        double armedRate = b.stats().armedBoots / b.seconds();
        boolean armedHot = RateCheck.accumulate(rule, s.armedBoots, baseline, b.start(), armedRate,
                s.armedBoots.expected(b.start())) && !all.calm() && b.bootRate() > rule.minPerSec();
        if (all.hot() || !armedHot) {
            return all;
        }
        return new Condition(all.score(), true, false, true, all.fireAfterMs(), all.clearAfterMs());
    }

    @Override
    public void learn(SegmentState s, ClosedBucket b, Step step) {
        State w = s.rebootWave;
        // A bucket piling up evidence may be the start of a wave: it joins the wave provisionally,
        // and is forgotten (never learned as normal) if the evidence drains without one.
        boolean suspect = s.boots.evidence > 0 || s.armedBoots.evidence > 0;
        if (step.disturbed() || step.resolved() || suspect) {
            w.attribution.addToWave(b.stats());
            w.boots += b.stats().boots;
            w.armedBoots += b.stats().armedBoots;
        } else {
            if (w.boots > 0) {
                w.reset();
            }
            w.attribution.learnNormal(b.stats());
        }
        s.boots.learn(b.start(), b.bootRate(), step.disturbed(), baseline);
        s.armedBoots.learn(b.start(), b.stats().armedBoots / b.seconds(), step.disturbed(), baseline);
    }

    @Override
    public Finding report(SegmentState s, ClosedBucket b, Condition c, Step step) {
        State w = s.rebootWave;
        double rate = b.bootRate();
        double expected = b.expectedBoots();
        List<Attribution> attribution = w.attribution.attribute(s.census, rule.attributionMinShare(),
                rule.attributionMinLift());
        WaveForecast outlook = outlook(s, b, attribution);
        if (step.fired()) {
            w.episode.reset();
        }
        Severity severity = w.episode.update(rule, s.boots, rate, expected, b.millis(), 1 / b.seconds());
        String cause = attribution.isEmpty() ? null
                : Attributes.key(attribution.get(0).attribute(), attribution.get(0).value());
        Evidence evidence = new Evidence(Texts.round(rate), Texts.round(expected), Texts.round(c.score()),
                "devices booting/s", b.window());
        AlertContent content = new AlertContent(summary(s, rate, expected, attribution, outlook, step.resolved(),
                NewNormal.of(s.boots, s.wave)),
                evidence, attribution, Forecast.of(outlook), cause);
        if (step.resolved()) {
            w.reset();
        }
        return new Finding(severity, content);
    }

    private WaveForecast outlook(SegmentState s, ClosedBucket b, List<Attribution> attribution) {
        State w = s.rebootWave;
        String updateId = null;
        for (Attribution a : attribution) {
            if (a.attribute().equals(Attributes.UPDATE_ID)) {
                updateId = a.value();
                break;
            }
        }
        Long armedDevices = null;
        if (updateId != null) {
            armedDevices = s.armed.getOrDefault(updateId, 0L);
        } else if (w.boots > 0 && w.armedBoots >= MOSTLY_ARMED * w.boots) {
            armedDevices = s.armedTotal();
        }
        double share = s.bootLogin.autoLoginShare(forecast.defaultAutoLoginShare());
        double delayMs = s.bootLogin.meanDelayMs(forecast.defaultBootToLogin().toMillis());
        double remainingLogins = (armedDevices == null ? 0 : armedDevices * share) + pendingLogins(s, b.millis(), share);
        return new WaveForecast((int) forecast.horizon().toSeconds(), updateId, armedDevices, w.boots, armedDevices,
                Texts.round(remainingLogins), Texts.round(share), Texts.round(delayMs / 1000));
    }

    /** Automatic logins still to come from devices that already booted (their delay has not elapsed yet). */
    private double pendingLogins(SegmentState s, long bucketMs, double share) {
        double[] pmf = s.bootLogin.delayDistribution(bucketMs, forecast.defaultBootToLogin().toMillis());
        double pending = 0;
        for (int age = 1; age <= s.recentExcessBoots.length; age++) {
            double later = 0;
            for (int d = age; d < pmf.length; d++) {
                later += pmf[d];
            }
            pending += s.recentExcessBoots[s.recentExcessBoots.length - age] * share * later;
        }
        return pending;
    }

    private static String summary(SegmentState s, double rate, double expected, List<Attribution> attribution,
            WaveForecast f, boolean resolved, NewNormal newNormal) {
        StringBuilder b = new StringBuilder(s.segment).append(": ");
        if (resolved && newNormal != null) {
            b.append("reboot wave over: ").append(Texts.rate(rate)).append(" devices booting/s ")
                    .append(newNormal.describe()).append(", ").append(Texts.count(s.rebootWave.boots))
                    .append(" devices rebooted");
        } else if (resolved) {
            b.append("reboot wave over, ").append(Texts.count(s.rebootWave.boots)).append(" devices rebooted");
        } else {
            b.append("reboot wave, ").append(Texts.rate(rate)).append(" devices booting/s vs ")
                    .append(Texts.rate(expected)).append("/s normal (")
                    .append(Texts.ratio(rate / Math.max(expected, 0.1))).append(")");
        }
        if (attribution.isEmpty()) {
            b.append("; no shared cause stands out");
        } else {
            Attribution top = attribution.get(0);
            b.append("; cause: ").append(top.attribute()).append(' ').append(top.value()).append(" (")
                    .append(Texts.percent(top.share())).append(" of them, ").append(Texts.ratio(top.lift()))
                    .append(" the ").append(top.attribute().equals(Attributes.REBOOT_REASON) ? "normal" : "fleet")
                    .append(" share)");
            for (int i = 1; i < Math.min(3, attribution.size()); i++) {
                Attribution a = attribution.get(i);
                b.append(", ").append(a.attribute()).append(' ').append(a.value());
            }
        }
        if (!resolved && f.armedDevices() != null && f.armedDevices() > 0) {
            b.append("; ").append(Texts.count(f.armedDevices())).append(" armed devices still to reboot");
        }
        return b.toString();
    }
}
