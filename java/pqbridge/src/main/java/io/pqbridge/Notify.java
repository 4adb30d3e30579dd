package io.pqbridge;

/**
 * One notification received on a channel the session LISTENs on (psycopg's {@code Notify}):
 * sent by {@code NOTIFY channel, 'payload'} or {@code pg_notify()} in any session, delivered
 * when the sender's transaction commits.
 *
 * @param channel the channel's name
 * @param payload the payload, {@code ""} when none was given
 * @param pid the process ID of the server process that sent it
 */
public record Notify(String channel, String payload, int pid) {
}
