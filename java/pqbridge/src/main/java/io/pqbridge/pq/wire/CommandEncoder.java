package io.pqbridge.pq.wire;

import io.pqbridge.pq.wire.message.frontend.Bind;
import io.pqbridge.pq.wire.message.frontend.Close;
import io.pqbridge.pq.wire.message.frontend.Describe;
import io.pqbridge.pq.wire.message.frontend.Execute;
import io.pqbridge.pq.wire.message.frontend.OutputBuffer;
import io.pqbridge.pq.wire.message.frontend.Parse;
import io.pqbridge.pq.wire.message.frontend.Query;
import io.pqbridge.pq.wire.message.frontend.Sync;

/**
 * The protocol half of libpq's command-sending functions ({@code PQsendQuery},
 * {@code PQsendQueryParams}, {@code PQsendPrepare}, {@code PQsendQueryPrepared},
 * {@code PQsendDescribe*}, {@code PQsendClose*}): each checks its arguments in libpq's order and
 * with libpq's texts, then encodes its messages into the connection's output. Called after
 * {@link ProtocolCore#startCommand} allowed a command; a refusal appends the reason to the error
 * text and writes nothing. In pipeline mode no command writes a Sync of its own (the caller's
 * {@code PQpipelineSync} does), and the simple protocol is refused, as libpq refuses it. No I/O:
 * the caller sends what was written and then queues the command with
 * {@link CommandCycle#commandSent}.
 */
final class CommandEncoder {

    /** libpq's {@code PQ_QUERY_PARAM_MAX_LIMIT}: the protocol counts parameters in 16 bits. */
    static final int MAX_PARAMETERS = 65535;

    private final OutputBuffer out;
    private final ErrorText errors;
    private final CommandQueue queue;

    CommandEncoder(OutputBuffer out, ErrorText errors, CommandQueue queue) {
        this.out = out;
        this.errors = errors;
        this.queue = queue;
    }

    /** The Query message of {@code PQsendQuery}. */
    boolean simpleQuery(String sql) {
        if (!given(sql, "command string")) {
            return false;
        }
        if (queue.inPipeline()) {
            errors.append("PQsendQuery not allowed in pipeline mode\n");
            return false;
        }
        Query.encode(out, sql);
        return true;
    }

    /** Parse, Bind, Describe, Execute and Sync (outside pipeline mode) of {@code PQsendQueryParams}. */
    boolean extendedQuery(String sql, int[] paramTypes, byte[][] paramValues, int[] paramFormats, int resultFormat) {
        if (!given(sql, "command string") || !countAllowed(paramValues)) {
            return false;
        }
        Parse.encode(out, "", sql, count(paramValues), paramTypes);
        execute("", paramValues, paramFormats, resultFormat);
        return true;
    }

    /** Parse and Sync (outside pipeline mode) of {@code PQsendPrepare}. */
    boolean prepare(String stmtName, String sql, int[] paramTypes) {
        if (!given(stmtName, "statement name") || !given(sql, "command string")) {
            return false;
        }
        int count = paramTypes == null ? 0 : paramTypes.length;
        if (count > MAX_PARAMETERS) {
            refuseCount();
            return false;
        }
        Parse.encode(out, stmtName, sql, count, paramTypes);
        sync();
        return true;
    }

    /** Bind, Describe, Execute and Sync (outside pipeline mode) of {@code PQsendQueryPrepared}. */
    boolean queryPrepared(String stmtName, byte[][] paramValues, int[] paramFormats, int resultFormat) {
        if (!given(stmtName, "statement name") || !countAllowed(paramValues)) {
            return false;
        }
        execute(stmtName, paramValues, paramFormats, resultFormat);
        return true;
    }

    /** Describe and Sync (outside pipeline mode) of {@code PQsendDescribePrepared} ({@code 'S'}) or {@code PQsendDescribePortal} ({@code 'P'}); null names the unnamed one. */
    void describe(char kind, String name) {
        Describe.encode(out, kind, name == null ? "" : name);
        sync();
    }

    /** Close and Sync (outside pipeline mode) of libpq 17's {@code PQsendClosePrepared} / {@code PQsendClosePortal}; null names the unnamed one. */
    void close(char kind, String name) {
        Close.encode(out, kind, name == null ? "" : name);
        sync();
    }

    /** The unnamed portal bound to {@code statement}, described, run to the end, then Sync. */
    private void execute(String statement, byte[][] paramValues, int[] paramFormats, int resultFormat) {
        Bind.encode(out, "", statement, paramValues, paramFormats, resultFormat);
        Describe.encode(out, 'P', "");
        Execute.encode(out, "", 0);
        sync();
    }

    /** The Sync that ends each command outside pipeline mode. */
    private void sync() {
        if (!queue.inPipeline()) {
            Sync.encode(out);
        }
    }

    private boolean given(String argument, String what) {
        if (argument == null) {
            errors.append(what + " is a null pointer\n");
            return false;
        }
        return true;
    }

    private boolean countAllowed(byte[][] paramValues) {
        if (count(paramValues) > MAX_PARAMETERS) {
            refuseCount();
            return false;
        }
        return true;
    }

    private void refuseCount() {
        errors.append("number of parameters must be between 0 and " + MAX_PARAMETERS + "\n");
    }

    private static int count(byte[][] paramValues) {
        return paramValues == null ? 0 : paramValues.length;
    }
}
