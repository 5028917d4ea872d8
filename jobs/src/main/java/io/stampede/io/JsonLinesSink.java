package io.stampede.io;

import java.nio.file.Path;

/** Writes records as JSON lines to one local file, for bounded runs (see {@link LineFileSink}). */
public final class JsonLinesSink<T> extends LineFileSink<T> {

    public JsonLinesSink(Path path) {
        super(path, null, Json::write);
    }
}
