package io.stampede.alert;

/**
 * An attribute value the rebooting devices share: {@code share} of them have it, and that is
 * {@code lift} times its share in the fleet (for reboot reasons: in normal boots).
 */
public record Attribution(String attribute, String value, double share, double lift) {}
