package io.pqbridge.pq.wire.message.backend;

/** A message from the server, as {@link BackendMessageDecoder} decodes it. */
public interface BackendMessage {
}
