package io.pqbridge.hostile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One session of the scripted server: what the client does ({@link ClientOp} and the conninfo
 * keywords of the recording), how the server's bytes are delivered, and the turns: for each, how
 * many client messages the server waits for (the startup packet counts as one) and the server
 * bytes it then writes. A recording is a script without mutations; a mutated session is a script
 * whose server bytes were mutated.
 *
 * <p>Saved as a self-describing text file ({@link #encode()}): {@code #} and {@code note} lines
 * for people, then {@code name}, {@code op}, {@code conninfo} (keywords added to the scripted
 * server's host and port), {@code delivery MODE SEED} and one {@code turn CLIENT_MESSAGES HEX}
 * line per turn, each possibly followed by {@code flood AT COUNT HEX}; {@code ssl-answer HEX}
 * when the client is to send an SSLRequest (sslmode=prefer) and get those bytes back. Several scripts in one file are separated by {@code end} lines.
 */
record Script(String name, ClientOp op, String conninfo, Delivery delivery, long deliverySeed, byte[] sslAnswer,
        List<String> notes, List<Turn> turns) {

    /** How the server writes a turn's bytes. */
    enum Delivery {
        /** one write */
        WHOLE,
        /** one byte per write */
        BYTES,
        /** random writes of 1 to 64 bytes */
        CHUNKS,
        /** random writes with pauses of up to 40 ms, at most 200 ms in all */
        STALLS
    }

    /**
     * The server waits for {@code clientMessages} more client messages, then writes {@code server};
     * when {@code floodCount > 0}, {@code flood} repeated that many times goes in at byte
     * {@code floodAt} (written by the server as it goes, never held whole in memory).
     */
    record Turn(int clientMessages, byte[] server, int floodAt, int floodCount, byte[] flood) {
        Turn(int clientMessages, byte[] server) {
            this(clientMessages, server, 0, 0, new byte[0]);
        }

        long totalBytes() {
            return server.length + (long) floodCount * flood.length;
        }
    }

    Script {
        notes = List.copyOf(notes);
        turns = List.copyOf(turns);
    }

    Script withTurns(List<Turn> newTurns) {
        return new Script(name, op, conninfo, delivery, deliverySeed, sslAnswer, notes, newTurns);
    }

    Script withDelivery(Delivery d) {
        return new Script(name, op, conninfo, d, deliverySeed, sslAnswer, notes, turns);
    }

    Script withNotes(List<String> newNotes) {
        return new Script(name, op, conninfo, delivery, deliverySeed, sslAnswer, newNotes, turns);
    }

    Script withSslAnswer(byte[] answer) {
        return new Script(name, op, conninfo, delivery, deliverySeed, answer, notes, turns);
    }

    long serverBytes() {
        return turns.stream().mapToLong(Turn::totalBytes).sum();
    }

    String encode() {
        StringBuilder out = new StringBuilder();
        out.append("# pqbridge hostile-server session; replay: mvn -B -ntp surefire:test -Dtest=HostileServerFuzzTest"
                + " -Dpqbridge.hostile.replay=PATH\n");
        out.append("# turn N HEX: the server reads N client messages (the startup packet counts as one), then writes HEX\n");
        for (String note : notes) {
            out.append("note ").append(note.replace('\n', ' ')).append('\n');
        }
        out.append("name ").append(name).append('\n');
        out.append("op ").append(op.name()).append('\n');
        out.append("conninfo ").append(conninfo).append('\n');
        out.append("delivery ").append(delivery.name()).append(' ').append(deliverySeed).append('\n');
        if (sslAnswer != null) {
            out.append("ssl-answer ").append(HexFormat.of().formatHex(sslAnswer)).append('\n');
        }
        for (Turn t : turns) {
            out.append("turn ").append(t.clientMessages()).append(' ').append(HexFormat.of().formatHex(t.server()))
                    .append('\n');
            if (t.floodCount() > 0) {
                out.append("flood ").append(t.floodAt()).append(' ').append(t.floodCount()).append(' ')
                        .append(HexFormat.of().formatHex(t.flood())).append('\n');
            }
        }
        return out.toString();
    }

    static Script decode(String text) {
        List<Script> all = decodeAll(text);
        if (all.size() != 1) {
            throw new IllegalArgumentException("expected one session, found " + all.size());
        }
        return all.get(0);
    }

    static List<Script> decodeAll(String text) {
        List<Script> scripts = new ArrayList<>();
        String name = "";
        ClientOp op = null;
        String conninfo = "";
        Delivery delivery = Delivery.WHOLE;
        long deliverySeed = 0;
        byte[] sslAnswer = null;
        List<String> notes = new ArrayList<>();
        List<Turn> turns = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split(" ", 2);
            String rest = parts.length > 1 ? parts[1] : "";
            switch (parts[0]) {
                case "note" -> notes.add(rest);
                case "name" -> name = rest;
                case "op" -> op = ClientOp.valueOf(rest.strip());
                case "conninfo" -> conninfo = rest;
                case "delivery" -> {
                    String[] d = rest.strip().split(" ");
                    delivery = Delivery.valueOf(d[0]);
                    deliverySeed = d.length > 1 ? Long.parseLong(d[1]) : 0;
                }
                case "ssl-answer" -> sslAnswer = HexFormat.of().parseHex(rest.strip());
                case "flood" -> {
                    String[] f = rest.strip().split(" ");
                    Turn last = turns.remove(turns.size() - 1);
                    turns.add(new Turn(last.clientMessages(), last.server(), Integer.parseInt(f[0]),
                            Integer.parseInt(f[1]), HexFormat.of().parseHex(f[2])));
                }
                case "turn" -> {
                    String[] t = rest.strip().split(" ", 2);
                    turns.add(new Turn(Integer.parseInt(t[0]),
                            t.length > 1 ? HexFormat.of().parseHex(t[1].strip()) : new byte[0]));
                }
                case "end" -> {
                    scripts.add(new Script(name, op, conninfo, delivery, deliverySeed, sslAnswer, notes, turns));
                    sslAnswer = null;
                    name = "";
                    op = null;
                    conninfo = "";
                    delivery = Delivery.WHOLE;
                    deliverySeed = 0;
                    notes = new ArrayList<>();
                    turns = new ArrayList<>();
                }
                default -> throw new IllegalArgumentException("unknown line in a session file: " + line);
            }
        }
        if (op != null) {
            scripts.add(new Script(name, op, conninfo, delivery, deliverySeed, sslAnswer, notes, turns));
        }
        return scripts;
    }

    static Script read(Path path) {
        try {
            return decode(Files.readString(path, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Script> readAll(Path path) {
        try {
            return decodeAll(Files.readString(path, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void writeAll(Path path, List<Script> scripts) {
        StringBuilder out = new StringBuilder();
        for (Script s : scripts) {
            out.append(s.encode()).append("end\n");
        }
        try {
            Files.createDirectories(path.toAbsolutePath().getParent());
            Files.writeString(path, out.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void write(Path path) {
        try {
            Files.createDirectories(path.toAbsolutePath().getParent());
            Files.writeString(path, encode(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
