package io.stampede.io;

import io.stampede.event.InputKind;

/** One serialized input record, as it would arrive from Kafka or a file, and which contract it claims. */
public record RawRecord(InputKind kind, byte[] bytes) {}
