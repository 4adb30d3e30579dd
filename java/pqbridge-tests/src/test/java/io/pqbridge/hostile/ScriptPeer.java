package io.pqbridge.hostile;

import io.pqbridge.pq.wire.CoreSession;
import java.util.Random;

/**
 * The scripted server of a {@link Script}, in memory, for the in-process fuzzer: it counts the
 * client's messages from the bytes the client sends (the startup packet first, then typed
 * messages), and once a turn's count is reached it offers that turn's server bytes (its flood
 * generated as it is read, never held whole), in the pieces the script's delivery mode gives
 * (STALLS as CHUNKS: there is no clock here). When the client waits for bytes that no turn will
 * give without more client messages, the server closes, as the socket server does after its wait.
 */
final class ScriptPeer implements CoreSession.Peer {

    private static final int FLOOD_PIECE = 64 * 1024;

    private final Script script;
    private final Random pieces;
    private int clientMessages;
    /** Bytes of a message the client sent only partly (they never are, but a count must not depend on it). */
    private long frameLeft;
    private boolean startupSeen;
    private int nextTurn;
    private int unlockedMessages;
    private Script.Turn turn;
    private long turnPosition;

    ScriptPeer(Script script) {
        this.script = script;
        this.pieces = new Random(script.deliverySeed());
    }

    @Override
    public void sent(byte[] bytes, int offset, int length) {
        int at = offset;
        int end = offset + length;
        while (at < end) {
            if (frameLeft > 0) {
                int skip = (int) Math.min(frameLeft, end - at);
                frameLeft -= skip;
                at += skip;
                continue;
            }
            int header = startupSeen ? 5 : 4;
            if (end - at < header) {
                return; // a torn header: the client never sends one
            }
            int lengthAt = startupSeen ? at + 1 : at;
            long declared = ((bytes[lengthAt] & 0xffL) << 24) | ((bytes[lengthAt + 1] & 0xff) << 16)
                    | ((bytes[lengthAt + 2] & 0xff) << 8) | (bytes[lengthAt + 3] & 0xff);
            frameLeft = (startupSeen ? 1 : 0) + Math.max(4, declared);
            startupSeen = true;
            clientMessages++;
        }
    }

    @Override
    public int receive(byte[] into, int offset, int max) {
        for (;;) {
            if (turn != null && turnPosition < turn.totalBytes()) {
                int piece = inFlood(turn, turnPosition) ? FLOOD_PIECE : switch (script.delivery()) {
                    case WHOLE -> max;
                    case BYTES -> 1;
                    case CHUNKS, STALLS -> 1 + pieces.nextInt(64);
                };
                int n = (int) Math.min(Math.min(piece, max), turn.totalBytes() - turnPosition);
                copy(turn, turnPosition, into, offset, n);
                turnPosition += n;
                return n;
            }
            if (nextTurn == script.turns().size()) {
                return -1;
            }
            Script.Turn candidate = script.turns().get(nextTurn);
            if (clientMessages < unlockedMessages + candidate.clientMessages()) {
                return -1; // the client waits for what only more client messages would bring
            }
            unlockedMessages += candidate.clientMessages();
            nextTurn++;
            turn = candidate;
            turnPosition = 0;
        }
    }

    private static boolean inFlood(Script.Turn t, long position) {
        return t.floodCount() > 0 && position >= t.floodAt()
                && position < t.floodAt() + (long) t.floodCount() * t.flood().length;
    }

    /** Copies {@code n} bytes of the turn from {@code position}: its server bytes with the flood inserted at floodAt. */
    private static void copy(Script.Turn t, long position, byte[] into, int offset, int n) {
        long floodEnd = t.floodAt() + (long) t.floodCount() * t.flood().length;
        while (n > 0) {
            int run;
            if (t.floodCount() == 0 || position < t.floodAt()) {
                run = (int) Math.min(n, (t.floodCount() == 0 ? t.server().length : t.floodAt()) - position);
                System.arraycopy(t.server(), (int) position, into, offset, run);
            } else if (position < floodEnd) {
                int at = (int) ((position - t.floodAt()) % t.flood().length);
                run = (int) Math.min(Math.min(n, t.flood().length - at), floodEnd - position);
                System.arraycopy(t.flood(), at, into, offset, run);
            } else {
                int at = (int) (position - floodEnd + t.floodAt());
                run = Math.min(n, t.server().length - at);
                System.arraycopy(t.server(), at, into, offset, run);
            }
            position += run;
            offset += run;
            n -= run;
        }
    }
}
