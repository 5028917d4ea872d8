/**
 * Delivery of Stampede's alerts to the receivers operators work with: Alertmanager (API v2) and
 * PagerDuty (Events API v2), run by {@code stampede deliver} as a process of its own, so a
 * receiver that is down never slows detection.
 *
 * <p>The pure part maps an alert to each receiver's payload ({@link AlertmanagerMapping},
 * {@link PagerDutyMapping}) and keeps the lifecycle books: which alerts Alertmanager must keep
 * hearing about ({@link ActiveAlerts}), which Stampede incidents have an open page
 * ({@link OpenIncidents}), which alert states are new ({@link LatestStates}), how long to wait
 * before a retry ({@link RetryPolicy}). The I/O part posts them ({@link JsonPoster},
 * {@link SendLoop}) from a bounded queue per receiver ({@link DeliveryQueue}), fed from the alerts
 * topic ({@link KafkaAlertFeed}) or a file, all held together by {@link Deliverer}. A state that does
 * not get through (refused, given up, dropped for room) is counted, logged and written to the
 * failed-deliveries file ({@link Outcomes}, {@link FailedDeliveryFile}).
 */
package io.stampede.deliver;
