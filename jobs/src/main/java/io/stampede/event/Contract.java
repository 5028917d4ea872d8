package io.stampede.event;

/** Every contract Stampede reads or writes, with the schema file that defines it. */
public enum Contract {
    LOGIN_EVENT("login-event.schema.json"),
    TELEMETRY_EVENT("telemetry-event.schema.json"),
    ALERT("alert.schema.json"),
    THROTTLE_DIRECTIVE("throttle-directive.schema.json"),
    SCALING_SIGNAL("scaling-signal.schema.json"),
    DEAD_LETTER("dead-letter.schema.json"),
    FAILED_DELIVERY("failed-delivery.schema.json"),
    CONTROL("control.schema.json");

    private final String schemaFile;

    Contract(String schemaFile) {
        this.schemaFile = schemaFile;
    }

    public String schemaFile() {
        return schemaFile;
    }

    public static Contract of(InputKind kind) {
        return kind == InputKind.LOGIN ? LOGIN_EVENT : TELEMETRY_EVENT;
    }
}
