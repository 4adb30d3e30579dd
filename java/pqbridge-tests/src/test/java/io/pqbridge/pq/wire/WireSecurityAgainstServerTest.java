package io.pqbridge.pq.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pqbridge.pq.wire.auth.AuthenticationException;
import io.pqbridge.pq.wire.auth.ChannelBinding;
import io.pqbridge.pq.wire.auth.Md5Password;
import io.pqbridge.pq.wire.auth.ScramClient;
import io.pqbridge.pq.wire.tls.BlockingTls;
import io.pqbridge.pq.wire.tls.TlsException;
import io.pqbridge.pq.wire.tls.TlsOptions;
import io.pqbridge.pq.wire.tls.TlsSession;
import io.pqbridge.test.SecuredTestServer;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The auth and TLS libraries against the real server, before any protocol flow of the java
 * backend exists: a bare-bones startup written here (test fixture, not product code) drives
 * them. Above all this proves what only a real server can: that the tls-server-end-point data
 * SCRAM-SHA-256-PLUS binds to is what PostgreSQL computes, and that the client verifies the
 * server's real signatures.
 */
class WireSecurityAgainstServerTest {

    @Test
    void scramPlusOverTlsIsAcceptedByTheServer() throws Exception {
        assertEquals("authenticated with SCRAM-SHA-256-PLUS, channel bound",
                startup(SecuredTestServer.SCRAM_USER, SecuredTestServer.PASSWORD, Map.of("sslmode", "require"),
                        ChannelBinding.REQUIRE));
    }

    @Test
    void scramWithoutTlsAndWithBindingDisabled() throws Exception {
        assertEquals("authenticated with SCRAM-SHA-256",
                startup(SecuredTestServer.SCRAM_USER, SecuredTestServer.PASSWORD, null, ChannelBinding.PREFER));
        assertEquals("authenticated with SCRAM-SHA-256",
                startup(SecuredTestServer.SCRAM_USER, SecuredTestServer.PASSWORD, Map.of("sslmode", "require"),
                        ChannelBinding.DISABLE));
    }

    @Test
    void saslPrepMakesBothSpellingsOfAUnicodePasswordWork() throws Exception {
        assertEquals("authenticated with SCRAM-SHA-256", startup(SecuredTestServer.SCRAM_UNICODE_USER,
                SecuredTestServer.UNICODE_PASSWORD, null, ChannelBinding.PREFER));
        assertEquals("authenticated with SCRAM-SHA-256", startup(SecuredTestServer.SCRAM_UNICODE_USER,
                "IX-p\u00e4ssw\u00f6rd", null, ChannelBinding.PREFER));
    }

    @Test
    void md5AndCleartextPasswords() throws Exception {
        assertEquals("authenticated", startup(SecuredTestServer.MD5_USER, SecuredTestServer.PASSWORD, null,
                ChannelBinding.PREFER));
        assertEquals("authenticated", startup(SecuredTestServer.MD5_UNICODE_USER, SecuredTestServer.UNICODE_PASSWORD,
                null, ChannelBinding.PREFER));
        assertEquals("authenticated", startup(SecuredTestServer.PASSWORD_USER, SecuredTestServer.PASSWORD,
                Map.of("sslmode", "require"), ChannelBinding.PREFER));
    }

    @Test
    void aWrongPasswordGetsTheServersRefusal() throws Exception {
        assertEquals("FATAL password authentication failed for user \"" + SecuredTestServer.SCRAM_USER + "\"",
                startup(SecuredTestServer.SCRAM_USER, "wrong", Map.of("sslmode", "require"), ChannelBinding.PREFER));
    }

    @Test
    void aClientCertificateAuthenticates() throws Exception {
        SecuredTestServer server = SecuredTestServer.get();
        Map<String, String> tls = Map.of("sslmode", "verify-full", "sslrootcert", server.file("root.crt").toString(),
                "sslcert", server.file("client.crt").toString(), "sslkey", server.file("client-encrypted.key").toString(),
                "sslpassword", SecuredTestServer.PASSWORD);
        assertEquals("authenticated", startup(SecuredTestServer.CERT_USER, null, tls, ChannelBinding.PREFER));
    }

