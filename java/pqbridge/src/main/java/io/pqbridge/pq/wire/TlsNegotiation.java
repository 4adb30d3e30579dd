package io.pqbridge.pq.wire;

import io.pqbridge.pq.wire.conninfo.ConnectionOptions;
import io.pqbridge.pq.wire.tls.TlsException;
import io.pqbridge.pq.wire.tls.TlsHandshake;
import io.pqbridge.pq.wire.tls.TlsOptions;

/**
 * libpq's encryption negotiation for one connection attempt (PQconnectPoll's
 * CONNECTION_SSL_STARTUP): what the server's answer to SSLRequest means under the attempt's
 * {@link TlsPlan}, and after 'S' the TLS handshake, driven step by step with waits bounded by the
 * attempt's connect_timeout deadline, as libpq drives {@code pgtls_open_client}.
 *
 * <p>The startup flow sends SSLRequest and reads the answer byte (its own packet I/O, which
 * authentication shares); this class consumes that byte, appends libpq's text for any failure to
 * the connection's error text and returns a {@link Result}. On success the machine's transport is
 * replaced by the TLS one over the same channel. Waits go through the machine, which swallows an
 * interrupt and lets the connect restore it at its end.
 */
final class TlsNegotiation {

    /** How the negotiation ended. */
    enum Result {
        /** TLS is established: the machine talks through it now. */
        SECURED,
        /** The server declined ('N') and the plan allows going on in plain on this connection. */
        DECLINED,
        /** connect_timeout expired during the handshake: libpq moves on to the next address. */
        TIMED_OUT,
        /** The handshake failed and the plan has a {@link TlsPlan#fallback()}: a new attempt. */
        FALLBACK,
        /** The attempt, and the whole connect, fails. */
        FAILED
    }

    private final ProtocolMachine machine;
    private final TlsOptions options;

    TlsNegotiation(ProtocolMachine machine, TlsOptions options) {
        this.machine = machine;
        this.options = options;
    }

    /**
     * libpq's refusal when gssencmode=require, since the java backend (like a libpq built without
     * GSSAPI) can never encrypt with GSSAPI; null when the attempt may go on.
     */
    static String gssEncryptionRefusal(ConnectionOptions options) {
        return "require".equals(options.get("gssencmode"))
                ? "GSSAPI encryption required but was impossible (possibly no credential cache, no server "
                        + "support, or using a local socket)\n"
                : null;
    }

    /**
     * Acts on the server's answer to SSLRequest, the byte at the head of the machine's input.
     *
     * @param plain the attempt's plain transport, which the handshake runs on
     * @param host the {@code host} option for SNI and verify-full; null for none
     */
    Result afterAnswer(ChannelTransport plain, String host, TlsPlan plan, long deadline) {
        ErrorText errors = machine.errors();
        int answer = machine.input()[machine.inputStart()] & 0xff;
        switch (answer) {
            case 'S' -> {
                machine.consumeInputTo(machine.inputStart() + 1);
                if (machine.inputEnd() != machine.inputStart()) {
                    errors.append("received unencrypted data after SSL response\n");
                    return Result.FAILED;
                }
                return handshake(plain, host, plan, deadline);
            }
            case 'N' -> {
                machine.consumeInputTo(machine.inputStart() + 1);
                if (plan == TlsPlan.TLS_REQUIRED) {
                    errors.append("server does not support SSL, but SSL was required\n");
                    return Result.FAILED;
                }
                return Result.DECLINED;
            }
            case 'E' -> {
                // libpq since CVE-2024-10977: the server is not authenticated yet, so its text
                // is not read (a man in the middle could write anything there) and no other
                // host is tried on its say-so
                errors.append("server sent an error response during SSL exchange\n");
                return Result.FAILED;
            }
            default -> {
                errors.append("received invalid response to SSL negotiation: " + (char) answer + "\n");
                return Result.FAILED;
            }
        }
    }

    /**
     * libpq 17's sslnegotiation=direct: the TLS handshake from the connection's first byte, with
     * no SSLRequest (so no 'N' to fall back on; a server older than 17 reads the ClientHello as a
     * malformed startup packet and hangs up, which fails the handshake).
     */
    Result direct(ChannelTransport plain, String host, TlsPlan plan, long deadline) {
        return handshake(plain, host, plan, deadline);
    }

    private Result handshake(ChannelTransport plain, String host, TlsPlan plan, long deadline) {
        try {
            TlsHandshake handshake = TlsHandshake.begin(plain.channel(), host, options);
            TlsHandshake.Progress progress;
            while ((progress = handshake.advance()) != TlsHandshake.Progress.DONE) {
                long remaining = deadline == Long.MAX_VALUE ? 1000 : (deadline - System.nanoTime()) / 1_000_000L;
                if (remaining <= 0) {
                    machine.errors().append("timeout expired\n");
                    return Result.TIMED_OUT;
                }
                machine.socket().pollSocket(progress == TlsHandshake.Progress.READING,
                        progress == TlsHandshake.Progress.WRITING, Math.min(remaining, 1000));
            }
            machine.socket().upgrade(plain.secured(handshake.session()));
            return Result.SECURED;
        } catch (TlsException e) {
            machine.errors().append(e.getMessage() + "\n");
            return plan.fallback() != null ? Result.FALLBACK : Result.FAILED;
        }
    }
}
