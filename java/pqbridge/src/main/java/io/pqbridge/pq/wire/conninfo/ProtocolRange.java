package io.pqbridge.pq.wire.conninfo;

/**
 * libpq 18's {@code min_protocol_version} and {@code max_protocol_version}: the protocol versions
 * a connection may speak. The StartupMessage asks for {@link #max()}; a server that supports less
 * answers with NegotiateProtocolVersion, and the connection goes on in the version it offers if
 * that is at least {@link #min()}.
 *
 * <p>Versions are held as the protocol codes the StartupMessage carries: major in the high 16
 * bits, minor in the low ({@code 0x30000} is 3.0, {@code 0x30002} is 3.2). libpq knows 3.0 and
 * 3.2 (3.1 was never used) and accepts exactly the strings "3.0", "3.2" and "latest".
 */
public record ProtocolRange(int min, int max) {

    /** Protocol 3.0, every server's. */
    public static final int V3_0 = 0x30000;
    /** Protocol 3.2, PostgreSQL 18's: cancel keys of up to 256 bytes. */
    public static final int V3_2 = 0x30002;
    /** What "latest" means to libpq 18. */
    public static final int LATEST = V3_2;

    /** Neither option set: 3.0 only, libpq 18's default (so that poolers without NegotiateProtocolVersion still work). */
    public static final ProtocolRange DEFAULT = new ProtocolRange(V3_0, V3_0);

    /**
     * The range the two options give, as libpq 18's {@code connectOptions2} settles it: an unset
     * minimum is 3.0; an unset maximum is 3.0, or the latest version when the minimum is above 3.0.
     *
     * @param minValue the {@code min_protocol_version} value, null when unset
     * @param maxValue the {@code max_protocol_version} value, null when unset
     * @throws IllegalArgumentException with libpq's text for an unknown version or an empty range
     */
    public static ProtocolRange of(String minValue, String maxValue) {
        int min = minValue == null ? V3_0 : parse(minValue, "min_protocol_version");
        int max;
        if (maxValue != null) {
            max = parse(maxValue, "max_protocol_version");
        } else {
            max = min > V3_0 ? LATEST : V3_0;
        }
        if (min > max) {
            throw new IllegalArgumentException("\"min_protocol_version\" is greater than \"max_protocol_version\"");
        }
        return new ProtocolRange(min, max);
    }

    private static int parse(String value, String keyword) {
        return switch (value) {
            case "3.0" -> V3_0;
            case "3.2" -> V3_2;
            case "latest" -> LATEST;
            default -> throw new IllegalArgumentException("invalid " + keyword + " value: \"" + value + "\"");
        };
    }

    /** The version as libpq's {@code PQfullProtocolVersion} reports it: 30000 for 3.0, 30002 for 3.2. */
    public static int full(int version) {
        return (version >>> 16) * 10000 + (version & 0xffff);
    }
}