    /**
     * One connection attempt: SSLRequest and handshake when {@code tls} is given, StartupMessage,
     * then the authentication exchange; returns how it ended.
     */
    private static String startup(String user, String password, Map<String, String> tls, ChannelBinding binding)
            throws IOException, TlsException {
        SecuredTestServer server = SecuredTestServer.get();
        SocketChannel channel = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
        TlsSession session = null;
        if (tls != null) {
            channel.write(ByteBuffer.allocate(8).putInt(8).putInt(80877103).flip());
            ByteBuffer answer = ByteBuffer.allocate(1);
            while (answer.hasRemaining() && channel.read(answer) >= 0) {
                // blocking: one byte
            }
            assertEquals('S', answer.get(0));
            channel.configureBlocking(false);
            session = BlockingTls.handshake(channel, "localhost", TlsOptions.fromConninfo(new HashMap<>(tls)));
        }
        try (SocketChannel open = channel) {
            DataInputStream in = new DataInputStream(session == null ? Channels.newInputStream(open)
                    : BlockingTls.input(open, session));
            OutputStream out = session == null ? Channels.newOutputStream(open) : BlockingTls.output(open, session);
            ByteArrayOutputStream startup = new ByteArrayOutputStream();
            startup.writeBytes(ByteBuffer.allocate(4).putInt(196608).array());
            startup.writeBytes(("user\0" + user + "\0database\0postgres\0\0").getBytes(StandardCharsets.UTF_8));
            byte[] body = startup.toByteArray();
            out.write(ByteBuffer.allocate(4).putInt(body.length + 4).array());
            out.write(body);
            out.flush();
            ScramClient scram = null;
            for (;;) {
                int type = in.read();
                byte[] message = new byte[in.readInt() - 4];
                in.readFully(message);
                ByteBuffer data = ByteBuffer.wrap(message);
                if (type == 'E') {
                    return "FATAL " + errorField(message, 'M');
                }
                if (type != 'R') {
                    continue;
                }
                int code = data.getInt();
                try {
                    binding.checkRequest(code, scram);
                    switch (code) {
                        case 0 -> {
                            return scram == null ? "authenticated" : "authenticated with " + scram.mechanism()
                                    + (scram.channelBound() ? ", channel bound" : "");
                        }
                        case 3 -> send(out, (password + "\0").getBytes(StandardCharsets.UTF_8));
                        case 5 -> send(out, (Md5Password.response(user, password, Arrays.copyOfRange(message, 4, 8))
                                + "\0").getBytes(StandardCharsets.UTF_8));
                        case 10 -> {
                            scram = ScramClient.start(mechanisms(message), session, binding, password);
                            byte[] first = scram.clientFirstMessage();
                            ByteArrayOutputStream initial = new ByteArrayOutputStream();
                            initial.writeBytes((scram.mechanism() + "\0").getBytes(StandardCharsets.US_ASCII));
                            initial.writeBytes(ByteBuffer.allocate(4).putInt(first.length).array());
                            initial.writeBytes(first);
                            send(out, initial.toByteArray());
                        }
                        case 11, 12 -> {
                            byte[] response = scram.exchange(Arrays.copyOfRange(message, 4, message.length), code == 12);
                            if (response != null) {
                                send(out, response);
                            }
                        }
                        default -> throw new AssertionError("unexpected authentication request " + code);
                    }
                } catch (AuthenticationException e) {
                    return "client refused: " + e.getMessage();
                }
            }
        }
    }

    private static void send(OutputStream out, byte[] body) throws IOException {
        out.write('p');
        out.write(ByteBuffer.allocate(4).putInt(body.length + 4).array());
        out.write(body);
        out.flush();
    }

    private static List<String> mechanisms(byte[] message) {
        List<String> names = new ArrayList<>();
        int start = 4;
        for (int i = 4; i < message.length; i++) {
            if (message[i] == 0) {
                if (i > start) {
                    names.add(new String(message, start, i - start, StandardCharsets.US_ASCII));
                }
                start = i + 1;
            }
        }
        return names;
    }

    private static String errorField(byte[] message, char code) {
        int i = 0;
        while (i < message.length && message[i] != 0) {
            int end = i + 1;
            while (message[end] != 0) {
                end++;
            }
            if (message[i] == code) {
                return new String(message, i + 1, end - i - 1, StandardCharsets.UTF_8);
            }
            i = end + 1;
        }
        return "";
    }
}
