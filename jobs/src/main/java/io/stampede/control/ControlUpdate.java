package io.stampede.control;

import java.io.Serializable;

/**
 * A checked change of the known controls, broadcast to every segment: a control to add or replace,
 * or (with {@code control} null) the id of one to forget.
 */
public record ControlUpdate(String controlId, Control control) implements Serializable {}
