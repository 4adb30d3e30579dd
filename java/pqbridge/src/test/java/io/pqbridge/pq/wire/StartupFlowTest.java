package io.pqbridge.pq.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pqbridge.pq.PgConn;
import io.pqbridge.pq.PgConnStatus;
import io.pqbridge.pq.wire.message.frontend.OutputBuffer;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The connection flow against a scripted server speaking exactly the bytes each case needs: what
 * the client sends (startup packet contents and order, Terminate on finish) and how it handles
 * answers a real server rarely gives (cannot-connect-now, protocol violations, silence).
 */
class StartupFlowTest {

    /** One accepted connection: read what the client sends, write scripted answers. */
    private static final class Peer {
        final DataInputStream in;
        final OutputStream out;

        Peer(Socket socket) throws IOException {
            this.in = new DataInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        /** The startup packet's name/value pairs, in order. */
        List<String> startupPairs() throws IOException {
            int length = in.readInt();
            assertEquals(196608, in.readInt(), "protocol 3.0");
            byte[] body = new byte[length - 8];
            in.readFully(body);
            List<String> pairs = new ArrayList<>();
            int start = 0;
            for (int i = 0; i < body.length; i++) {
                if (body[i] == 0) {
                    if (i > start) {
                        pairs.add(new String(body, start, i - start, StandardCharsets.UTF_8));
                    }
                    start = i + 1;
                }
            }
            return pairs;
        }

        void send(OutputBuffer message) throws IOException {
            out.write(message.array(), 0, message.size());
            out.flush();
        }

        /** Reads one typed message; returns its type, or -1 at end of stream. */
        int readType() throws IOException {
            int type = in.read();
            if (type < 0) {
                return -1;
            }
            int length = in.readInt();
            in.skipNBytes(length - 4);
            return type;
        }
    }

    private static OutputBuffer message(char type, OutputBuffer body) {
        OutputBuffer m = new OutputBuffer(64);
        int at = m.begin((byte) type);
        m.bytes(body.array(), 0, body.size());
        m.end(at);
        return m;
    }

    private static OutputBuffer body() {
        return new OutputBuffer(64);
    }

    /** AuthenticationOk, two parameters, BackendKeyData, ReadyForQuery: a trusted login. */
    private static void acceptLogin(Peer peer) throws IOException {
        OutputBuffer all = new OutputBuffer(256);
        for (OutputBuffer m : List.of(message('R', body().int32(0)),
                message('S', body().cstring("server_version").cstring("15.18")),
                message('S', body().cstring("server_encoding").cstring("UTF8")),
                message('K', body().int32(4242).int32(99)),
                message('Z', body().int8('I')))) {
            all.bytes(m.array(), 0, m.size());
        }
        peer.send(all);
    }

    private static OutputBuffer error(String severity, String sqlstate, String text) {
        return message('E', body().int8('S').cstring(severity).int8('V').cstring(severity).int8('C').cstring(sqlstate)
                .int8('M').cstring(text).int8(0));
    }

    private interface Script {
        void run(Peer peer) throws Exception;
    }

    /** Serves {@code scripts} to successive connections on one port. */
    private static final class ScriptedServer implements AutoCloseable {
        final ServerSocket socket;
        final CompletableFuture<Void> done;

