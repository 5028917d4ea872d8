package io.stampede.detect;

/**
 * A rise that lasted and settled, adopted by its baseline as the new normal during the episode
 * that is now resolving: what the RESOLVED alert says instead of "over".
 *
 * @param wasPerSec the deseasonalized rate before the shift
 * @param afterMs how long after the episode's onset the shift was adopted
 */
record NewNormal(double wasPerSec, long afterMs) {

    /** The adoption inside this episode, or null if the episode ended by itself. */
    static NewNormal of(RateBaseline baseline, Hysteresis episode) {
        if (baseline.adoptedAt() == Long.MIN_VALUE || baseline.adoptedAt() < episode.onset()) {
            return null;
        }
        return new NewNormal(baseline.adoptedFrom(), baseline.adoptedAt() - episode.onset());
    }

    String describe() {
        return "is the new normal (was " + Texts.rate(wasPerSec) + "/s; adopted after it held for "
                + Math.round(afterMs / 60_000.0) + " min)";
    }
}
