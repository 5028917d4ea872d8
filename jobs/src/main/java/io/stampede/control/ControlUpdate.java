package io.stampede.control;

import java.io.Serializable;

/**
 * A checked change of the known controls, broadcast to every segment: a control to add or replace
 * (as the JSON of {@link ControlJson}, so no generic type travels between operators), or (with
 * {@code json} null) the id of one to forget.
 */
public record ControlUpdate(String controlId, String json) implements Serializable {}
