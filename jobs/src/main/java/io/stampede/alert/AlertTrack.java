package io.stampede.alert;

/** The lifecycle of one alert type in one segment. */
final class AlertTrack {
    boolean firing;
    String dedupKey;
    String incidentId;
    int sequence;
    long startsAt;
    Severity severity;
    String causeKey;
    double lastObserved;
    long lastEmitted;
    String lastAlertId;
    boolean expected;
    String controlId;
    String note;

    AlertTrack() {}
}
