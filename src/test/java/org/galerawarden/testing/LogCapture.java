package org.galerawarden.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;

/**
 * A java.util.logging handler that keeps the records of one logger category in memory, so a test can
 * assert what the agent logged. Attach it before the action and close it afterwards.
 */
public final class LogCapture extends Handler implements AutoCloseable {

    private final Logger logger;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    private LogCapture(Logger logger) {
        this.logger = logger;
        setLevel(Level.ALL);
    }

    /** Starts capturing the records of {@code category} and its child categories. */
    public static LogCapture attach(String category) {
        LogCapture capture = new LogCapture(Logger.getLogger(category));
        capture.logger.addHandler(capture);
        return capture;
    }

    /** Returns the formatted messages of the captured records at {@code level} or above. */
    public List<String> messages(Level level) {
        return records.stream().filter(record -> record.getLevel().intValue() >= level.intValue())
                .map(LogCapture::format).toList();
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }

    private static String format(LogRecord record) {
        // JBoss Logging's printf-style calls (warnf) keep the format and arguments apart until formatted.
        if (record instanceof ExtLogRecord extended) {
            return extended.getFormattedMessage();
        }
        return new java.util.logging.SimpleFormatter().formatMessage(record);
    }
}
