package io.pqbridge.pq.wire;

import io.pqbridge.pq.PgNotify;
import io.pqbridge.pq.PgResult;
import io.pqbridge.pq.wire.auth.ChannelBinding;
import io.pqbridge.pq.wire.auth.TlsEndPoint;
import io.pqbridge.pq.wire.startup.Login;
import io.pqbridge.pq.wire.startup.StartupExchange;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Drives a {@link ProtocolCore} the way the I/O driver does, with no socket: the server's bytes
 * come from a {@link Peer}, handed over whenever the core says it needs to read; what the core
 * asks to send is given to the peer at once. Everything observable (results, COPY data, notices,
 * notifications, statuses, the bytes sent) goes into a transcript, so that two runs with
 * different deliveries can be compared line by line. When the peer closes, the session does what
 * the driver does at the end of the stream: libpq's text, and the connection is bad.
 *
 * <p>Public for the in-process hostile-server fuzzer of the behaviour suite, which replays
 * mutated recordings through it.
 */
public final class CoreSession {

    /** The server's side of the conversation. */
    public interface Peer {
        /** The client sent {@code length} bytes of {@code bytes} from {@code offset}: whole messages. */
        void sent(byte[] bytes, int offset, int length);

        /**
         * Writes at most {@code max} (&gt; 0) of the bytes the server has sent and the client not yet
         * received into {@code into} at {@code offset}.
         *
         * @return the count; 0 when nothing more will come without the client doing something
         *     (the session then stops waiting); -1 when the server closed the connection
         */
        int receive(byte[] into, int offset, int max);
    }

    private final ProtocolCore core = new ProtocolCore();
    private final Peer peer;
    private final boolean recordSent;
    private long received;
    private int feeds;
    private int omitted;
    private static final int MAX_LINES = 2000;
    public final List<String> transcript = new ArrayList<>();

    /** A session over a canned stream handed over in pieces of {@code feeds} bytes (the last size repeats). */
    CoreSession(byte[] stream, int... feeds) {
        this(canned(stream, feeds), true);
    }

    /** {@code recordSent}: whether the bytes sent go into the transcript (in hex). */
    public CoreSession(Peer peer, boolean recordSent) {
        this.peer = peer;
        this.recordSent = recordSent;
        core.reset();
        core.setOk(true);
    }

    private static Peer canned(byte[] stream, int... sizes) {
        return new Peer() {
            private int position;
            private int count;

            @Override
            public void sent(byte[] bytes, int offset, int length) {
            }

            @Override
            public int receive(byte[] into, int offset, int max) {
                if (position == stream.length) {
                    return 0;
                }
                int n = Math.min(sizes[Math.min(count++, sizes.length - 1)], Math.min(stream.length - position, max));
                System.arraycopy(stream, position, into, offset, n);
                position += n;
                return n;
            }
        };
    }

    ProtocolCore core() {
        return core;
    }

    /** Hands the core the peer's next piece; false when there is none (after a close the connection is bad). */
    private boolean feed() {
        if (!core.ok()) {
            return false;
        }
        InputBuffer input = core.input();
        if (!input.prepareForRead()) {
            throw new AssertionError("the input buffer cannot grow (" + input.bytes().length + " bytes)");
        }
        feeds++;
        int n = peer.receive(input.bytes(), input.end(), input.room());
        if (n == 0) {
            return false;
        }
        if (n < 0) {
            core.errors().append(SocketIo.CLOSED);
            core.setOk(false);
            core.dropped(false);
            return false;
        }
        input.received(n);
        received += n;
        return true;
    }

    /** How many pieces were handed over. */
    public int feeds() {
        return feeds;
    }

    /** Bytes received from the peer. */
    public long received() {
        return received;
    }

    /** The input buffer's size: it grows only with the bytes that arrive. */
    public int inputCapacity() {
        return core.input().bytes().length;
    }

    public boolean ok() {
        return core.ok();
    }

