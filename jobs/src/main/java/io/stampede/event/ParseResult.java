package io.stampede.event;

/** The outcome of parsing one record: the accepted envelope, or the category and reason it was refused. */
public final class ParseResult {

    private final Envelope envelope;
    private final DeadLetterCategory category;
    private final String reason;

    private ParseResult(Envelope envelope, DeadLetterCategory category, String reason) {
        this.envelope = envelope;
        this.category = category;
        this.reason = reason;
    }

    public static ParseResult accepted(Envelope envelope) {
        return new ParseResult(envelope, null, null);
    }

    public static ParseResult rejected(DeadLetterCategory category, String reason) {
        return new ParseResult(null, category, reason);
    }

    public boolean isAccepted() {
        return envelope != null;
    }

    public Envelope envelope() {
        return envelope;
    }

    public DeadLetterCategory category() {
        return category;
    }

    public String reason() {
        return reason;
    }

    @Override
    public String toString() {
        return isAccepted() ? "accepted " + envelope : "rejected " + category + ": " + reason;
    }
}
