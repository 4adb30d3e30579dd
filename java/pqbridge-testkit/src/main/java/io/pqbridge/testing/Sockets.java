package io.pqbridge.testing;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.SocketChannel;

/**
 * Ending the recorder's and the replay's sockets when the other side may already be gone: a
 * failure there has nothing left to report, because the conversation it belonged to is over.
 */
final class Sockets {

    private Sockets() {
    }

    static void closeQuietly(Closeable socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed, or reset by the other side: the conversation is over either way
        }
    }

    static void shutdownOutputQuietly(SocketChannel channel) {
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            // already closed, or reset by the other side: the conversation is over either way
        }
    }
}
