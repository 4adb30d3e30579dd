package io.pqbridge.pq.wire.tls;

import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.util.Map;
import java.util.Set;

/**
 * libpq's wording for TLS failures, which is OpenSSL's: JSSE reports the same events (an alert
 * from the server, the peer hanging up, a certificate the client rejected) in its own words, and
 * this class translates them. Alert texts are OpenSSL 3's reason strings, so {@code Received fatal
 * alert: unknown_ca} becomes {@code SSL error: tlsv1 alert unknown ca}.
 */
final class TlsFailures {

    private static final String ALERT_PREFIX = "Received fatal alert: ";

    /** JSSE's alert names and OpenSSL's reason texts for them. */
    private static final Map<String, String> ALERTS = Map.ofEntries(
            Map.entry("unexpected_message", "sslv3 alert unexpected message"),
            Map.entry("bad_record_mac", "sslv3 alert bad record mac"),
            Map.entry("decryption_failed", "tlsv1 alert decryption failed"),
            Map.entry("record_overflow", "tlsv1 alert record overflow"),
            Map.entry("decompression_failure", "sslv3 alert decompression failure"),
            Map.entry("handshake_failure", "sslv3 alert handshake failure"),
            Map.entry("no_certificate", "sslv3 alert no certificate"),
            Map.entry("bad_certificate", "sslv3 alert bad certificate"),
            Map.entry("unsupported_certificate", "sslv3 alert unsupported certificate"),
            Map.entry("certificate_revoked", "sslv3 alert certificate revoked"),
            Map.entry("certificate_expired", "sslv3 alert certificate expired"),
            Map.entry("certificate_unknown", "sslv3 alert certificate unknown"),
            Map.entry("illegal_parameter", "sslv3 alert illegal parameter"),
            Map.entry("unknown_ca", "tlsv1 alert unknown ca"),
            Map.entry("access_denied", "tlsv1 alert access denied"),
            Map.entry("decode_error", "tlsv1 alert decode error"),
            Map.entry("decrypt_error", "tlsv1 alert decrypt error"),
            Map.entry("export_restriction", "tlsv1 alert export restriction"),
            Map.entry("protocol_version", "tlsv1 alert protocol version"),
            Map.entry("insufficient_security", "tlsv1 alert insufficient security"),
            Map.entry("internal_error", "tlsv1 alert internal error"),
            Map.entry("inappropriate_fallback", "tlsv1 alert inappropriate fallback"),
            Map.entry("user_canceled", "tlsv1 alert user cancelled"),
            Map.entry("no_renegotiation", "tlsv1 alert no renegotiation"),
            Map.entry("missing_extension", "tlsv13 alert missing extension"),
            Map.entry("unsupported_extension", "tlsv1 unsupported extension"),
            Map.entry("certificate_unobtainable", "tlsv1 certificate unobtainable"),
            Map.entry("unrecognized_name", "tlsv1 unrecognized name"),
            Map.entry("bad_certificate_status_response", "tlsv1 bad certificate status response"),
            Map.entry("bad_certificate_hash_value", "tlsv1 bad certificate hash value"),
            Map.entry("unknown_psk_identity", "tlsv1 alert unknown psk identity"),
            Map.entry("certificate_required", "tlsv13 alert certificate required"),
            Map.entry("no_application_protocol", "tlsv1 alert no application protocol"));

    /** OpenSSL reasons after which libpq adds its protocol-version hint. */
    private static final Set<String> VERSION_REASONS = Set.of("tlsv1 alert protocol version");

    private TlsFailures() {
    }

    /**
     * The text libpq gives when the handshake fails ({@code open_client_SSL}).
     *
     * @param certificateRejected the client's own check rejected the server's chain
     */
    static String handshake(IOException failure, boolean certificateRejected, TlsOptions options) {
        if (certificateRejected) {
            return "SSL error: certificate verify failed";
        }
        String reason = openSslReason(failure);
        if (reason != null) {
            String text = "SSL error: " + reason;
            if (VERSION_REASONS.contains(reason)) {
                text += "\nThis may indicate that the server does not support any SSL protocol version between "
                        + options.minProtocolForMessage() + " and " + options.maxProtocolForMessage() + ".";
            }
            return text;
        }
        if (hungUp(failure)) {
            return "SSL SYSCALL error: EOF detected";
        }
        return "SSL SYSCALL error: " + errnoText(failure);
    }

    /** The text libpq gives when reading or writing TLS data fails ({@code pgtls_read}, {@code pgtls_write}). */
    static String transfer(IOException failure) {
        String reason = openSslReason(failure);
        if (reason != null) {
            return "SSL error: " + reason;
        }
        if (hungUp(failure)) {
            return "SSL SYSCALL error: EOF detected";
        }
        String errno = errnoText(failure);
        if (errno.equals("Connection reset by peer") || errno.equals("Broken pipe")) {
            return "server closed the connection unexpectedly\n\tThis probably means the server terminated abnormally\n"
                    + "\tbefore or while processing the request.";
        }
        return "SSL SYSCALL error: " + errno;
    }

    /** OpenSSL's reason text for an alert or local protocol failure JSSE reported, or null. */
    private static String openSslReason(IOException failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message == null) {
                continue;
            }
            if (message.startsWith(ALERT_PREFIX)) {
                String name = message.substring(ALERT_PREFIX.length()).strip();
                return ALERTS.getOrDefault(name, "tlsv1 alert " + name.replace('_', ' '));
            }
            if (message.startsWith("No appropriate protocol")) {
                // JSSE refuses TLSv1 and TLSv1.1 itself; OpenSSL offers them and the server
                // (PostgreSQL 13 and later require TLSv1.2 by default) answers with this alert
                return "tlsv1 alert protocol version";
            }
        }
        return null;
    }

    private static boolean hungUp(IOException failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = t.getMessage() == null ? "" : t.getMessage();
            if (t instanceof EOFException || message.contains("Remote host terminated")
                    || message.contains("closed by remote host")) {
                return true;
            }
        }
        return false;
    }

    /** strerror's text for the socket error behind {@code failure}, as far as Java names it. */
    private static String errnoText(IOException failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SocketException && t.getMessage() != null) {
                String message = t.getMessage();
                if (message.startsWith("Connection reset")) {
                    return "Connection reset by peer";
                }
                if (message.startsWith("Broken pipe")) {
                    return "Broken pipe";
                }
                return message;
            }
        }
        return failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
    }
}
