package io.pqbridge.pq.wire;

import io.pqbridge.pq.wire.conninfo.ProtocolRange;
import io.pqbridge.pq.wire.message.backend.BackendMessageDecoder;
import io.pqbridge.pq.wire.message.backend.MalformedMessageException;
import io.pqbridge.pq.wire.message.backend.ParameterStatus;
import java.util.HashMap;
import java.util.Map;

/**
 * What the server told the client about itself: ParameterStatus values, the numeric server
 * version derived from {@code server_version} as libpq derives it, the cancel key from
 * BackendKeyData, and the protocol version the startup settled on. Cleared for every connection
 * attempt; owned by the protocol core.
 *
 * <p>{@link #generation} changes with every value stored and every clearing, so that a reader can
 * tell "nothing reported since I last looked" without reading the values again. It is volatile
 * because the facade may ask from a thread other than the one that read the server's input; its
 * increments are safe because only the thread holding the connection's lock writes it.
 */
final class ServerParameters {

    private final Map<String, String> values = new HashMap<>();
    private int backendPid;
    private byte[] secretKey = NO_KEY;
    private int serverVersion;
    private int protocolVersion = ProtocolRange.V3_0;
    private volatile long generation;

    private static final byte[] NO_KEY = new byte[4];
    private static final int SHORTEST_KEY = 4;
    private static final int LONGEST_KEY = 256;

    void clear() {
        generation++;
        values.clear();
        backendPid = 0;
        secretKey = NO_KEY;
        serverVersion = 0;
        protocolVersion = ProtocolRange.V3_0;
    }

    /**
     * libpq's {@code getParameterStatus}: the ParameterStatus message in
     * {@code in[body, body + length)}, stored. It can arrive in any state, and one that cannot be
     * read is ignored, as libpq ignores it.
     */
    void parameterStatus(byte[] in, int body, int length) {
        ParameterStatus p;
        try {
            p = (ParameterStatus) BackendMessageDecoder.decode(ParameterStatus.TYPE, in, body, length);
        } catch (MalformedMessageException e) {
            return; // libpq ignores a parameter it cannot read
        }
        generation++;
        values.put(p.name(), p.value());
        if (p.name().equals("server_version")) {
            serverVersion = parseServerVersion(p.value());
        }
    }

    /** The protocol version of the session ({@link ProtocolRange} codes), which the startup exchange settled. */
    void protocolVersion(int version) {
        protocolVersion = version;
    }

    int protocolVersion() {
        return protocolVersion;
    }

    /**
     * Keeps BackendKeyData's cancel key if its length suits the protocol version, as libpq 18's
     * {@code getBackendKeyData} does.
     *
     * @return null when kept; else libpq's text for the connection's fatal error
     */
    String backendKey(int processId, byte[] key) {
        backendPid = processId;
        int length = key.length;
        String problem = null;
        if (length != SHORTEST_KEY && protocolVersion == ProtocolRange.V3_0) {
            problem = "not allowed in protocol version 3.0 (must be 4 bytes)";
        } else if (length < SHORTEST_KEY) {
            problem = "is too short (minimum 4 bytes)";
        } else if (length > LONGEST_KEY) {
            problem = "is too long (maximum 256 bytes)";
        }
        if (problem != null) {
            return "received invalid BackendKeyData message: cancel key with length " + length + " " + problem;
        }
        secretKey = key;
        return null;
    }

    /** {@return a count of the changes so far: equal counts, equal values} */
    long generation() {
        return generation;
    }

    String get(String name) {
        return values.get(name);
    }

    int backendPid() {
        return backendPid;
    }

    byte[] secretKey() {
        return secretKey;
    }

    int serverVersion() {
        return serverVersion;
    }

    /** libpq's numeric server version: "15.18" is 150018, "9.6.1" is 90601, "16devel" is 160000. */
    static int parseServerVersion(String value) {
        int[] parts = new int[3];
        int count = 0;
        int i = 0;
        int n = value.length();
        while (count < 3) {
            int start = i;
            int v = 0;
            while (i < n && Character.isDigit(value.charAt(i))) {
                v = v * 10 + (value.charAt(i) - '0');
                i++;
            }
            if (i == start) {
                break;
            }
            parts[count++] = v;
            if (i < n && value.charAt(i) == '.') {
                i++;
            } else {
                break;
            }
        }
        return switch (count) {
            case 3 -> (100 * parts[0] + parts[1]) * 100 + parts[2];
            case 2 -> parts[0] >= 10 ? 100 * 100 * parts[0] + parts[1] : (100 * parts[0] + parts[1]) * 100;
            case 1 -> 100 * 100 * parts[0];
            default -> 0;
        };
    }
}
