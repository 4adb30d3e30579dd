package io.pqbridge.testing;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A recorded PostgreSQL conversation: every message the client sent and every byte the server
 * sent, on every connection the client opened (a cancel request is a connection of its own), in
 * the order they passed, with their times; what was recorded (a scenario or a program) and the
 * connection options it used. A recording replaces the server it was made against: the test kit's
 * replay server ({@link ReplayServer}, {@link ScenarioRunner#replaying}, {@code scripts/repro
 * --recording}) answers with the recorded bytes and checks that the client sends what the
 * recording expects.
 *
 * <p>A recording never holds a password or a SCRAM proof: unless asked to keep it, the
 * authentication exchange is taken out (the server's requests for a password or SASL and the
 * client's answers), so the replay is a trust login; the connection options never hold a
 * password, a host, a port or TLS settings (a recording is of a plaintext conversation).
 *
 * <p>The file is text, one line per event, so it can be read, diffed and cut by hand; it is
 * written gzip-compressed when its name ends in {@code .gz}, and read either way:
 *
 * <pre>
 * pqbridge-recording 1
 * scenario builtin                 what was recorded: builtin, scenario, main or program
 * argument 1008-copy-out-rollback  its name and arguments, one per line
 * conninfo user=app dbname=shop    the options, without host, port, password or TLS settings
 * note ...                         for people
 * open 1 0.000000                  connection 1 opened, seconds since the recording began
 * c 1 0.000104 HEX                 a message the client sent (* for "any one message")
 * s 1 0.001733 HEX                 bytes the server sent (one message per line when they frame)
 * close 1 0.180230                 the client closed connection 1
 * end 1 0.180391                   the server closed connection 1
 * </pre>
 *
 * <p>Instances are immutable.
 */
public final class Recording {

    private static final String MAGIC = "pqbridge-recording 1";
    private static final HexFormat HEX = HexFormat.of();

    /** What an event is: a connection opened, a client message, server bytes, the client closed, the server closed. */
    enum Kind { OPEN, CLIENT, SERVER, CLOSE, END }

    /**
     * One event: a connection opened or closed by either side, a client message ({@code bytes}
     * null for "any one message"), or server bytes; {@code micros} since the recording began.
     */
    record Event(Kind kind, int connection, long micros, byte[] bytes) {
    }

    private final List<String> scenario;
    private final String conninfo;
    private final List<String> notes;
    private final List<Event> events;

    Recording(List<String> scenario, String conninfo, List<String> notes, List<Event> events) {
        if (scenario.isEmpty()) {
            throw new IllegalArgumentException("a recording names what was recorded");
        }
        this.scenario = List.copyOf(scenario);
        this.conninfo = conninfo;
        this.notes = List.copyOf(notes);
        this.events = List.copyOf(events);
    }

    /**
     * Reads a recording.
     *
     * @param file a recording file, gzip-compressed or not
     * @return the recording
     * @throws IOException when the file cannot be read
     * @throws IllegalArgumentException when it is not a recording; the message names the line
     */
    public static Recording read(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = gunzipIfCompressed(raw);
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            return parse(reader, file.toString());
        }
    }

    /**
     * Writes the recording, gzip-compressed when the name ends in {@code .gz}.
     *
     * @param file where; replaced if it exists
     * @throws IOException when the file cannot be written
     */
    public void write(Path file) throws IOException {
        try (OutputStream raw = Files.newOutputStream(file);
                OutputStream out = file.getFileName().toString().endsWith(".gz") ? new GZIPOutputStream(raw) : raw;
                Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8))) {
            writer.write("# a pqbridge recording: a PostgreSQL conversation, as both sides sent it\n");
            writer.write("# replay: scripts/repro --recording FILE (or ScenarioRunner.replaying in a test)\n");
            writer.write(MAGIC + "\n");
            writer.write("scenario " + scenario.get(0) + "\n");
            for (String argument : scenario.subList(1, scenario.size())) {
                writer.write("argument " + argument + "\n");
            }
            writer.write("conninfo " + conninfo + "\n");
            for (String note : notes) {
                writer.write("note " + note + "\n");
            }
            for (Event e : events) {
                String at = String.format(Locale.ROOT, " %d %d.%06d", e.connection(), e.micros() / 1_000_000,
                        e.micros() % 1_000_000);
                switch (e.kind()) {
                    case OPEN -> writer.write("open" + at + "\n");
                    case CLOSE -> writer.write("close" + at + "\n");
                    case END -> writer.write("end" + at + "\n");
                    case CLIENT -> writer.write("c" + at + " " + (e.bytes() == null ? "*" : HEX.formatHex(e.bytes())) + "\n");
                    case SERVER -> writer.write("s" + at + " " + HEX.formatHex(e.bytes()) + "\n");
                    default -> throw new IllegalStateException(e.kind().toString());
                }
            }
        }
    }

    /**
     * {@return what was recorded: its kind ({@code builtin}, {@code scenario} (a {@link Scenario}
     * class), {@code main} or {@code program}) followed by its name and arguments}
     */
    public List<String> scenario() {
        return scenario;
    }

    /** {@return the connection options the client used, without host, port, password or TLS settings} */
    public String conninfo() {
        return conninfo;
    }

    /** {@return the notes: when and how it was recorded, what was taken out or cut} */
    public List<String> notes() {
        return notes;
    }

    /** {@return how many connections the client opened (a cancel request counts as one)} */
    public int connections() {
        return (int) events.stream().filter(e -> e.kind() == Kind.OPEN).count();
    }

    /**
     * The same recording with each COPY TO STDOUT cut to its first {@code keep} rows: the
     * server's later {@code CopyData} messages of that COPY are taken out, what ends it stays.
     * Replayed, a client that reads no more than {@code keep} rows of it cannot tell; one that
     * reads further sees the COPY end early. For keeping recordings of large COPYs small.
     *
     * @param keep the rows to keep of each COPY TO STDOUT, at least 0
     * @return the cut recording, with a note saying what was cut
     */
    public Recording cutCopyOut(int keep) {
        if (keep < 0) {
            throw new IllegalArgumentException("keep must be at least 0, not " + keep);
        }
        List<Event> kept = new ArrayList<>();
        java.util.Map<Integer, Integer> rowsSoFar = new java.util.HashMap<>(); // per connection in a COPY OUT
        long dropped = 0;
        for (Event e : events) {
            if (e.kind() == Kind.SERVER && isWholeMessage(e.bytes())) {
                byte type = e.bytes()[0];
                Integer rows = rowsSoFar.get(e.connection());
                if (type == 'H') {
                    rowsSoFar.put(e.connection(), 0);
                } else if (type == 'd' && rows != null) {
                    rowsSoFar.put(e.connection(), rows + 1);
                    if (rows >= keep) {
                        dropped++;
                        continue;
                    }
                } else if (type == 'c' || type == 'E') {
                    rowsSoFar.remove(e.connection());
                }
            }
            kept.add(e);
        }
        List<String> newNotes = new ArrayList<>(notes);
        if (dropped > 0) {
            newNotes.add("cut: each COPY TO STDOUT keeps its first " + keep + " rows; " + dropped
                    + " CopyData messages taken out");
        }
        return new Recording(scenario, conninfo, newNotes, kept);
    }

    List<Event> events() {
        return events;
    }

    /** Whether {@code bytes} are exactly one typed message. */
    static boolean isWholeMessage(byte[] bytes) {
        return bytes.length >= 5 && ByteBuffer.wrap(bytes, 1, 4).getInt() == bytes.length - 1;
    }

    private static InputStream gunzipIfCompressed(InputStream raw) throws IOException {
        InputStream in = new java.io.BufferedInputStream(raw);
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        return b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(in) : in;
    }

    private static Recording parse(BufferedReader reader, String source) throws IOException {
        List<String> scenario = new ArrayList<>();
        String conninfo = "";
        List<String> notes = new ArrayList<>();
        List<Event> events = new ArrayList<>();
        boolean magic = false;
        int number = 0;
        for (String line; (line = reader.readLine()) != null;) {
            number++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            if (!magic) {
                if (!line.equals(MAGIC)) {
                    throw new IllegalArgumentException(source + " is not a pqbridge recording: its first line is not '"
                            + MAGIC + "'");
                }
                magic = true;
                continue;
            }
            int space = line.indexOf(' ');
            String word = space < 0 ? line : line.substring(0, space);
            String rest = space < 0 ? "" : line.substring(space + 1);
            try {
                switch (word) {
                    case "scenario" -> scenario.add(0, rest);
                    case "argument" -> scenario.add(rest);
                    case "conninfo" -> conninfo = rest;
                    case "note" -> notes.add(rest);
                    case "open", "close", "end", "c", "s" -> events.add(event(word, rest));
                    default -> throw new IllegalArgumentException("unknown line '" + word + "'");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(source + " line " + number + ": " + e.getMessage(), e);
            }
        }
        if (!magic || scenario.isEmpty()) {
            throw new IllegalArgumentException(source + " is not a pqbridge recording: no '" + MAGIC
                    + "' line, or no scenario line");
        }
        return new Recording(scenario, conninfo, notes, events);
    }

    private static Event event(String word, String rest) {
        String[] parts = rest.split(" ");
        int expected = word.length() == 1 ? 3 : 2;
        if (parts.length != expected) {
            throw new IllegalArgumentException("'" + word + "' takes " + expected + " fields, not " + parts.length);
        }
        int connection = Integer.parseInt(parts[0]);
        String[] seconds = parts[1].split("\\.");
        long micros = Long.parseLong(seconds[0]) * 1_000_000 + (seconds.length > 1 ? Long.parseLong(
                (seconds[1] + "000000").substring(0, 6)) : 0);
        return switch (word) {
            case "open" -> new Event(Kind.OPEN, connection, micros, null);
            case "close" -> new Event(Kind.CLOSE, connection, micros, null);
            case "end" -> new Event(Kind.END, connection, micros, null);
            case "c" -> new Event(Kind.CLIENT, connection, micros, parts[2].equals("*") ? null : HEX.parseHex(parts[2]));
            default -> new Event(Kind.SERVER, connection, micros, HEX.parseHex(parts[2]));
        };
    }
}