        ScriptedServer(Script... scripts) throws IOException {
            socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            done = CompletableFuture.runAsync(() -> {
                try {
                    for (Script script : scripts) {
                        try (Socket s = socket.accept()) {
                            script.run(new Peer(s));
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            socket.close();
        }
    }

    private static PgConn connect(String conninfo) {
        return new WireBackend().connect(conninfo);
    }

    @Test
    void theStartupPacketCarriesNonEmptyValuesInLibpqsOrderAndFinishSendsTerminate() throws Exception {
        List<String> seen = new ArrayList<>();
        int[] afterFinish = new int[2];
        try (ScriptedServer server = new ScriptedServer(peer -> {
            seen.addAll(peer.startupPairs());
            acceptLogin(peer);
            afterFinish[0] = peer.readType();
            afterFinish[1] = peer.readType();
        })) {
            PgConn conn = connect("host=127.0.0.1 port=" + server.port() + " sslmode=disable user=u dbname=d "
                    + "options='-c x=1' fallback_application_name=fb client_encoding=UTF8 replication=''");
            assertEquals(PgConnStatus.OK, conn.status(), conn.errorMessage());
            assertEquals(4242, conn.backendPid());
            assertEquals(150018, conn.serverVersion());
            conn.finish();
            server.done.get(5, TimeUnit.SECONDS);
        }
        assertEquals(List.of("user", "u", "database", "d", "options", "-c x=1", "application_name", "fb",
                "client_encoding", "UTF8"), seen);
        assertEquals('X', afterFinish[0], "Terminate");
        assertEquals(-1, afterFinish[1], "then the client closes");
    }

    @Test
    void aServerThatWritesOneByteAtATimeGetsTheSameConversation() throws Exception {
        // the connection reads whatever has arrived and asks the startup exchange what it still
        // needs: a password request, AuthenticationOk and the session's messages (with notices
        // among them) split into single bytes must log in as if each came whole
        String[] password = new String[1];
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.startupPairs();
            sendByteByByte(peer, message('R', body().int32(3)));
            assertEquals('p', peer.in.read());
            byte[] answer = new byte[peer.in.readInt() - 4];
            peer.in.readFully(answer);
            password[0] = new String(answer, 0, answer.length - 1, StandardCharsets.UTF_8);
            OutputBuffer notice = message('N', body().int8('S').cstring("NOTICE").int8('V').cstring("NOTICE")
                    .int8('C').cstring("00000").int8('M').cstring("welcome").int8(0));
            OutputBuffer all = new OutputBuffer(256);
            for (OutputBuffer m : List.of(message('R', body().int32(0)), notice,
                    message('S', body().cstring("server_version").cstring("15.18")), notice,
                    message('K', body().int32(4242).int32(99)), message('Z', body().int8('I')))) {
                all.bytes(m.array(), 0, m.size());
            }
            sendByteByByte(peer, all);
            peer.readType();
        })) {
            try (PgConn conn = connect("host=127.0.0.1 port=" + server.port() + " sslmode=disable user=u password=pw")) {
                assertEquals(PgConnStatus.OK, conn.status(), conn.errorMessage());
                assertEquals("15.18", conn.parameterStatus("server_version"));
                assertEquals(4242, conn.backendPid());
            }
            server.done.get(5, TimeUnit.SECONDS);
        }
        assertEquals("pw", password[0]);
    }

    private static void sendByteByByte(Peer peer, OutputBuffer message) throws IOException {
        for (int i = 0; i < message.size(); i++) {
            peer.out.write(message.array()[i]);
            peer.out.flush();
        }
    }

    @Test
    void cannotConnectNowMovesToTheNextHostAndOtherFatalErrorsEndEverything() throws Exception {
        try (ScriptedServer first = new ScriptedServer(peer -> {
            peer.startupPairs();
            peer.send(error("FATAL", "57P03", "the database system is starting up"));
        }); ScriptedServer second = new ScriptedServer(peer -> {
            peer.startupPairs();
            acceptLogin(peer);
            peer.readType();
        })) {
            try (PgConn conn = connect("host=127.0.0.1,127.0.0.1 port=" + first.port() + "," + second.port()
                    + " sslmode=disable user=u")) {
                assertEquals(PgConnStatus.OK, conn.status(), conn.errorMessage());
                assertEquals("", conn.errorMessage(), "success clears the first host's failure");
            }
        }
        try (ScriptedServer first = new ScriptedServer(peer -> {
            peer.startupPairs();
            peer.send(error("FATAL", "28000", "no way"));
        }); ScriptedServer second = new ScriptedServer()) {
            try (PgConn conn = connect("host=127.0.0.1,127.0.0.1 port=" + first.port() + "," + second.port()
                    + " sslmode=disable user=u")) {
                assertEquals(PgConnStatus.BAD, conn.status());
                assertEquals("connection to server at \"127.0.0.1\", port " + first.port() + " failed: FATAL:  no way\n",
                        conn.errorMessage());
            }
        }
    }

    @Test
    void protocolViolationsDuringStartupGetLibpqsTexts() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.startupPairs();
            peer.send(message('Z', body().int8('I')));
        })) {
            try (PgConn conn = connect("host=127.0.0.1 port=" + server.port() + " sslmode=disable user=u")) {
                assertEquals("connection to server at \"127.0.0.1\", port " + server.port()
                        + " failed: expected authentication request from server, but received Z\n", conn.errorMessage());
            }
        }
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.startupPairs();
            peer.send(message('R', body().int32(7)));
        })) {
            try (PgConn conn = connect("host=127.0.0.1 port=" + server.port() + " sslmode=disable user=u")) {
                assertEquals("connection to server at \"127.0.0.1\", port " + server.port()
                        + " failed: GSSAPI authentication not supported\n", conn.errorMessage());
            }
        }
        try (ScriptedServer server = new ScriptedServer(peer -> {
            ByteArrayOutputStream ignored = new ByteArrayOutputStream();
            ignored.write(peer.in.readNBytes(8));
            peer.out.write('x');
            peer.out.flush();
        })) {
            try (PgConn conn = connect("host=127.0.0.1 port=" + server.port() + " sslmode=prefer user=u")) {
                assertEquals("connection to server at \"127.0.0.1\", port " + server.port()
                        + " failed: received invalid response to SSL negotiation: x\n", conn.errorMessage());
            }
        }
    }

    @Test
    void connectTimeoutAppliesPerAddressAndOneSecondMeansTwo() throws Exception {
        try (ScriptedServer silent = new ScriptedServer(peer -> peer.readType())) {
            long start = System.nanoTime();
            try (PgConn conn = connect("host=127.0.0.1 port=" + silent.port() + " sslmode=disable user=u connect_timeout=1")) {
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertEquals("connection to server at \"127.0.0.1\", port " + silent.port() + " failed: timeout expired\n",
                        conn.errorMessage());
                assertTrue(millis >= 1900 && millis < 4000, "waited " + millis + " ms");
            }
        }
    }
}
