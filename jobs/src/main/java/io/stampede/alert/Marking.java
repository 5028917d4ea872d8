package io.stampede.alert;

/**
 * What the controls in force say about one alert state: whether an operator announced it
 * ({@code expected}: delivered without paging), which control shaped it, and the words the
 * summary ends with.
 */
public record Marking(boolean expected, String controlId, String note) {

    public static final Marking NONE = new Marking(false, null, null);
}
