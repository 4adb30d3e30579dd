package io.pqbridge.cli;

import sun.misc.Signal;

/**
 * Ctrl-C (SIGINT) for one run of the tool: it stops the COPY in progress cleanly instead of letting
 * the JVM die in the middle of it.
 *
 * <p>The JVM's own SIGINT handling starts the shutdown at once, racing whatever the main thread
 * was doing; here the handler only records the request and runs the <em>interrupt action</em> the
 * running command set: wake the thread sending COPY data so that it aborts with CopyFail, or
 * {@code conn.cancel()} for a statement or a COPY TO STDOUT. The command's own thread then ends
 * the COPY by psycopg's rules and the tool exits with {@link ExitStatus#INTERRUPTED}. With no
 * action set (before a connection exists) the tool exits at once with that status, running the
 * shutdown hooks (an {@code --embedded} server is stopped by its own). A second Ctrl-C while the
 * first is being handled exits at once too: the server rolls back whatever the connection left
 * open, so even then nothing is half-loaded.
 *
 * <p>Thread-safe: the action is set by the command's thread and run by the signal's.
 */
final class Interruption {

    private volatile boolean requested;
    private volatile Runnable action;
    /** Set while the command must finish what it started: Ctrl-C then only runs the action (a notice). */
    private volatile boolean heldOff;

    /**
     * Routes SIGINT here. Only the real entry point does this; in-process callers (tests) leave
     * the JVM's signals alone and call {@link #request()} if they want to.
     */
    void installSigintHandler() {
        Signal.handle(new Signal("INT"), signal -> request());
    }

    /** What Ctrl-C does from now on; null restores "exit at once". */
    void onInterrupt(Runnable newAction) {
        action = newAction;
    }

    /**
     * From now on Ctrl-C neither stops nor exits, however often pressed: it only runs {@code notice}.
     * For a step that an exit would leave half done and the server could not undo (committing a
     * parallel load's prepared transactions). Not recorded as a request: the command ends as it ends.
     */
    void holdOff(Runnable notice) {
        action = notice;
        heldOff = true;
    }

    /** Ctrl-C: records it and runs the current action (see the class comment). */
    void request() {
        if (heldOff) {
            action.run();
            return;
        }
        boolean again = requested;
        requested = true;
        Runnable current = action;
        if (again || current == null) {
            System.exit(ExitStatus.INTERRUPTED.code);
        }
        current.run();
    }

    boolean requested() {
        return requested;
    }

    /** Throws the interrupt's exception when Ctrl-C was pressed (for loops between blocking steps). */
    void check() {
        if (requested) {
            throw ToolException.interrupted();
        }
    }
}
