package io.pqbridge.hostile;

import io.pqbridge.hostile.Script.Turn;
import io.pqbridge.testing.ServerSideRecording;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL server that only replays a {@link Script}, on 127.0.0.1 (a port of its own, never
 * any other address).
 *
 * <p>For each connection it reads the startup packet (int32 length first, no type byte), answers
 * an SSLRequest or GSSENCRequest with 'N' and reads again, and closes a CancelRequest at once.
 * Then for each turn it reads client messages (type byte and int32 length) until the client has
 * sent as many as the turn asks for, or {@link #WAIT_MILLIS} ms have passed (a client that waits
 * for more server bytes gets the next turn anyway: the server is hostile, not polite), and writes
 * the turn's bytes in the script's {@link Script.Delivery delivery}. After the last turn it closes
 * its side (FIN, so the client reads every byte before the end), reads whatever the client still
 * sends until the client closes, and closes.
 *
 * <p>Each session keeps its conversation ({@link Session#conversation}): every connection, every
 * client message as it came, every piece written, who closed; {@link ScriptRecording} makes it a
 * recording that replays to the client exactly the bytes this server gave it.
 *
 * <p>One session at a time: {@link #serve} sets the script the next connections get.
 */
final class ScriptedServer implements AutoCloseable {

    static final int WAIT_MILLIS = 60;
    static final int SSL_REQUEST = 80877103;
    static final int GSSENC_REQUEST = 80877104;
    static final int CANCEL_REQUEST = 80877102;
    private static final byte[] NO_ENCRYPTION = {'N'};

    /** The session being served: its script and when its main connection has ended the script. */
    static final class Session {
        final Script script;
        final ServerSideRecording conversation = new ServerSideRecording();
        final CountDownLatch scriptEnded = new CountDownLatch(1);
        volatile int connections;
        volatile int cancelRequests;

        Session(Script script) {
            this.script = script;
        }

        /** Waits until the server closed its side of the main connection (true) or the timeout passed. */
        boolean awaitScriptEnd(long millis) throws InterruptedException {
            return scriptEnded.await(millis, TimeUnit.MILLISECONDS);
        }
    }

    private final ServerSocket listener;
    private volatile Session current;

    ScriptedServer() {
        try {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::acceptLoop, "scripted-server-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /** The conninfo that reaches this server with the script's keywords, every call bounded. */
    String conninfo(Script script) {
        return conninfo(port(), script);
    }

    /**
     * The conninfo that reaches a server on 127.0.0.1 at {@code port} as the client of
     * {@code script}: sslmode=prefer when the script answers an SSLRequest, else disable.
     */
    static String conninfo(int port, Script script) {
        return "host=127.0.0.1 port=" + port + " " + script.conninfo() + " sslmode="
                + (script.sslAnswer() == null ? "disable" : "prefer") + " gssencmode=disable connect_timeout=2";
    }

    Session serve(Script script) {
        Session s = new Session(script);
        current = s;
        return s;
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                return;
            }
            Session session = current;
            if (session == null) {
                close(socket); // nothing to serve yet
                continue;
            }
            int number = session.conversation.opened();
            Thread t = new Thread(() -> handle(socket, session, number), "scripted-server-conn");
            t.setDaemon(true);
            t.start();
        }
    }

    private static void close(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing: nothing to do
        }
    }

    private void handle(Socket socket, Session session, int number) {
        ServerSideRecording conversation = session.conversation;
        boolean main = false;
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            socket.setSoTimeout(5000);
            int code;
            byte[] sslAnswer = session.script.sslAnswer();
            while (true) {
                byte[] startup = readStartup(in);
                if (startup == null) {
                    conversation.clientClosed(number);
                    return;
                }
                conversation.client(number, startup, 0, startup.length);
                code = startup.length >= 8 ? ByteBuffer.wrap(startup).getInt(4) : 0;
                if (code == SSL_REQUEST && sslAnswer != null) {
                    out.write(sslAnswer);
                    out.flush();
                    conversation.server(number, sslAnswer, 0, sslAnswer.length);
                    if (sslAnswer.length > 0 && sslAnswer[0] == 'N') {
                        continue;
                    }
                    // an error, a TLS handshake we cannot do, garbage: let the client speak, then close
                    new ClientCounter(in, conversation, number).drain(socket, 300);
                    return;
                }
                if (code == SSL_REQUEST || code == GSSENC_REQUEST) {
                    out.write(NO_ENCRYPTION);
                    out.flush();
                    conversation.server(number, NO_ENCRYPTION, 0, 1);
                    continue;
                }
                break;
            }
            if (code == CANCEL_REQUEST) {
                session.cancelRequests++;
                return;
            }
            main = session.connections++ == 0;
            ClientCounter counter = new ClientCounter(in, conversation, number);
            int expected = 0;
            Random delivery = new Random(session.script.deliverySeed());
            Pacer pacer = new Pacer(session.script.delivery(), delivery, conversation, number);
            for (Turn turn : session.script.turns()) {
                expected += turn.clientMessages();
                if (!counter.awaitCount(socket, expected, WAIT_MILLIS)) {
                    return; // the client closed: the session is over
                }
                if (turn.floodCount() > 0) {
                    pacer.write(out, java.util.Arrays.copyOf(turn.server(), turn.floodAt()));
                    flood(out, turn.flood(), turn.floodCount(), conversation, number);
                    pacer.write(out, java.util.Arrays.copyOfRange(turn.server(), turn.floodAt(), turn.server().length));
                } else {
                    pacer.write(out, turn.server());
                }
            }
            socket.shutdownOutput();
            conversation.serverClosed(number);
            if (main) {
                session.scriptEnded.countDown();
            }
            // read until the client closes (its Terminate, its probes), so our close sends no reset
            counter.drain(socket, 10_000);
        } catch (IOException e) {
            // the client went away
        } finally {
            conversation.serverClosed(number); // the socket closes here if it did not before
            if (main) {
                session.scriptEnded.countDown();
            }
        }
    }

    /** {@code message} {@code count} times, written in batches of about 64 KB (one array, logged by reference). */
    private static void flood(OutputStream out, byte[] message, int count, ServerSideRecording conversation,
            int number) throws IOException {
        if (message.length == 0) {
            return;
        }
        int perBatch = Math.max(1, 65536 / message.length);
        byte[] batch = new byte[perBatch * message.length];
        for (int i = 0; i < perBatch; i++) {
            System.arraycopy(message, 0, batch, i * message.length, message.length);
        }
        for (int left = count; left > 0; left -= perBatch) {
            int length = Math.min(left, perBatch) * message.length;
            out.write(batch, 0, length);
            conversation.server(number, batch, 0, length);
        }
        out.flush();
    }

    /** The startup packet (its int32 length included), or null at EOF. */
    private static byte[] readStartup(InputStream in) throws IOException {
        byte[] head = in.readNBytes(4);
        if (head.length < 4) {
            return null;
        }
        int len = ByteBuffer.wrap(head).getInt();
        if (len < 4 || len > 10_000) {
            return head;
        }
        byte[] rest = in.readNBytes(len - 4);
        ByteBuffer all = ByteBuffer.allocate(4 + rest.length);
        return all.put(head).put(rest).array();
    }

    /** Counts client messages (type byte + int32 length) as they arrive; the conversation frames and keeps them. */
    private static final class ClientCounter {
        private final InputStream in;
        private final ServerSideRecording conversation;
        private final int number;
        private final byte[] buffer = new byte[8192];
        int count = 1; // the startup packet

        ClientCounter(InputStream in, ServerSideRecording conversation, int number) {
            this.in = in;
            this.conversation = conversation;
            this.number = number;
        }

        /** Reads until {@code expected} messages came (true), the wait ran out (true) or EOF (false). */
        boolean awaitCount(Socket socket, int expected, int waitMillis) throws IOException {
            long deadline = System.nanoTime() + waitMillis * 1_000_000L;
            while (count < expected) {
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    return true;
                }
                socket.setSoTimeout((int) left);
                int n;
                try {
                    n = in.read(buffer);
                } catch (SocketTimeoutException e) {
                    return true;
                }
                if (n < 0) {
                    conversation.clientClosed(number);
                    return false;
                }
                count += conversation.client(number, buffer, 0, n);
            }
            return true;
        }

        void drain(Socket socket, int millis) throws IOException {
            socket.setSoTimeout(millis);
            try {
                for (int n; (n = in.read(buffer)) >= 0;) {
                    conversation.client(number, buffer, 0, n);
                }
                conversation.clientClosed(number);
            } catch (SocketTimeoutException e) {
                // a client that neither sends nor closes: give up
            }
        }
    }

    /**
     * Writes bytes whole, byte by byte, in random chunks, or in chunks with pauses; each write goes
     * into the conversation as a piece of its own (the socket's stream is unbuffered: one write, one send).
     */
    private static final class Pacer {
        private final Script.Delivery mode;
        private final Random random;
        private final ServerSideRecording conversation;
        private final int number;
        private int stalledMillis;

        Pacer(Script.Delivery mode, Random random, ServerSideRecording conversation, int number) {
            this.mode = mode;
            this.random = random;
            this.conversation = conversation;
            this.number = number;
        }

        void write(OutputStream out, byte[] bytes) throws IOException {
            switch (mode) {
                case WHOLE -> piece(out, bytes, 0, bytes.length);
                case BYTES -> {
                    for (int pos = 0; pos < bytes.length; pos++) {
                        piece(out, bytes, pos, 1);
                    }
                }
                case CHUNKS, STALLS -> {
                    int pos = 0;
                    while (pos < bytes.length) {
                        int len = Math.min(bytes.length - pos, 1 + random.nextInt(64));
                        piece(out, bytes, pos, len);
                        pos += len;
                        if (mode == Script.Delivery.STALLS && stalledMillis < 200 && random.nextInt(8) == 0) {
                            int pause = 1 + random.nextInt(40);
                            stalledMillis += pause;
                            out.flush();
                            sleep(pause);
                        }
                    }
                }
                default -> throw new IllegalStateException(mode.toString());
            }
            out.flush();
        }

        private void piece(OutputStream out, byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
            conversation.server(number, bytes, offset, length);
        }

        private static void sleep(int millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
