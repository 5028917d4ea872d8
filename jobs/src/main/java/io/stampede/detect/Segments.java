package io.stampede.detect;

/** Segment names. */
public final class Segments {

    /** The segment that stands for the whole fleet. */
    public static final String FLEET = "fleet";

    private Segments() {}

    public static boolean isFleet(String segment) {
        return FLEET.equals(segment);
    }
}
