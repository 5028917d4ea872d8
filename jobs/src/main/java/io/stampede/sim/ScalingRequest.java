package io.stampede.sim;

/**
 * What an autoscaler reads from one of Stampede's scaling signals: for which region, when it was
 * issued (event time, epoch ms), which way and to how many nodes. The simulator models the world
 * the job watches, so it takes the signal in this form rather than the job's own class.
 */
public record ScalingRequest(String region, long issuedAt, Direction direction, int desiredNodes) {

    public enum Direction {
        UP,
        DOWN,
        HOLD
    }
}
