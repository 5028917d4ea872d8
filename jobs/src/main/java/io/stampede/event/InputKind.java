package io.stampede.event;

/** The two input contracts and the name each goes by (default topic name, schema file). */
public enum InputKind {
    LOGIN("login-events", "login-event.schema.json"),
    TELEMETRY("telemetry-events", "telemetry-event.schema.json");

    private final String streamName;
    private final String schemaFile;

    InputKind(String streamName, String schemaFile) {
        this.streamName = streamName;
        this.schemaFile = schemaFile;
    }

    public String streamName() {
        return streamName;
    }

    public String schemaFile() {
        return schemaFile;
    }
}
