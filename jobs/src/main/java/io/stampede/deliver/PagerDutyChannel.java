package io.stampede.deliver;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stampede.alert.Alert;
import io.stampede.config.StampedeConfig;
import io.stampede.io.Json;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Instant;

/** Delivery to PagerDuty's Events API v2: one page per Stampede incident. */
final class PagerDutyChannel implements DeliveryChannel {

    static final String NAME = "pagerduty";
    private static final String MASK = "******";

    private final OpenIncidents incidents;
    private final DeliveryQueue<Outgoing<PagerDutyEvent>> queue;
    private final Outcomes<PagerDutyEvent> outcomes;
    private final SendLoop<PagerDutyEvent> loop;
    private final DropReporter drops;
    private final String routingKey;

    PagerDutyChannel(StampedeConfig.Delivery config, HttpClient http, Clock clock, FailedDeliveryFile failures) {
        this.incidents = new OpenIncidents(new PagerDutyMapping(config.generatorUrl()));
        this.outcomes = new Outcomes<>(NAME, PagerDutyChannel::describe, failures, clock);
        this.queue = new DeliveryQueue<>(config.queueCapacity(), e -> outcomes.dropped(e, config.queueCapacity()));
        this.routingKey = config.pagerduty().routingKey();
        JsonPoster poster = new JsonPoster(NAME, http,
                Endpoints.resolve(config.pagerduty().url(), Endpoints.PAGERDUTY_ENQUEUE),
                config.requestTimeout(), RetryPolicy.of(config.retry()), text -> text.replace(routingKey, MASK), clock);
        // The Events API takes one event per request.
        // An event is sent only once the one before it is saved as done: a restart then repeats at most the
        // last event, and PagerDuty takes a repeated trigger or resolve as the same. Repeating more could
        // send a trigger after its incident's resolve, which opens a second incident: a second page.
        this.loop = new SendLoop<>(NAME, queue, 1, batch -> poster.post(body(batch.get(0)), describe(batch.get(0))),
                outcomes, config.requestTimeout());
        this.drops = new DropReporter(NAME, config.queueCapacity());
        loop.start();
    }

    /** The event as posted: with the routing key, which exists nowhere else in what is sent or logged. */
    private byte[] body(PagerDutyEvent event) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("routing_key", routingKey);
        body.setAll((ObjectNode) Json.MAPPER.valueToTree(event));
        return Json.bytes(body);
    }

    private static String describe(PagerDutyEvent event) {
        return event.eventAction() + " of incident " + event.dedupKey();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void accept(Alert alert, Instant now, Origin origin) {
        incidents.accept(alert).forEach(e -> queue.offer(new Outgoing<>(e, alert, origin.queued(NAME)), false));
    }

    @Override
    public void restore(Alert alert) {
        incidents.restore(alert);
    }

    @Override
    public void tick(Instant now) {
        drops.report(queue.drops(), now);
    }

    /** Pages are not re-sent: PagerDuty keeps an incident open until it is resolved. */
    @Override
    public boolean resending() {
        return false;
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
