package io.stampede.deliver;

import io.stampede.alert.Alert;
import io.stampede.config.StampedeConfig;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes alert states from a feed (the alerts topic, a file) and delivers them to every configured
 * receiver. Handing over never waits for a receiver: each has its own bounded queue and sending
 * thread, and a ticker queues the re-sends as they fall due.
 */
public final class Deliverer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Deliverer.class);
    /** Far more alerts than a lookback holds (Stampede raises a handful per incident). */
    private static final int REMEMBERED_ALERTS = 100_000;
    private static final Duration LONGEST_TICK = Duration.ofSeconds(1);
    private static final Duration SHORTEST_TICK = Duration.ofMillis(10);

    private final List<DeliveryChannel> channels;
    private final FailedDeliveryFile failures;
    private final Clock clock;
    private final Duration tickEvery;
    private final Duration drainGrace;
    private final LatestStates latest = new LatestStates(REMEMBERED_ALERTS);
    private final ScheduledExecutorService ticker;
    private long ignored;

    Deliverer(List<DeliveryChannel> channels, FailedDeliveryFile failures, Clock clock, Duration tickEvery,
            Duration drainGrace) {
        this.channels = List.copyOf(channels);
        this.failures = failures;
        this.clock = clock;
        this.tickEvery = tickEvery;
        this.drainGrace = drainGrace;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "deliver-ticker");
            t.setDaemon(true);
            return t;
        });
        ticker.scheduleAtFixedRate(this::tick, tickEvery.toMillis(), tickEvery.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * A deliverer for every receiver the configuration turns on.
     *
     * @throws IOException if the failed-deliveries file cannot be opened
     */
    public static Deliverer start(StampedeConfig.Delivery config, Clock clock) throws IOException {
        FailedDeliveryFile failures = FailedDeliveryFile.open(Path.of(config.failedDeliveries()));
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.requestTimeout())
                .build();
        List<DeliveryChannel> channels = new ArrayList<>();
        if (config.alertmanager().enabled()) {
            channels.add(new AlertmanagerChannel(config, http, clock, failures));
        }
        if (config.pagerduty().enabled()) {
            channels.add(new PagerDutyChannel(config, http, clock, failures));
        }
        return new Deliverer(channels, failures, clock, tickEvery(config.alertmanager().resendInterval()),
                config.requestTimeout());
    }

    /** Often enough that a re-send is late by a small part of its interval at most. */
    static Duration tickEvery(Duration resendInterval) {
        Duration quarter = resendInterval.dividedBy(4);
        if (quarter.compareTo(LONGEST_TICK) > 0) {
            return LONGEST_TICK;
        }
        return quarter.compareTo(SHORTEST_TICK) < 0 ? SHORTEST_TICK : quarter;
    }

    /** A state to deliver; one already seen (or older than one seen) is ignored. */
    public void accept(Alert alert) {
        accept(alert, Origin.NONE);
    }

    /**
     * A state to deliver to the receivers that were not done with it before this process started
     * (the others learn from it); one already seen (or older than one seen) is ignored.
     */
    synchronized void accept(Alert alert, Origin origin) {
        if (!latest.isNew(alert)) {
            ignored++;
            return;
        }
        Instant now = clock.instant();
        for (DeliveryChannel c : channels) {
            if (origin.deliveredBefore(c.name())) {
                c.restore(alert);
            } else {
                c.accept(alert, now, origin);
            }
        }
    }

    /** The names of the receivers delivered to. */
    List<String> receivers() {
        return channels.stream().map(DeliveryChannel::name).toList();
    }

    /** A state delivered before this process started: learnt (what still fires), not delivered again. */
    public synchronized void restore(Alert alert) {
        if (latest.isNew(alert)) {
            for (DeliveryChannel c : channels) {
                c.restore(alert);
            }
        }
    }

    private synchronized void tick() {
        Instant now = clock.instant();
        for (DeliveryChannel c : channels) {
            try {
                c.tick(now);
            } catch (RuntimeException e) {
                // The ticker stops for good on an exception; the next tick may well succeed.
                LOG.error("{}: queueing re-sends failed", c.counts().receiver(), e);
            }
        }
    }

    /** Whether some alert is still firing (or resolved with posts to come), so re-sends will follow. */
    public synchronized boolean resending() {
        return channels.stream().anyMatch(DeliveryChannel::resending);
    }

    /** Nothing queued and nothing in flight at any receiver. */
    public boolean idle() {
        return channels.stream().allMatch(DeliveryChannel::idle);
    }

    /** Waits until every alert has resolved and its resolved state has been posted. */
    public void awaitNothingToResend() throws InterruptedException {
        while (resending()) {
            Thread.sleep(tickEvery.toMillis());
        }
    }

    /** Waits until every queue is empty and nothing is in flight; false if {@code max} passed first. */
    public boolean awaitIdle(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!idle()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(SHORTEST_TICK.toMillis());
        }
        return true;
    }

    /**
     * Stops the re-sends and waits until everything queued has been sent (or refused or given up:
     * retries are bounded, so this ends).
     */
    public void drain() throws InterruptedException {
        ticker.shutdownNow();
        while (!idle()) {
            Thread.sleep(SHORTEST_TICK.toMillis());
        }
    }

    /** Where the states that could not be delivered are recorded. */
    public Path failedDeliveries() {
        return failures.path();
    }

    public List<ReceiverCounts> counts() {
        return channels.stream().map(DeliveryChannel::counts).toList();
    }

    /** States ignored because a newer (or the same) state of the alert had been seen. */
    public synchronized long ignoredStates() {
        return ignored;
    }

    /** Stops the re-sends, gives what is queued a request timeout to go out, then stops sending. */
    @Override
    public void close() throws InterruptedException, IOException {
        ticker.shutdownNow();
        if (!awaitIdle(drainGrace)) {
            LOG.warn("stopping with deliveries still queued or in flight");
        }
        for (DeliveryChannel c : channels) {
            c.close();
        }
        failures.close();
    }
}
