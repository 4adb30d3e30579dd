package io.pqbridge.pq.wire;

import io.pqbridge.pq.PgPipelineStatus;
import java.util.ArrayDeque;

/**
 * libpq's command queue ({@code cmd_queue_head}..{@code cmd_queue_tail}) and pipeline status: the
 * commands sent whose results are not all read yet, oldest first. Outside pipeline mode it holds
 * at most one command; in pipeline mode any number, with a {@link ProtocolCore.QueryClass#SYNC}
 * entry for each sync. The head decides how incoming messages build results (a ParseComplete
 * ends a PREPARE, a RowDescription is the answer of a DESCRIBE...) and which query an error
 * position points into.
 *
 * <p>Pure bookkeeping: the state transitions that go with advancing (pqPipelineProcessQueue) are
 * in {@link CommandCycle}.
 */
final class CommandQueue {

    /** One queued command: its class and its text (null when it has none, or for a prepared statement). */
    record Command(ProtocolCore.QueryClass queryClass, String query) {
    }

    private final ArrayDeque<Command> commands = new ArrayDeque<>();
    private PgPipelineStatus pipeline = PgPipelineStatus.OFF;

    boolean isEmpty() {
        return commands.isEmpty();
    }

    /** {@return the class of the oldest command, null when none} */
    ProtocolCore.QueryClass headClass() {
        Command head = commands.peekFirst();
        return head == null ? null : head.queryClass();
    }

    /** {@return whether the oldest command is of this class} */
    boolean headIs(ProtocolCore.QueryClass queryClass) {
        return headClass() == queryClass;
    }

    /** {@return the text of the oldest command, null when none or it has no text} */
    String headQuery() {
        Command head = commands.peekFirst();
        return head == null ? null : head.query();
    }

    /** {@code pqAppendCmdQueueEntry}'s list half; the text is cut at a NUL as libpq's strdup of a C string. */
    void append(ProtocolCore.QueryClass queryClass, String query) {
        int nul = query == null ? -1 : query.indexOf('\0');
        commands.addLast(new Command(queryClass, nul < 0 ? query : query.substring(0, nul)));
    }

    /**
     * libpq's {@code pqCommandQueueAdvance}: removes the oldest command once all its results are
     * in. A simple query stays until its ReadyForQuery (its string may hold several statements); a
     * sync stays until the server's answer to it (so that an error arriving out of turn cannot move
     * the queue past it).
     */
    void advance(boolean isReadyForQuery, boolean gotSync) {
        ProtocolCore.QueryClass head = headClass();
        if (head == null || head == ProtocolCore.QueryClass.SIMPLE && !isReadyForQuery
                || head == ProtocolCore.QueryClass.SYNC && !gotSync) {
            return;
        }
        commands.removeFirst();
    }

    /** The connection went away: nothing queued is coming back. */
    void clear() {
        commands.clear();
    }

    PgPipelineStatus pipeline() {
        return pipeline;
    }

    void setPipeline(PgPipelineStatus status) {
        pipeline = status;
    }

    boolean inPipeline() {
        return pipeline != PgPipelineStatus.OFF;
    }
}
