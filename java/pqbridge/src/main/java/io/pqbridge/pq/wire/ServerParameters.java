package io.pqbridge.pq.wire;

import java.util.HashMap;
import java.util.Map;

/**
 * What the server told the client about itself: ParameterStatus values, the numeric server
 * version derived from {@code server_version} as libpq derives it, and the cancel key from
 * BackendKeyData. Cleared for every connection attempt; owned by the protocol core.
 */
final class ServerParameters {

    private final Map<String, String> values = new HashMap<>();
    private int backendPid;
    private int secretKey;
    private int serverVersion;

    void clear() {
        values.clear();
        backendPid = 0;
        secretKey = 0;
        serverVersion = 0;
    }

    void parameter(String name, String value) {
        values.put(name, value);
        if (name.equals("server_version")) {
            serverVersion = parseServerVersion(value);
        }
    }

    void backendKey(int processId, int key) {
        backendPid = processId;
        secretKey = key;
    }

    String get(String name) {
        return values.get(name);
    }

    int backendPid() {
        return backendPid;
    }

    int secretKey() {
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
