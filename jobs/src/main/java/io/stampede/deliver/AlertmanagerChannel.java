package io.stampede.deliver;

import io.stampede.alert.Alert;
import io.stampede.config.StampedeConfig;
import io.stampede.io.Json;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;

/** Delivery to Alertmanager's API v2: firing alerts re-posted until they resolve. */
final class AlertmanagerChannel implements DeliveryChannel {

    static final String NAME = "alertmanager";
    /** Alertmanager takes a list per post, so the re-sends due at one tick go in a few posts, not one each. */
    private static final int BATCH = 64;

    private final ActiveAlerts active;
    private final DeliveryQueue<Outgoing<AlertmanagerAlert>> queue;
    private final Outcomes<AlertmanagerAlert> outcomes;
    private final SendLoop<AlertmanagerAlert> loop;
    private final DropReporter drops;

    AlertmanagerChannel(StampedeConfig.Delivery config, HttpClient http, Clock clock, FailedDeliveryFile failures) {
        this.active = new ActiveAlerts(new AlertmanagerMapping(config.generatorUrl()),
                config.alertmanager().resendInterval());
        this.outcomes = new Outcomes<>(NAME, a -> describe(List.of(a)), failures, clock);
        this.queue = new DeliveryQueue<>(config.queueCapacity(), e -> outcomes.dropped(e, config.queueCapacity()));
        JsonPoster poster = new JsonPoster(NAME, http,
                Endpoints.resolve(config.alertmanager().url(), Endpoints.ALERTMANAGER_ALERTS),
                config.requestTimeout(), RetryPolicy.of(config.retry()), UnaryOperator.identity(), clock);
        // Alertmanager takes a repeated alert as the same (it goes by labels): no need to wait for saves.
        this.loop = new SendLoop<>(NAME, queue, BATCH, batch -> poster.post(Json.bytes(batch), describe(batch)),
                outcomes, null);
        this.drops = new DropReporter(NAME, config.queueCapacity());
        loop.start();
    }

    private static String describe(List<AlertmanagerAlert> batch) {
        AlertmanagerAlert first = batch.get(0);
        String one = first.labels().get("alertname") + " " + first.labels().get("region") + " ("
                + (first.endsAt() == null ? "firing" : "resolved") + ")";
        return batch.size() == 1 ? "alert " + one : batch.size() + " alerts (" + one + ", ...)";
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void accept(Alert alert, Instant now, Origin origin) {
        active.accept(alert, now).forEach(a -> queue.offer(new Outgoing<>(a, alert, origin.queued(NAME)), false));
    }

    @Override
    public void restore(Alert alert) {
        active.restore(alert);
    }

    @Override
    public void tick(Instant now) {
        active.due(now).forEach(a -> queue.offer(Outgoing.resend(a), true));
        drops.report(queue.drops(), now);
    }

    @Override
    public boolean resending() {
        return !active.isEmpty();
    }

    @Override
    public boolean idle() {
        return queue.idle();
    }

    @Override
    public ReceiverCounts counts() {
        return outcomes.counts(queue.drops());
    }

    @Override
    public void close() throws InterruptedException {
        loop.close();
        drops.reportRemaining(queue.drops());
    }
}
