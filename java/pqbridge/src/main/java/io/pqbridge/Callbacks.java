package io.pqbridge;

import io.pqbridge.pq.Loggers;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A connection's handlers of one kind (psycopg's {@code _notice_handlers},
 * {@code _notify_handlers}): each event goes to every handler, in the order they were added.
 *
 * <p>A handler that throws is logged (psycopg's "error processing ... callback") and the others
 * still run: an event must never break the command during which it arrived. The list is
 * copy-on-write because handlers are added rarely and events may arrive on any thread that holds
 * the connection; a handler added or removed during a dispatch takes effect from the next event.
 *
 * @param <T> what the handlers receive
 */
final class Callbacks<T> {

    private final String kind;
    private final String adder;
    private final List<Consumer<T>> handlers = new CopyOnWriteArrayList<>();

    /**
     * @param kind the handlers' name in messages, e.g. {@code "notice"}
     * @param adder the method that adds one, named in the error for removing an unknown one
     */
    Callbacks(String kind, String adder) {
        this.kind = kind;
        this.adder = adder;
    }

    void add(Consumer<T> handler) {
        if (handler == null) {
            throw new NullPointerException("the " + kind + " handler is null");
        }
        handlers.add(handler);
    }

    void remove(Consumer<T> handler) {
        if (!handlers.remove(handler)) {
            throw new IllegalArgumentException("this " + kind + " handler is not registered on the connection: "
                    + handler + "; add it with " + adder + " first");
        }
    }

    boolean isEmpty() {
        return handlers.isEmpty();
    }

    /** Gives {@code event} to every handler; a handler's failure is logged. */
    void dispatch(T event) {
        for (Consumer<T> handler : handlers) {
            try {
                handler.accept(event);
            } catch (RuntimeException | Error e) {
                if (e instanceof VirtualMachineError fatal) {
                    throw fatal;
                }
                Loggers.facade().log(System.Logger.Level.ERROR, "error processing " + kind + " callback '" + handler
                        + "': " + e, e);
            }
        }
    }
}
