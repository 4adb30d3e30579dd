package io.pqbridge.hostile;

import io.pqbridge.hostile.Script.Delivery;
import io.pqbridge.hostile.Script.Turn;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Mutations of a recording's server bytes, and the generator of mutated sessions.
 *
 * <p>A turn's bytes are split into protocol messages (type byte, int32 length, body); a mutation
 * names a turn and a message in it and is deterministic given its fields, so a session is
 * (recording, delivery, mutations) and can be rebuilt with a mutation left out (shrinking). The
 * mutations: bit flips; truncation (the script ends there); the length field set to 0, -1, 3, 4,
 * 0x7fffffff, 0x40000000, 0x10000000 or off by one either way; a message duplicated, swapped with
 * the next, dropped; an unexpected message inserted ({@link #HOSTILE}); counts inside a message
 * corrupted (RowDescription field count, DataRow column count and column lengths, COPY response
 * column counts).
 */
final class Mutator {

    enum Kind { BITFLIP, TRUNCATE, LENGTH_SET, LENGTH_DELTA, DUPLICATE, SWAP, DROP, INSERT, COUNT, FLOOD, SSL_ANSWER }

    /**
     * One mutation. {@code a}, {@code b}: BITFLIP a = seed of the bit positions; TRUNCATE a = bytes
     * kept of the message; LENGTH_SET a = the new length; LENGTH_DELTA a = added to the length;
     * COUNT a = -1 for the message's count field or the DataRow column whose length changes, b =
     * the new value; INSERT {@code payload} = the message, {@code index} = where (0..size); FLOOD
     * {@code payload} repeated {@code a} times at message position {@code index} (applied last, by
     * the server as it writes); SSL_ANSWER {@code payload} = the server's answer to an SSLRequest
     * (the client then connects with sslmode=prefer).
     */
    record Mutation(Kind kind, int turn, int index, long a, long b, byte[] payload, String label) {
        @Override
        public String toString() {
            return label;
        }
    }

    /** A mutated session: the recording it came from, how it is delivered, the mutations applied. */
    record Plan(Script recording, Delivery delivery, long deliverySeed, List<Mutation> mutations, long seed) {

        Script script() {
            List<List<byte[]>> turns = split(recording);
            List<String> applied = new ArrayList<>();
            Mutation flood = null;
            byte[] sslAnswer = null;
            for (Mutation m : mutations) {
                if (m.kind() == Kind.FLOOD) {
                    flood = m;
                    applied.add(m.label());
                } else if (m.kind() == Kind.SSL_ANSWER) {
                    sslAnswer = m.payload();
                    applied.add(m.label());
                } else if (apply(turns, m)) {
                    applied.add(m.label());
                } else {
                    applied.add("(not applicable) " + m.label());
                }
            }
            List<String> notes = new ArrayList<>();
            notes.add("recording " + recording.name() + ", session seed " + seed);
            for (String s : applied) {
                notes.add("mutation: " + s);
            }
            List<Turn> out = new ArrayList<>();
            for (int i = 0; i < turns.size(); i++) {
                List<byte[]> msgs = turns.get(i);
                int clientMessages = recording.turns().get(i).clientMessages();
                if (flood != null && flood.turn() == i) {
                    int at = 0;
                    for (int k = 0; k < Math.min(flood.index(), msgs.size()); k++) {
                        at += msgs.get(k).length;
                    }
                    out.add(new Turn(clientMessages, join(msgs), at, (int) flood.a(), flood.payload()));
                } else {
                    out.add(new Turn(clientMessages, join(msgs)));
                }
            }
            return new Script(recording.name(), recording.op(), recording.conninfo(), delivery, deliverySeed,
                    sslAnswer, notes, out);
        }

        Plan without(int mutation) {
            List<Mutation> fewer = new ArrayList<>(mutations);
            fewer.remove(mutation);
            return new Plan(recording, delivery, deliverySeed, fewer, seed);
        }
    }

    private Mutator() {
    }

    /** Session {@code seed}: a recording, a delivery and 1 to 3 mutations, all from the seed. */
    static Plan generate(List<Script> recordings, long seed) {
        Random r = new Random(seed);
        Script recording = recordings.get(r.nextInt(recordings.size()));
        Delivery delivery = switch (r.nextInt(10)) {
            case 0, 1, 2 -> Delivery.WHOLE;
            case 3, 4 -> Delivery.BYTES;
            case 5, 6, 7 -> Delivery.CHUNKS;
            default -> Delivery.STALLS;
        };
        int count = 1 + r.nextInt(3);
        List<List<byte[]>> turns = split(recording);
        List<Mutation> mutations = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Mutation m = random(turns, r);
            if (m == null) {
                continue;
            }
            apply(turns, m);
            mutations.add(m);
            if (m.kind() == Kind.TRUNCATE) {
                break;
            }
        }
        return new Plan(recording, delivery, r.nextLong(), mutations, seed);
    }

    // ---- messages ----

    /** Each turn's bytes split into messages; bytes that do not frame stay one piece. */
    static List<List<byte[]>> split(Script script) {
        List<List<byte[]>> turns = new ArrayList<>();
        for (Turn t : script.turns()) {
            turns.add(messages(t.server()));
        }
        return turns;
    }

    static List<byte[]> messages(byte[] bytes) {
        List<byte[]> out = new ArrayList<>();
        int pos = 0;
        while (pos < bytes.length) {
            int end = bytes.length;
            if (pos + 5 <= bytes.length) {
                int len = ByteBuffer.wrap(bytes, pos + 1, 4).getInt();
                if (len >= 4 && (long) pos + 1 + len <= bytes.length) {
                    end = pos + 1 + len;
                }
            }
            out.add(Arrays.copyOfRange(bytes, pos, end));
            pos = end;
        }
        return out;
    }

    static byte[] join(List<byte[]> messages) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] m : messages) {
            out.writeBytes(m);
        }
        return out.toByteArray();
    }

    static String describe(byte[] message) {
        if (message.length == 0) {
            return "(empty)";
        }
        int type = message[0] & 0xff;
        return type >= 0x20 && type < 0x7f ? "'" + (char) type + "'" : String.format("0x%02x", type);
    }

    // ---- applying ----

    static boolean apply(List<List<byte[]>> turns, Mutation m) {
        if (m.kind() == Kind.FLOOD || m.kind() == Kind.SSL_ANSWER) {
            return true; // Plan.script() places these
        }
        if (m.turn() >= turns.size()) {
            return false;
        }
        List<byte[]> msgs = turns.get(m.turn());
        if (m.kind() == Kind.INSERT) {
            if (m.index() > msgs.size()) {
                return false;
            }
            msgs.add(m.index(), m.payload().clone());
            return true;
        }
        if (m.index() >= msgs.size()) {
            return false;
        }
        byte[] msg = msgs.get(m.index());
        switch (m.kind()) {
            case BITFLIP -> {
                Random r = new Random(m.a());
                byte[] flipped = msg.clone();
                int flips = 1 + r.nextInt(3);
                for (int i = 0; i < flips && flipped.length > 0; i++) {
                    int bit = r.nextInt(flipped.length * 8);
                    flipped[bit / 8] ^= (byte) (1 << (bit % 8));
                }
                msgs.set(m.index(), flipped);
            }
            case TRUNCATE -> {
                int keep = (int) Math.min(m.a(), msg.length);
                msgs.set(m.index(), Arrays.copyOf(msg, keep));
                while (msgs.size() > m.index() + 1) {
                    msgs.remove(msgs.size() - 1);
                }
                while (turns.size() > m.turn() + 1) {
                    turns.remove(turns.size() - 1);
                }
            }
            case LENGTH_SET, LENGTH_DELTA -> {
                if (msg.length < 5) {
                    return false;
                }
                byte[] changed = msg.clone();
                ByteBuffer b = ByteBuffer.wrap(changed);
                int old = b.getInt(1);
                b.putInt(1, m.kind() == Kind.LENGTH_SET ? (int) m.a() : old + (int) m.a());
                msgs.set(m.index(), changed);
            }
            case DUPLICATE -> msgs.add(m.index(), msg.clone());
            case SWAP -> {
                if (m.index() + 1 >= msgs.size()) {
                    return false;
                }
                msgs.set(m.index(), msgs.get(m.index() + 1));
                msgs.set(m.index() + 1, msg);
            }
            case DROP -> msgs.remove(m.index());
            case COUNT -> {
                byte[] changed = msg.clone();
                int offset = countOffset(changed, (int) m.a());
                if (offset < 0) {
                    return false;
                }
                ByteBuffer b = ByteBuffer.wrap(changed);
                if (m.a() < 0) {
                    b.putShort(offset, (short) m.b());
                } else {
                    b.putInt(offset, (int) m.b());
                }
                msgs.set(m.index(), changed);
            }
            default -> throw new IllegalStateException(m.kind().toString());
        }
        return true;
    }

    /** Where the count field (column -1) or DataRow column {@code column}'s length is, -1 if nowhere. */
    static int countOffset(byte[] msg, int column) {
        if (msg.length < 7) {
            return -1;
        }
        char type = (char) msg[0];
        if (column < 0) {
            return switch (type) {
                case 'T', 'D', 't' -> 5;
                case 'H', 'G', 'W' -> msg.length >= 8 ? 6 : -1;
                default -> -1;
            };
        }
        if (type != 'D') {
            return -1;
        }
        ByteBuffer b = ByteBuffer.wrap(msg);
        int n = b.getShort(5);
        long pos = 7; // long: a mutated column length near 2^31 must not wrap the position around
        for (int c = 0; c < n && pos + 4 <= msg.length; c++) {
            if (c == column) {
                return (int) pos;
            }
            int len = b.getInt((int) pos);
            pos += 4L + Math.max(0, len);
        }
        return -1;
    }

    // ---- generating ----

    private static final int[] LENGTHS = {0, -1, 3, 4, 0x7fffffff, 0x40000000, 0x10000000};

    private static Mutation random(List<List<byte[]>> turns, Random r) {
        int total = turns.stream().mapToInt(List::size).sum();
        if (total == 0) {
            return null;
        }
        int pick = r.nextInt(total);
        int turn = 0;
        while (pick >= turns.get(turn).size()) {
            pick -= turns.get(turn).size();
            turn++;
        }
        int index = pick;
        byte[] msg = turns.get(turn).get(index);
        String at = "turn " + turn + " message " + index + " " + describe(msg) + " (" + msg.length + " bytes)";
        int rare = r.nextInt(1000);
        if (rare < 5) {
            Hostile h = FLOODS.get(r.nextInt(FLOODS.size()));
            int count = 8 * 1024 * 1024 / h.bytes().length;
            return new Mutation(Kind.FLOOD, turn, index, count, 0, h.bytes(), "flood of " + count + " x " + h.label()
                    + " (8 MB) at turn " + turn + " position " + index);
        }
        if (rare < 35) {
            Hostile h = SSL_ANSWERS.get(r.nextInt(SSL_ANSWERS.size()));
            return new Mutation(Kind.SSL_ANSWER, 0, 0, 0, 0, h.bytes(), "sslmode=prefer, and the SSLRequest answered with "
                    + h.label());
        }
        int roll = r.nextInt(100);
        if (roll < 14) {
            long s = r.nextLong();
            return new Mutation(Kind.BITFLIP, turn, index, s, 0, null, "bit flips (seed " + s + ") in " + at);
        } else if (roll < 20) {
            int keep = msg.length <= 1 ? 0 : r.nextInt(msg.length);
            return new Mutation(Kind.TRUNCATE, turn, index, keep, 0, null,
                    "truncated to " + keep + " bytes, and the script ends there: " + at);
        } else if (roll < 34) {
            int value = LENGTHS[r.nextInt(LENGTHS.length)];
            return new Mutation(Kind.LENGTH_SET, turn, index, value, 0, null,
                    String.format("length field set to %d (0x%x) in %s", value, value, at));
        } else if (roll < 40) {
            int delta = r.nextBoolean() ? 1 : -1;
            return new Mutation(Kind.LENGTH_DELTA, turn, index, delta, 0, null,
                    "length field " + (delta > 0 ? "+1" : "-1") + " in " + at);
        } else if (roll < 46) {
            return new Mutation(Kind.DUPLICATE, turn, index, 0, 0, null, "duplicated " + at);
        } else if (roll < 52) {
            return new Mutation(Kind.SWAP, turn, index, 0, 0, null, "swapped with the next message: " + at);
        } else if (roll < 58) {
            return new Mutation(Kind.DROP, turn, index, 0, 0, null, "dropped " + at);
        } else if (roll < 82) {
            Hostile h = HOSTILE.get(r.nextInt(HOSTILE.size()));
            byte[] payload = h.bytes();
            int where = r.nextInt(turns.get(turn).size() + 1);
            return new Mutation(Kind.INSERT, turn, where, 0, 0, payload,
                    "inserted " + h.label() + " at turn " + turn + " position " + where);
        } else {
            return countMutation(turns, r);
        }
    }

    private static final int[] COUNTS = {0, -1, 1, 2, 0x7fff, 0xffff, 0x8000, 100};
    private static final int[] COLUMN_LENGTHS = {-2, -1, 0, 0x7fffffff, 0x40000000, 0x10000000, 0x80000000, 1000};

    /** A count corruption in a RowDescription, DataRow or COPY response, if the session has one. */
    private static Mutation countMutation(List<List<byte[]>> turns, Random r) {
        List<int[]> candidates = new ArrayList<>();
        for (int t = 0; t < turns.size(); t++) {
            for (int i = 0; i < turns.get(t).size(); i++) {
                if (countOffset(turns.get(t).get(i), -1) >= 0) {
                    candidates.add(new int[] {t, i});
                }
            }
        }
        if (candidates.isEmpty()) {
            return null;
        }
        int[] c = candidates.get(r.nextInt(candidates.size()));
        byte[] msg = turns.get(c[0]).get(c[1]);
        String at = "turn " + c[0] + " message " + c[1] + " " + describe(msg);
        ByteBuffer b = ByteBuffer.wrap(msg);
        int current = b.getShort(countOffset(msg, -1));
        if (msg[0] == 'D' && r.nextBoolean()) {
            int column = r.nextInt(Math.max(1, current));
            int value = r.nextInt(4) == 0 ? (countOffset(msg, column) >= 0 ? b.getInt(countOffset(msg, column)) : 0)
                    + (r.nextBoolean() ? 1 : -1) : COLUMN_LENGTHS[r.nextInt(COLUMN_LENGTHS.length)];
            return new Mutation(Kind.COUNT, c[0], c[1], column, value, null,
                    String.format("column %d length set to %d (0x%x) in %s", column, value, value, at));
        }
        int value = r.nextInt(3) == 0 ? current + (r.nextBoolean() ? 1 : -1) : COUNTS[r.nextInt(COUNTS.length)];
        return new Mutation(Kind.COUNT, c[0], c[1], -1, value, null,
                String.format("count field set to %d (was %d) in %s", (short) value, current, at));
    }

    // ---- hostile messages ----

    record Hostile(String label, byte[] bytes) {
    }

    static byte[] message(char type, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(5 + body.length);
        b.put((byte) type).putInt(4 + body.length).put(body);
        return b.array();
    }

    static byte[] body(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof String s) {
                out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            } else if (p instanceof Integer i) {
                out.writeBytes(ByteBuffer.allocate(4).putInt(i).array());
            } else if (p instanceof Short s) {
                out.writeBytes(ByteBuffer.allocate(2).putShort(s).array());
            } else if (p instanceof Byte x) {
                out.write(x);
            } else if (p instanceof Character ch) {
                out.write((byte) ch.charValue());
            } else if (p instanceof byte[] bytes) {
                out.writeBytes(bytes);
            } else {
                throw new IllegalArgumentException(String.valueOf(p));
            }
        }
        return out.toByteArray();
    }

    private static final String Z = "\0";

    /** Unexpected messages, inserted anywhere (so in every state of the protocol). */
    static final List<Hostile> HOSTILE = List.of(
            h("DataRow (2 columns)", message('D', body((short) 2, 1, "1", 1, "x"))),
            h("DataRow with a NULL", message('D', body((short) 1, -1))),
            h("DataRow with 0 columns", message('D', body((short) 0))),
            h("DataRow with column length -5", message('D', body((short) 1, -5))),
            h("CopyData", message('d', body("1\tx\n"))),
            h("CopyDone", message('c', new byte[0])),
            h("CopyInResponse", message('G', body((byte) 0, (short) 2, (short) 0, (short) 0))),
            h("CopyOutResponse", message('H', body((byte) 0, (short) 2, (short) 0, (short) 0))),
            h("CopyBothResponse", message('W', body((byte) 0, (short) 0))),
            h("CopyOutResponse with format 7 and count -1", message('H', body((byte) 7, (short) -1))),
            h("AuthenticationOk", message('R', body(0))),
            h("AuthenticationCleartextPassword", message('R', body(3))),
            h("AuthenticationMD5Password", message('R', body(5, "salt"))),
            h("AuthenticationSASL", message('R', body(10, "SCRAM-SHA-256", Z, Z))),
            h("AuthenticationSASLContinue with garbage", message('R', body(11, "garbage,=,r="))),
            h("AuthenticationSASLFinal with garbage", message('R', body(12, "v=!!!"))),
            h("Authentication with unknown code 99", message('R', body(99))),
            h("Authentication with an empty body", message('R', new byte[0])),
            h("ReadyForQuery 'I'", message('Z', body('I'))),
            h("ReadyForQuery 'T'", message('Z', body('T'))),
            h("ReadyForQuery 'E'", message('Z', body('E'))),
            h("ReadyForQuery with status 'X'", message('Z', body('X'))),
            h("ReadyForQuery with an empty body", message('Z', new byte[0])),
            h("ErrorResponse with no fields", message('E', body(Z))),
            h("ErrorResponse with an empty body", message('E', new byte[0])),
            h("ErrorResponse with only a severity", message('E', body("SERROR", Z, Z))),
            h("ErrorResponse without terminators", message('E', body("SERROR", Z, "C22012"))),
            h("ErrorResponse with empty fields", message('E', body("S", Z, "C", Z, "M", Z, Z))),
            h("ErrorResponse with a 2-char SQLSTATE", message('E', body("SERROR", Z, "CXX", Z, "Mbad", Z, Z))),
            h("ErrorResponse FATAL", message('E', body("SFATAL", Z, "VFATAL", Z, "C57P01", Z, "Mterminating", Z, Z))),
            h("ErrorResponse with an unknown field and position garbage",
                    message('E', body("SERROR", Z, "C42601", Z, "Mx", Z, "Pabc", Z, "Lxyz", Z, "!odd", Z, Z))),
            h("ErrorResponse with invalid UTF-8", message('E', body("SERROR", Z, "C42000", Z, "M",
                    new byte[] {(byte) 0xff, (byte) 0xfe, (byte) 0xc3}, Z, Z))),
            h("NoticeResponse with no fields", message('N', body(Z))),
            h("NoticeResponse with an empty body", message('N', new byte[0])),
            h("NoticeResponse without terminator", message('N', body("SNOTICE", Z, "Mno end"))),
            h("NoticeResponse of 20 KB", message('N', body("SNOTICE", Z, "C00000", Z, "M", "n".repeat(20_000), Z, Z))),
            h("NoticeResponse with invalid UTF-8", message('N', body("SWARNING", Z, "M",
                    new byte[] {(byte) 0xc0, (byte) 0x80, (byte) 0xff}, Z, Z))),
            h("ParameterStatus with an empty body", message('S', new byte[0])),
            h("ParameterStatus without value", message('S', body("application_name", Z))),
            h("ParameterStatus without NULs", message('S', body("client_encoding"))),
            h("ParameterStatus client_encoding=SQL_ASCII", message('S', body("client_encoding", Z, "SQL_ASCII", Z))),
            h("ParameterStatus client_encoding=LATIN1", message('S', body("client_encoding", Z, "LATIN1", Z))),
            h("ParameterStatus client_encoding=garbage", message('S', body("client_encoding", Z, "??", Z))),
            h("ParameterStatus server_version=abc", message('S', body("server_version", Z, "abc", Z))),
            h("ParameterStatus server_version empty", message('S', body("server_version", Z, "", Z))),
            h("ParameterStatus integer_datetimes=off", message('S', body("integer_datetimes", Z, "off", Z))),
            h("ParameterStatus standard_conforming_strings=off",
                    message('S', body("standard_conforming_strings", Z, "off", Z))),
            h("ParameterStatus DateStyle=garbage", message('S', body("DateStyle", Z, "Banana, YMD", Z))),
            h("ParameterStatus TimeZone=garbage", message('S', body("TimeZone", Z, "Mars/Olympus", Z))),
            h("ParameterStatus with invalid UTF-8", message('S', body(new byte[] {(byte) 0xff}, Z,
                    new byte[] {(byte) 0xfe}, Z))),
            h("NotificationResponse", message('A', body(42, "hostile", Z, "payload", Z))),
            h("NotificationResponse without payload", message('A', body(42, "hostile", Z))),
            h("NotificationResponse without NULs", message('A', body(-1, "hostile"))),
            h("NotificationResponse with an empty body", message('A', new byte[0])),
            h("NotificationResponse with 3 bytes", message('A', body((byte) 1, (byte) 2, (byte) 3))),
            h("BackendKeyData with 4 bytes", message('K', body(7))),
            h("BackendKeyData with a 256-byte key", message('K', body(7, new byte[256]))),
            h("CommandComplete with an empty body", message('C', new byte[0])),
            h("CommandComplete without NUL", message('C', body("SELECT 1"))),
            h("CommandComplete SELECT abc", message('C', body("SELECT abc", Z))),
            h("CommandComplete INSERT 0 99999999999999999999", message('C', body("INSERT 0 99999999999999999999", Z))),
            h("EmptyQueryResponse", message('I', new byte[0])),
            h("ParseComplete", message('1', new byte[0])),
            h("BindComplete", message('2', new byte[0])),
            h("CloseComplete", message('3', new byte[0])),
            h("NoData", message('n', new byte[0])),
            h("PortalSuspended", message('s', new byte[0])),
            h("ParameterDescription claiming 3 types with none", message('t', body((short) 3))),
            h("ParameterDescription with count -1", message('t', body((short) -1))),
            h("NegotiateProtocolVersion", message('v', body(0, 1, "_pq_.hostile", Z))),
            h("NegotiateProtocolVersion with count 1000", message('v', body(0, 1000))),
            h("FunctionCallResponse", message('V', body(3, "abc"))),
            h("RowDescription with 0 fields", message('T', body((short) 0))),
            h("RowDescription claiming 1 field with none", message('T', body((short) 1))),
            h("RowDescription of 2 text fields", message('T', body((short) 2, "a", Z, 0, (short) 0, 25, (short) -1, -1,
                    (short) 0, "b", Z, 0, (short) 0, 25, (short) -1, -1, (short) 0))),
            h("RowDescription with a binary int4 field", message('T', body((short) 1, "i", Z, 0, (short) 0, 23,
                    (short) 4, -1, (short) 1))),
            h("RowDescription with format 9 and type oid -1", message('T', body((short) 1, "i", Z, 0, (short) 0, -1,
                    (short) 4, -1, (short) 9))),
            h("unknown message type '!'", message('!', body("?"))),
            h("unknown message type 0x00", message('\0', new byte[0])),
            h("unknown message type 0xff", message((char) 0xff, body(1, 2))),
            h("client message type 'Q'", message('Q', body("SELECT 1", Z))),
            h("a lone 'N' byte (SSL refusal)", new byte[] {'N'}),
            h("a lone 'S' byte (SSL acceptance)", new byte[] {'S'}));

    /** The text of the ErrorResponse answering an SSLRequest: a client must never show it (CVE-2024-10977). */
    static final String SSL_ERROR_MARKER = "HOSTILE-TEXT-IN-REPLY-TO-SSLREQUEST";

    /** Answers to an SSLRequest. */
    static final List<Hostile> SSL_ANSWERS = List.of(
            h("ErrorResponse (its text must not be shown)",
                    message('E', body("SFATAL", Z, "C28000", Z, "M", SSL_ERROR_MARKER, Z, Z))),
            h("ErrorResponse with length 0x7fffffff", body('E', 0x7fffffff, "SFATAL", Z)),
            h("ErrorResponse with length 0x40000000", body('E', 0x40000000, "SFATAL", Z)),
            h("'S' then plain bytes instead of a TLS handshake", body('S', message('R', body(0)))),
            h("'S' then nothing (closed during the handshake)", body('S')),
            h("'X' (invalid)", body('X')),
            h("nothing (closed)", new byte[0]),
            h("'N' followed by junk before the real replies", body('N', "junk")));

    /** Messages repeated by a FLOOD. */
    static final List<Hostile> FLOODS = List.of(
            h("NoticeResponse", message('N', body("SNOTICE", Z, "VNOTICE", Z, "C00000", Z, "Mflood", Z, Z))),
            h("ParameterStatus", message('S', body("application_name", Z, "flood", Z))),
            h("NotificationResponse", message('A', body(42, "hostile", Z, "flood", Z))),
            h("CopyData", message('d', body("1\tflood\n"))),
            h("DataRow", message('D', body((short) 2, 1, "1", 5, "flood"))));

    private static Hostile h(String label, byte[] bytes) {
        return new Hostile(label, bytes);
    }
}
