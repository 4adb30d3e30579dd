package io.pqbridge.pq.wire;

import io.pqbridge.pq.PgNotify;
import io.pqbridge.pq.PgResult;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Drives a {@link ProtocolCore} the way the I/O driver does, with no socket: the server's bytes
 * come from a canned stream, handed over in pieces of given sizes whenever the core says it
 * needs to read; what the core asks to send is taken at once. Everything observable (results,
 * COPY data, notices, notifications, statuses, the bytes sent) goes into a transcript, so that
 * two runs with different chunk sizes can be compared line by line.
 */
final class CoreSession {

    private final ProtocolCore core = new ProtocolCore();
    private final byte[] stream;
    private final int[] feeds;
    private int feedCount;
    private int position;
    final List<String> transcript = new ArrayList<>();

    /** {@code feeds}: the sizes of successive hand-overs; the last one repeats. */
    CoreSession(byte[] stream, int... feeds) {
        this.stream = stream;
        this.feeds = feeds;
        core.reset();
        core.setOk(true);
    }

    ProtocolCore core() {
        return core;
    }

    /** Hands the core its next chunk; false when the canned stream is used up. */
    private boolean feed() {
        if (position == stream.length) {
            return false;
        }
        InputBuffer input = core.input();
        if (!input.prepareForRead()) {
            throw new AssertionError("input buffer cannot grow");
        }
        int chunk = feeds[Math.min(feedCount++, feeds.length - 1)];
        int n = Math.min(chunk, Math.min(stream.length - position, input.room()));
        System.arraycopy(stream, position, input.bytes(), input.end(), n);
        input.received(n);
        position += n;
        return true;
    }

    /** What the core wants sent, taken as a socket would take it. */
    private void drainOutput() {
        int size = core.out().size();
        if (size > 0) {
            note("sent " + HexFormat.of().formatHex(core.out().array(), 0, size));
            core.out().consume(size);
        }
    }

    void query(String sql) {
        if (!core.startCommand(true)) {
            note("refused: " + core.errors());
            return;
        }
        core.encodeSimpleQuery(sql);
        drainOutput();
        core.commandSent(ProtocolCore.QueryClass.SIMPLE, sql);
    }

    void queryParams(String sql, String... params) {
        byte[][] values = new byte[params.length][];
        for (int i = 0; i < params.length; i++) {
            values[i] = params[i] == null ? null : params[i].getBytes(StandardCharsets.UTF_8);
        }
        if (!core.startCommand(true) || !core.encodeExtendedQuery(sql, null, values, null, 0)) {
            note("refused: " + core.errors());
            return;
        }
        drainOutput();
        core.commandSent(ProtocolCore.QueryClass.EXTENDED, sql);
    }

    /** PQgetResult, fed until the core has one; records it (or "null"). */
    PgResult result() {
        while (core.need() == ProtocolCore.Need.READ) {
            if (!feed()) {
                note("stream ended while the core waits to read");
                return core.abandonCommand();
            }
        }
        drainOutput();
        events();
        PgResult result = core.takeResult();
        note(describe(result));
        return result;
    }

    /** Takes results until the core has none left (null), as a caller of PQgetResult does. */
    void allResults() {
        for (int i = 0; i < 100; i++) {
            if (result() == null) {
                return;
            }
        }
        throw new AssertionError("more than 100 results");
    }

    /** PQgetCopyData until the COPY OUT ends. */
    void copyOut() {
        for (;;) {
            int length = core.nextCopyData();
            events();
            if (length == 0) {
                if (!feed()) {
                    note("stream ended during COPY OUT");
                    return;
                }
                continue;
            }
            if (length < 0) {
                note("copy out end " + length);
                return;
            }
            ByteBuffer dst = ByteBuffer.allocate(length);
            core.copyPayload(dst, length);
            core.consumeCopyData(length);
            note("copy data " + new String(dst.array(), StandardCharsets.UTF_8));
        }
    }

    void copyIn(String data, String failure) {
        if (!core.startCopyData()) {
            note("copy data refused: " + core.errors());
            return;
        }
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0) {
            core.encodeCopyData(bytes, 0, bytes.length, null);
        }
        if (!core.encodeCopyEnd(failure)) {
            note("copy end refused: " + core.errors());
            return;
        }
        drainOutput();
        core.copyInEnded();
    }

    /** Hands over the rest of the stream while idle (the socket turned readable), parsing after each piece. */
    void readWhileIdle() {
        while (feed()) {
            core.parseInput();
        }
    }

    /** Notices and notifications queued so far, in order. */
    void events() {
        PgResult notice;
        while ((notice = core.pollNotice()) != null) {
            note("notice " + notice.errorMessage().strip());
        }
        PgNotify notify;
        while ((notify = core.pollNotification()) != null) {
            note("notify " + notify);
        }
    }

    void state() {
        note("ok=" + core.ok() + " async=" + core.async() + " xact=" + core.transactionStatus() + " sqlstate="
                + core.lastSqlstate() + " drop=" + core.takeDropRequest());
    }

    void note(String line) {
        transcript.add(line);
    }

    static String describe(PgResult r) {
        if (r == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(r.status().toString());
        if (r.cmdStatus() != null && !r.cmdStatus().isEmpty()) {
            b.append(" tag=").append(r.cmdStatus());
        }
        if (r.nfields() > 0) {
            b.append(" fields=").append(r.nfields());
            for (int row = 0; row < r.ntuples(); row++) {
                b.append(" [");
                for (int c = 0; c < r.nfields(); c++) {
                    b.append(c > 0 ? "," : "").append(r.value(row, c) == null ? "NULL" : r.text(row, c));
                }
                b.append(']');
            }
        }
        String error = r.errorMessage();
        if (error != null && !error.isEmpty()) {
            b.append(" error=").append(error.strip().replace('\n', '|'));
        }
        return b.toString();
    }
}
