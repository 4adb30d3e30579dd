package io.pqbridge;

import io.pqbridge.errors.Diagnostic;
import io.pqbridge.pq.Loggers;
import io.pqbridge.pq.PgResult;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A connection's notice handlers (psycopg's {@code _notice_handlers}): the backend hands each
 * notice to {@link #dispatch}, which calls every handler with its {@link Diagnostic}, in the
 * order they were added.
 *
 * <p>A handler that throws is logged (psycopg's "error processing notice callback") and the
 * others still run: a notice must never break the command during which it arrived. The list is
 * copy-on-write because handlers are added rarely and notices may arrive on any thread that
 * holds the connection; a handler added or removed during a dispatch takes effect from the next
 * notice.
 */
final class NoticeHandlers {

    private final List<Consumer<Diagnostic>> handlers = new CopyOnWriteArrayList<>();

    void add(Consumer<Diagnostic> handler) {
        if (handler == null) {
            throw new NullPointerException("the notice handler is null");
        }
        handlers.add(handler);
    }

    void remove(Consumer<Diagnostic> handler) {
        if (!handlers.remove(handler)) {
            throw new IllegalArgumentException("this notice handler is not registered on the connection: " + handler
                    + "; add it with addNoticeHandler first");
        }
    }

    /** The backend's notice receiver: one notice, as a NONFATAL_ERROR result. */
    void dispatch(PgResult notice) {
        if (handlers.isEmpty()) {
            return;
        }
        Diagnostic diagnostic = Diagnostic.of(notice);
        for (Consumer<Diagnostic> handler : handlers) {
            try {
                handler.accept(diagnostic);
            } catch (RuntimeException | Error e) {
                if (e instanceof VirtualMachineError fatal) {
                    throw fatal;
                }
                Loggers.facade().log(System.Logger.Level.ERROR, "error processing notice callback '" + handler + "': "
                        + e, e);
            }
        }
    }
}
