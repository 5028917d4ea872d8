package io.stampede.kafka;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A test class with a real Kafka broker of its own, started before its first test and stopped after its last. */
public abstract class WithKafkaBroker {

    protected static KafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = KafkaBroker.start();
    }

    /**
     * Settings that point the live job at the broker, with topics, group and transactional ids of
     * {@code prefix}'s own ({@code <prefix>-logins}, {@code -telemetry}, {@code -alerts},
     * {@code -directives}, {@code -signals}, {@code -dead}) and a checkpoint every second.
     */
    protected static List<String> jobSettings(String prefix) {
        return new ArrayList<>(List.of(
                "kafka.bootstrapServers=" + broker.bootstrapServers(),
                "kafka.groupId=" + prefix,
                "kafka.startFrom=earliest",
                "kafka.transactionalIdPrefix=" + prefix,
                "kafka.topics.logins=" + prefix + "-logins",
                "kafka.topics.telemetry=" + prefix + "-telemetry",
                "kafka.topics.alerts=" + prefix + "-alerts",
                "kafka.topics.directives=" + prefix + "-directives",
                "kafka.topics.signals=" + prefix + "-signals",
                "kafka.topics.deadLetters=" + prefix + "-dead",
                "job.checkpointInterval=1s"));
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }
}
