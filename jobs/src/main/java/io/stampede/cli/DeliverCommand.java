package io.stampede.cli;

import io.stampede.alert.Alert;
import io.stampede.config.ConfigLoader;
import io.stampede.config.Durations;
import io.stampede.config.StampedeConfig;
import io.stampede.deliver.AlertJson;
import io.stampede.deliver.Deliverer;
import io.stampede.deliver.KafkaAlertFeed;
import io.stampede.deliver.ReceiverCounts;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code stampede deliver}: alerts to Alertmanager and/or PagerDuty. */
@Command(name = "deliver",
        mixinStandardHelpOptions = true,
        description = {
            "Delivers Stampede's alerts to Alertmanager (API v2) and/or PagerDuty (Events API v2).",
            "",
            "Runs as a process of its own beside the job, so a receiver that is slow or down never slows detection: "
                    + "each receiver has a bounded queue (delivery.queueCapacity; when it is full the oldest re-sends "
                    + "are dropped first, counted and logged) and failed requests are retried with backoff "
                    + "(delivery.retry.*).",
            "",
            "A state that is refused, given up after every retry or dropped is appended to the failed-deliveries "
                    + "file (delivery.failedDeliveries, one JSON object a line) with its alertId and why, logged and "
                    + "counted.",
            "",
            "Alertmanager (delivery.alertmanager.url): every alert is posted with the labels alertname (e.g. "
                    + "StampedeRebootWave), source=\"stampede\", region, severity, incident and stampede_type, and "
                    + "the annotations summary, description and runbook_url. A firing alert is re-posted every "
                    + "delivery.alertmanager.resendInterval until its RESOLVED state comes, which is posted with "
                    + "its endsAt.",
            "PagerDuty (delivery.pagerduty.routingKey): one page per Stampede incident (dedup_key = incidentId): "
                    + "triggered by the incident's first alert, added to by its later alerts, resolved when its last "
                    + "firing alert resolves.",
            "",
            "Examples:",
            "  stampede deliver --from-kafka -c stampede.yaml",
            "  stampede deliver --file alerts.jsonl --once -s delivery.alertmanager.url=http://am:9093",
            ""},
        footer = {"", "Exit code: 0 when everything handed over was delivered, 1 when something was refused, given "
                + "up or dropped (file replays), 2 for usage and configuration errors."})
