package io.stampede.cli;

import io.stampede.config.StampedeConfig;
import io.stampede.io.kafka.KafkaTopics;
import io.stampede.io.kafka.ProductionJob;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code stampede run}: the live job. */
@Command(name = "run",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the live job: Kafka in, Kafka out, exactly once.",
            "",
            "Reads the login and telemetry topics and the operators' controls (kafka.topics.control, from its "
                    + "beginning; see 'stampede control --help'), and writes alerts, throttle directives (keyed by region for a "
                    + "compacted topic), scaling signals and dead letters with Kafka transactions committed at each "
                    + "checkpoint (consumers read with isolation.level=read_committed). Started from this command it "
                    + "runs on an in-process Flink mini cluster until stopped (Ctrl-C); the same jar runs on a Flink "
                    + "cluster with 'flink run -c io.stampede.StampedeJob stampede.jar --config FILE' or in "
                    + "application mode (entry class io.stampede.StampedeJob, the same arguments). Kafka address, "
                    + "topics, group, start position, security settings (kafka.properties.*) and checkpointing come "
                    + "from the configuration; see 'stampede config --defaults'.",
            ""})
public final class RunCommand implements Callable<Integer> {

    @Option(names = "--bounded",
            description = "Read the input topics up to their current end, then stop (for checks and tests).")
    boolean bounded;

    @Mixin
    ConfigOptions configOptions;

    @Mixin
    BrokerCheck broker;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        StampedeConfig config = configOptions.load();
        StampedeConfig.Topics t = config.kafka().topics();
        broker.partitions(config.kafka(), List.of(t.logins(), t.telemetry(), t.alerts(), t.directives(), t.signals(),
                t.deadLetters()));
        try {
            broker.partitions(config.kafka(), List.of(t.control()));
        } catch (KafkaTopics.Unavailable missing) {
            // Not a reason to refuse to run: detection works without controls, and the topic is found
            // once it is created.
            spec.commandLine().getErr().println("stampede run: warning: " + missing.getMessage().replaceFirst(
                    ";.*", "") + ", so operators' controls (stampede control) cannot reach the job; once it is "
                    + "created (compacted, one partition: deploy/k8s/topics/create-topics.sh) the job finds it "
                    + "within a minute");
            spec.commandLine().getErr().flush();
        }
        StreamExecutionEnvironment env = ProductionJob.build(config, bounded);
        env.execute(ProductionJob.JOB_NAME);
        return 0;
    }
}
