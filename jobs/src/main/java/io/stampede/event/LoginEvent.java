package io.stampede.event;

/**
 * One login attempt seen by the auth front door. Optional fields are {@code null} when absent;
 * {@code latencyMs} is -1 when absent.
 *
 * <p>{@code accountId} is personal data: it is never logged, never leaves the parse step in
 * clear, and is not part of any output.
 */
public record LoginEvent(
        String eventId,
        long eventTime,
        String deviceId,
        String accountId,
        String region,
        String authCluster,
        Trigger trigger,
        int attempt,
        Outcome outcome,
        int latencyMs,
        String platform,
        String osBuild,
        String clientVersion) {

    public boolean isRetry() {
        return attempt > 1;
    }

    @Override
    public String toString() {
        return "LoginEvent[eventId=" + eventId + ", eventTime=" + eventTime + ", deviceId=" + deviceId
                + ", region=" + region + ", trigger=" + trigger + ", attempt=" + attempt
                + ", outcome=" + outcome + "]";
    }
}
