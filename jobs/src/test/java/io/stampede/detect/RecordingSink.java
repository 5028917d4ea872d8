package io.stampede.detect;

import io.stampede.admission.AttemptClass;
import io.stampede.event.Outcome;
import io.stampede.event.RebootReason;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A {@link FactSink} that remembers what it was told, for tests of the per-device step. */
final class RecordingSink implements FactSink {
    final List<String> facts = new ArrayList<>();
    final Map<String, Long> census = new HashMap<>();
    final Map<String, Long> armed = new HashMap<>();
    long duplicates;
    long boots;
    long armedBoots;
    long sampledBoots;
    final List<Long> delays = new ArrayList<>();

    @Override
    public void login(String region, long time, AttemptClass cls, Outcome outcome, int latencyMs) {
        facts.add("login " + cls + " " + outcome);
    }

    @Override
    public void boot(String region, long time, String platform, String osBuild, String clientVersion, String updateId,
            RebootReason reason, boolean armed, boolean sampled) {
        boots++;
        if (armed) {
            armedBoots++;
        }
        if (sampled) {
            sampledBoots++;
        }
        facts.add("boot " + reason + " update=" + updateId + (armed ? " armed" : ""));
    }

    @Override
    public void autoLoginAfterBoot(String region, long time, long delayMs) {
        delays.add(delayMs);
    }

    @Override
    public void armed(String region, long time, String updateId, int delta) {
        armed.merge(updateId, (long) delta, Long::sum);
    }

    @Override
    public void census(String region, long time, String attribute, String value, int delta) {
        census.merge(region + ":" + attribute + "=" + value, (long) delta, Long::sum);
    }

    @Override
    public void node(String region, long time, NodeSample sample) {
        facts.add("node " + sample.node());
    }

    @Override
    public void duplicate(String region, long time) {
        duplicates++;
    }
}
