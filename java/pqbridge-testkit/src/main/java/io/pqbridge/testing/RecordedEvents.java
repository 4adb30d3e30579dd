package io.pqbridge.testing;

import io.pqbridge.testing.Recording.Event;
import io.pqbridge.testing.Recording.Kind;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a proxy's log into a recording's events: the server's pieces (as they were read off the
 * socket; the proxy's own one-byte answer to an encryption request, which follows the request,
 * apart) split into one event per message, each at the time of the piece that completed it, and
 * unless the authentication is kept, the exchange taken out: the server's authentication requests
 * other than AuthenticationOk and the client's password, SASL and GSS answers. Bytes that do not
 * frame (a server that left the protocol) are kept as they came, never dropped.
 */
final class RecordedEvents {

    private RecordedEvents() {
    }

    /** The events; {@code notes} gets a line saying what authentication was taken out. */
    static List<Event> of(List<Event> logged, boolean keepAuthentication, List<String> notes) {
        Map<Integer, MessageFramer> framers = new HashMap<>();
        // connections whose last client message asked for encryption: the proxy's one-byte "no" comes next
        Set<Integer> answerDue = new HashSet<>();
        Set<String> methods = new LinkedHashSet<>();
        List<Event> events = new ArrayList<>();
        for (Event e : logged) {
            boolean encryptionAnswer = e.kind() == Kind.SERVER && answerDue.remove(e.connection());
            if (e.kind() == Kind.CLIENT && e.bytes() != null && MessageFramer.isEncryptionRequest(e.bytes())) {
                answerDue.add(e.connection());
            }
            MessageFramer open = framers.get(e.connection());
            if (e.kind() == Kind.END && open != null && !open.broken() && !open.atBoundary()) {
                // a message the server began and never finished: its bytes, as sent
                events.add(new Event(Kind.SERVER, e.connection(), e.micros(), open.unframed()));
            }
            if (e.kind() != Kind.SERVER || encryptionAnswer) {
                if (keepAuthentication || !(e.kind() == Kind.CLIENT && isAuthenticationAnswer(e.bytes()))) {
                    events.add(e);
                }
                continue;
            }
            MessageFramer framer = framers.computeIfAbsent(e.connection(), c -> MessageFramer.server());
            if (framer.broken()) {
                events.add(e);
                continue;
            }
            for (byte[] m : framer.feed(e.bytes(), 0, e.bytes().length)) {
                String method = authenticationRequest(m);
                if (method != null && !keepAuthentication) {
                    methods.add(method);
                    continue;
                }
                events.add(new Event(Kind.SERVER, e.connection(), e.micros(), m));
            }
            if (framer.broken()) {
                events.add(new Event(Kind.SERVER, e.connection(), e.micros(), framer.unframed()));
            }
        }
        if (!methods.isEmpty()) {
            notes.add("authentication taken out (the replay is a trust login); the server asked for "
                    + String.join(", ", methods));
        }
        return events;
    }

    /** A client message answering an authentication request: PasswordMessage, SASL or GSS data, all 'p'. */
    private static boolean isAuthenticationAnswer(byte[] message) {
        return message != null && message.length >= 5 && message[0] == 'p';
    }

    /** The method an authentication request asks for, or null for AuthenticationOk and other messages. */
    private static String authenticationRequest(byte[] message) {
        if (message[0] != 'R' || message.length < 9) {
            return null;
        }
        int code = ByteBuffer.wrap(message, 5, 4).getInt();
        return switch (code) {
            case 0 -> null;
            case 2 -> "Kerberos V5";
            case 3 -> "a cleartext password";
            case 5 -> "an MD5 password";
            case 7, 8 -> "GSSAPI";
            case 9 -> "SSPI";
            case 10, 11, 12 -> "SASL (SCRAM)";
            default -> "authentication code " + code;
        };
    }
}
