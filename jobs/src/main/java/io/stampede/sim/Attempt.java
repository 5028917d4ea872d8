package io.stampede.sim;

import io.stampede.event.Trigger;

/**
 * A login attempt reaching the front door.
 *
 * @param ms its millisecond within the second it arrived
 * @param arrived that second (event time, ms)
 */
record Attempt(int device, Trigger trigger, int attempt, long sessionStart, boolean deferred, int ms, long arrived) {}