    public String errors() {
        return core.errors().toString();
    }

    /**
     * The start-up exchange with the given conninfo keywords ({@code user}, {@code dbname},
     * {@code password}; plain connection, channel_binding prefer), then the session's messages up
     * to ReadyForQuery, as the connector runs them. True when the connection is ready.
     */
    public boolean connect(Map<String, String> keywords) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("user", keywords.getOrDefault("user", "postgres"));
        parameters.put("database", keywords.getOrDefault("dbname", parameters.get("user")));
        StartupExchange exchange = new StartupExchange(parameters, new Login(parameters.get("user"),
                keywords.get("password"), null, ChannelBinding.PREFER), TlsEndPoint.NO_TLS, () -> false);
        send(exchange.startupPacket());
        InputBuffer input = core.input();
        for (;;) {
            StartupExchange.Step step = exchange.receive(input.bytes(), input.start(), input.end());
            input.consumeTo(input.start() + step.consumed());
            if (step instanceof StartupExchange.NeedInput) {
                if (!feed()) {
                    note("startup: no more input: " + errors().strip());
                    return false;
                }
            } else if (step instanceof StartupExchange.Send message) {
                send(message.message());
            } else if (step instanceof StartupExchange.ServerError error) {
                core.startupError(error.fields());
                note("startup: server error " + errors().strip());
                return false;
            } else if (step instanceof StartupExchange.Failed failure) {
                note("startup: failed: " + failure.reason());
                return false;
            } else if (step instanceof StartupExchange.Authenticated) {
                break;
            }
        }
        core.setAsync(AsyncStatus.BUSY);
        PgResult first = result();
        allResults();
        return first == null || first.status() != io.pqbridge.pq.PgExecStatus.FATAL_ERROR;
    }

    private void send(byte[] message) {
        core.out().bytes(message, 0, message.length);
        drainOutput();
    }

    /** What the core wants sent, taken as a socket would take it. */
    private void drainOutput() {
        int size = core.out().size();
        if (size > 0) {
            if (recordSent) {
                note("sent " + HexFormat.of().formatHex(core.out().array(), 0, size));
            }
            peer.sent(core.out().array(), 0, size);
            core.out().consume(size);
        }
    }

    public void query(String sql) {
        command(ProtocolCore.QueryClass.SIMPLE, sql, c -> c.simpleQuery(sql));
    }

    public void queryParams(String sql, String... params) {
        byte[][] values = values(params);
        command(ProtocolCore.QueryClass.EXTENDED, sql, c -> c.extendedQuery(sql, null, values, null, 0));
    }

    /** PQsetSingleRowMode, its answer noted. */
    public void singleRowMode() {
        note("single-row mode " + core.setSingleRowMode());
    }

    /** PQsetChunkedRowsMode. */
    public void chunkedRowsMode(int size) {
        note("chunked-rows mode " + core.setChunkedRowsMode(size));
    }

    /** PQsendPrepare. */
    public void prepare(String name, String sql, int... types) {
        command(ProtocolCore.QueryClass.PREPARE, sql, c -> c.prepare(name, sql, types));
    }

    /** PQsendQueryPrepared. */
    public void queryPrepared(String name, String... params) {
        byte[][] values = values(params);
        command(ProtocolCore.QueryClass.EXTENDED, null, c -> c.queryPrepared(name, values, null, 0));
    }

    /** PQsendDescribePrepared ('S') or PQsendDescribePortal ('P'). */
    public void describe(char kind, String name) {
        command(ProtocolCore.QueryClass.DESCRIBE, null, c -> {
            c.describe(kind, name);
            return true;
        });
    }

    /** PQsendClosePrepared ('S') or PQsendClosePortal ('P'). */
    public void close(char kind, String name) {
        command(ProtocolCore.QueryClass.CLOSE, null, c -> {
            c.close(kind, name);
            return true;
        });
    }

    private void command(ProtocolCore.QueryClass queryClass, String query,
            java.util.function.Predicate<CommandEncoder> encode) {
        if (!core.startCommand(true) || !encode.test(core.commands())) {
            note("refused: " + core.errors());
            return;
        }
        drainOutput();
        core.cycle().commandSent(queryClass, query);
    }

    private static byte[][] values(String... params) {
        byte[][] values = new byte[params.length][];
        for (int i = 0; i < params.length; i++) {
            values[i] = params[i] == null ? null : params[i].getBytes(StandardCharsets.UTF_8);
        }
        return values;
    }

    /** PQgetResult, fed until the core has one; records it (or "null"). */
    public PgResult result() {
        while (core.need() == ProtocolCore.Need.READ && feed()) {
            // the core parses each piece as need() asks
        }
        drainOutput();
        events();
        PgResult result;
        if (core.async() == AsyncStatus.BUSY) {
            // where the driver's wait fails (no socket any more, or nothing will come): the command ends in error
            note(core.ok() ? "stream ended while the core waits to read" : "no connection while the core waits to read");
            result = core.cycle().abandonCommand();
        } else {
            result = core.cycle().takeResult();
        }
        note(describe(result));
        return result;
    }

    /**
     * Takes results until the core has none left (null), as a caller of PQgetResult does, or
     * until a COPY starts (that result repeats until the COPY is run, which the caller decides).
     */
    public void allResults() {
        for (int i = 0; i < 100; i++) {
            PgResult r = result();
            if (r == null || r.status().isCopy()) {
                return;
            }
        }
        throw new AssertionError("more than 100 results for one command");
    }

    /** PQgetCopyData until the COPY OUT ends. */
    public void copyOut() {
        for (;;) {
            int length = core.copy().nextCopyData();
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
            core.copy().copyPayload(dst, length);
            core.copy().consumeCopyData(length);
            note("copy data " + new String(dst.array(), StandardCharsets.UTF_8));
        }
    }

    public void copyIn(String data, String failure) {
        if (!core.copy().startCopyData()) {
            note("copy data refused: " + core.errors());
            return;
        }
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0) {
            core.copy().encodeCopyData(bytes, 0, bytes.length, null);
        }
        if (!core.copy().encodeCopyEnd(failure)) {
            note("copy end refused: " + core.errors());
            return;
        }
        drainOutput();
        core.copy().copyInEnded();
    }

    /** Hands over the rest of the stream while idle (the socket turned readable), parsing after each piece. */
    public void readWhileIdle() {
        while (feed()) {
            core.parseInput();
        }
    }

    /** Notices and notifications queued so far, in order. */
    public void events() {
        PgResult notice;
        while ((notice = core.pollNotice()) != null) {
            note("notice " + notice.errorMessage().strip());
        }
        PgNotify notify;
        while ((notify = core.pollNotification()) != null) {
            note("notify " + notify);
        }
    }

    public void state() {
        note("ok=" + core.ok() + " async=" + core.async() + " xact=" + core.transactionStatus() + " sqlstate="
                + core.lastSqlstate() + " drop=" + core.takeDropRequest());
    }

    /** Adds a transcript line; past {@value #MAX_LINES} lines only the count of the rest is kept (a flood). */
    public void note(String line) {
        if (transcript.size() < MAX_LINES) {
            transcript.add(line);
        } else {
            omitted++;
        }
    }

    /** Transcript lines left out after the first {@value #MAX_LINES}. */
    public int omitted() {
        return omitted;
    }

    static String describe(PgResult r) {
        if (r == null) {
            return "null";
        }
        StringBuilder b = new StringBuilder(r.status().toString());
        if (r.cmdStatus() != null && !r.cmdStatus().isEmpty()) {
            b.append(" tag=").append(r.cmdStatus());
        }
        if (r.nparams() > 0) {
            b.append(" params=");
            for (int p = 0; p < r.nparams(); p++) {
                b.append(p > 0 ? "," : "").append(r.paramtype(p));
            }
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
