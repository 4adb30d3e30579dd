package io.pqbridge.pool;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** What the pool logs while it is open (logger {@code io.pqbridge.pool}, through java.util.logging). */
final class LogCapture extends Handler implements AutoCloseable {

    record Entry(Level level, String message, Throwable thrown) {
    }

    private static final Logger LOGGER = Logger.getLogger("io.pqbridge.pool");
    private final List<Entry> entries = new CopyOnWriteArrayList<>();
    private final Level previous;

    LogCapture() {
        previous = LOGGER.getLevel();
        LOGGER.setLevel(Level.ALL);
        LOGGER.addHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
        String text = record.getMessage();
        if (record.getParameters() != null && record.getParameters().length > 0) {
            text = java.text.MessageFormat.format(text, record.getParameters());
        }
        entries.add(new Entry(record.getLevel(), text, record.getThrown()));
    }

    List<String> messages() {
        return entries.stream().map(Entry::message).toList();
    }

    boolean contains(String part) {
        return count(part) > 0;
    }

    long count(String part) {
        return entries.stream().filter(e -> e.message().contains(part)).count();
    }

    Entry find(String part) {
        return entries.stream().filter(e -> e.message().contains(part)).findFirst().orElseThrow();
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        LOGGER.removeHandler(this);
        LOGGER.setLevel(previous);
    }
}