public final class DeliverCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(DeliverCommand.class);

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--from-kafka", required = true,
                description = "Read the alerts topic (kafka.topics.alerts at kafka.bootstrapServers, committed records "
                        + "only, consumer group delivery.groupId) until stopped with Ctrl-C. Offsets are committed "
                        + "only past states delivered or recorded as failed, so a restart after a crash resumes "
                        + "without dropping anything or paging twice. On start the last delivery.lookback of the "
                        + "topic is re-read to learn which alerts still fire.")
        boolean fromKafka;

        @Option(names = "--file", paramLabel = "FILE", required = true,
                description = "Replay an alerts.jsonl file (written by demo or backtest), then keep re-sending the "
                        + "alerts still firing until they resolve (or stop at once with --once).")
        Path file;
    }

    @Option(names = "--once",
            description = "With --file: deliver each state once, wait until everything has been sent, then exit.")
    boolean once;

    @Mixin
    ConfigOptions configOptions;

    @Mixin
    BrokerCheck broker;

    @Override
    public Integer call() throws Exception {
        StampedeConfig config = configOptions.load();
        StampedeConfig.Delivery delivery = config.delivery();
        if (!delivery.alertmanager().enabled() && !delivery.pagerduty().enabled()) {
            throw new StampedeCli.UserException("nothing to deliver to: set delivery.alertmanager.url and/or "
                    + "delivery.pagerduty.routingKey (see 'stampede config --defaults')");
        }
        if (once && source.fromKafka) {
            throw new StampedeCli.UserException("--once goes with --file only");
        }
        if (source.fromKafka) {
            broker.partitions(config.kafka(), List.of(config.kafka().topics().alerts()));
        } else {
            List<String> empty = new ArrayList<>();
            if (InputFiles.check(List.of(source.file), "--file", false, empty).isEmpty()) {
                throw new StampedeCli.UserException("nothing to deliver: " + source.file + " (--file) is empty");
            }
        }
        String failedDeliveries = ConfigLoader.settingName(config, delivery, "failedDeliveries");
        OutputFolder.prepareFile(Path.of(delivery.failedDeliveries()), failedDeliveries);
        LOG.info("delivering to {}", receivers(delivery));
        Deliverer started;
        try {
            started = Deliverer.start(delivery, Clock.systemUTC());
        } catch (IOException e) {
            throw new StampedeCli.UserException(failedDeliveries + ": cannot open " + delivery.failedDeliveries()
                    + " for appending: " + e);
        }
        try (Deliverer deliverer = started) {
            LOG.info("alert states that cannot be delivered are recorded in {}", deliverer.failedDeliveries());
            if (source.fromKafka) {
                fromKafka(config, deliverer);
                logCounts(deliverer);
                return 0;
            }
            return fromFile(source.file, deliverer);
        }
    }

    /** Where alerts go, as a person reads it (the routing key is never shown). */
    private static String receivers(StampedeConfig.Delivery d) {
        List<String> to = new ArrayList<>();
        if (d.alertmanager().enabled()) {
            to.add("Alertmanager at " + d.alertmanager().url() + " (re-sent every "
                    + Durations.format(d.alertmanager().resendInterval()) + ")");
        }
        if (d.pagerduty().enabled()) {
            to.add("PagerDuty at " + d.pagerduty().url() + " (routing key set)");
        }
        return String.join(" and ", to);
    }

    private static void fromKafka(StampedeConfig config, Deliverer deliverer) throws InterruptedException, IOException {
        KafkaAlertFeed feed = KafkaAlertFeed.create(config, deliverer, Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            feed.stop();
            try {
                // Let the queues drain (Deliverer.close) before the JVM goes.
                stopped.await(config.delivery().requestTimeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "deliver-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            feed.run();
        } finally {
            deliverer.close();
            stopped.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running: it is what stopped the feed.
            }
        }
    }

    private int fromFile(Path file, Deliverer deliverer) throws IOException, InterruptedException {
        int states = 0;
        int skipped = 0;
        try (BufferedReader r = Files.newBufferedReader(file)) {
            String line;
            int number = 0;
            while ((line = r.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                Alert alert;
                try {
                    alert = AlertJson.read(line);
                } catch (IOException e) {
                    LOG.warn("{} line {}: skipped, not an alert: {}", file, number, e.getMessage());
                    skipped++;
                    continue;
                }
                deliverer.accept(alert);
                states++;
            }
        }
        LOG.info("{}: {} alert states handed over{}", file, states,
                skipped == 0 ? "" : ", " + skipped + " lines skipped");
        if (!once) {
            LOG.info("re-sending the alerts still firing until they resolve (Ctrl-C stops)");
            deliverer.awaitNothingToResend();
        }
        deliverer.drain();
        return logCounts(deliverer) == 0 && skipped == 0 ? 0 : 1;
    }

    /** Logs what became of everything handed over; returns how many items did not reach their receiver. */
    private static long logCounts(Deliverer deliverer) {
        long lost = 0;
        for (ReceiverCounts c : deliverer.counts()) {
            LOG.info("{}: {} delivered, {} refused, {} given up, {} dropped ({} re-sends dropped); {} alert states "
                            + "recorded in {}", c.receiver(), c.delivered(), c.rejected(), c.gaveUp(), c.droppedFresh(),
                    c.droppedResends(), c.recorded(), deliverer.failedDeliveries());
            lost += c.lost();
        }
        return lost;
    }
}
