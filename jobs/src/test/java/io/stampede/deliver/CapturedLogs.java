package io.stampede.deliver;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Everything Stampede logs while open, down to DEBUG, kept in memory for assertions; warnings and
 * errors still reach the console as usual.
 */
final class CapturedLogs implements AutoCloseable {

    private static final String LOGGER = "io.stampede";

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
    private final AbstractAppender appender =
            new AbstractAppender("captured", null, null, true, Property.EMPTY_ARRAY) {
                @Override
                public void append(LogEvent event) {
                    Throwable t = event.getThrown();
                    lines.add(event.getLevel() + " " + event.getMessage().getFormattedMessage()
                            + (t == null ? "" : " " + t));
                }
            };

    CapturedLogs() {
        appender.start();
        Configuration config = context.getConfiguration();
        LoggerConfig captured = new LoggerConfig(LOGGER, Level.DEBUG, false);
        captured.addAppender(appender, Level.DEBUG, null);
        Appender console = config.getAppender("console");
        if (console != null) {
            captured.addAppender(console, Level.WARN, null);
        }
        config.addLogger(LOGGER, captured);
        context.updateLoggers();
    }

    String all() {
        return String.join("\n", lines);
    }

    @Override
    public void close() {
        context.getConfiguration().removeLogger(LOGGER);
        context.updateLoggers();
        appender.stop();
    }
}
