package io.pqbridge.pq;

/**
 * One asynchronous notification (libpq's {@code PGnotify}): a NOTIFY on {@code channel} sent by
 * the backend {@code backendPid}, with its {@code payload} ({@code ""} when there is none).
 *
 * @param channel the channel the notification was sent on
 * @param backendPid the process ID of the server process that sent it
 * @param payload the payload, {@code ""} when there is none
 */
public record PgNotify(String channel, int backendPid, String payload) {
}
