package io.stampede.io;

import java.util.function.Consumer;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * Hands each record, formatted, to a printer of this JVM: how the embedded demo prints alerts as
 * they fire. The printer is looked up by name because sinks are serialized with the job.
 */
public final class ConsoleSink<T> implements Sink<T> {

    private static final java.util.Map<String, Consumer<String>> PRINTERS = new java.util.concurrent.ConcurrentHashMap<>();

    private final String printer;
    private final MapFunction<T, String> format;

    public ConsoleSink(String printer, MapFunction<T, String> format) {
        this.printer = printer;
        this.format = format;
    }

    public static void register(String name, Consumer<String> printer) {
        PRINTERS.put(name, printer);
    }

    public static void unregister(String name) {
        PRINTERS.remove(name);
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) {
        Consumer<String> out = PRINTERS.getOrDefault(printer, System.out::println);
        return new SinkWriter<>() {
            @Override
            public void write(T element, Context ctx) throws java.io.IOException {
                try {
                    out.accept(format.map(element));
                } catch (java.io.IOException | RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new java.io.IOException(e);
                }
            }

            @Override
            public void flush(boolean endOfInput) {}

            @Override
            public void close() {}
        };
    }
}
