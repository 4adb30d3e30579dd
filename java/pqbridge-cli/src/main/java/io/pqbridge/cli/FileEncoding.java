package io.pqbridge.cli;

import io.pqbridge.Connection;
import io.pqbridge.pq.PgBackend;
import io.pqbridge.pq.PgConninfoOption;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The encoding of a file the tool reads or writes, as psql decides it: {@code --encoding}, else
 * the {@code client_encoding} of the connection string, else {@code PGCLIENTENCODING}, else UTF-8.
 * pqbridge's own session always talks UTF-8; the file's encoding goes to the server in COPY's
 * {@code ENCODING} option, so the server converts with its own tables, exactly as for psql.
 *
 * <p>{@code --binary-wire} must read the file itself: it decodes it to UTF-8 in Java, which is
 * exact only where Java's table is the server's. That holds for the encodings listed in
 * {@link #JAVA_CHARSETS} (each a one-to-one table, or EUC_JP/EUC_KR, whose JIS and KS tables Java
 * and PostgreSQL share); any other encoding is refused for {@code --binary-wire} with a usage
 * error, never converted approximately.
 */
final class FileEncoding {

    /** PostgreSQL encoding name to the Java charset that decodes it as the server does. */
    private static final Map<String, String> JAVA_CHARSETS = Map.ofEntries(
            Map.entry("UTF8", "UTF-8"),
            Map.entry("LATIN1", "ISO-8859-1"), Map.entry("LATIN2", "ISO-8859-2"), Map.entry("LATIN3", "ISO-8859-3"),
            Map.entry("LATIN4", "ISO-8859-4"), Map.entry("LATIN5", "ISO-8859-9"), Map.entry("LATIN7", "ISO-8859-13"),
            Map.entry("LATIN9", "ISO-8859-15"), Map.entry("ISO_8859_5", "ISO-8859-5"),
            Map.entry("ISO_8859_7", "ISO-8859-7"), Map.entry("WIN1250", "windows-1250"),
            Map.entry("WIN1251", "windows-1251"), Map.entry("WIN1252", "windows-1252"),
            Map.entry("WIN1253", "windows-1253"), Map.entry("WIN1254", "windows-1254"),
            Map.entry("WIN1257", "windows-1257"), Map.entry("KOI8R", "KOI8-R"), Map.entry("KOI8U", "KOI8-U"),
            Map.entry("EUC_JP", "EUC-JP"), Map.entry("EUC_KR", "EUC-KR"));

    private final String name;

    private FileEncoding(String name) {
        this.name = name;
    }

    /**
     * The file's encoding for this command, its name checked and made canonical by the server.
     *
     * @throws ToolException (usage) for a name the server does not know
     */
    static FileEncoding resolve(String option, String dsn, PgBackend backend, Connection conn) {
        String wanted = option;
        if (wanted == null && dsn != null) {
            try {
                wanted = backend.conninfoParse(dsn).stream().filter(o -> o.keyword().equals("client_encoding"))
                        .map(PgConninfoOption::value).findFirst().orElse(null);
            } catch (IllegalArgumentException e) {
                wanted = null; // the connection worked: whatever it was, it is not the encoding's concern
            }
        }
        if (wanted == null) {
            wanted = System.getenv("PGCLIENTENCODING");
        }
        if (wanted == null || wanted.isBlank()) {
            return new FileEncoding("UTF8");
        }
        String canonical = conn.execute("SELECT pg_encoding_to_char(pg_char_to_encoding(%s))::text", wanted).fetchOne()
                .getString(0);
        if (canonical == null || canonical.isEmpty()) {
            throw ToolException.usage("unknown encoding '" + wanted + "'; give a PostgreSQL encoding name such as UTF8,"
                    + " LATIN1 or EUC_JP");
        }
        return new FileEncoding(canonical);
    }

    String name() {
        return name;
    }

    boolean isUtf8() {
        return name.equals("UTF8");
    }

    /** The input as UTF-8 for --binary-wire: decoded with the encoding's Java charset, malformed bytes refused. */
    InputStream asUtf8(InputStream in) {
        if (isUtf8()) {
            return in;
        }
        String charset = JAVA_CHARSETS.get(name);
        if (charset == null) {
            throw ToolException.usage("--binary-wire cannot read " + name + " input exactly as the server would (it"
                    + " reads UTF8, LATIN1 to LATIN9, WIN125x, KOI8, EUC_JP and EUC_KR); load without --binary-wire,"
                    + " and the server converts the file itself");
        }
        Reader reader = new InputStreamReader(in, Charset.forName(charset).newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT));
        return new Utf8Encoder(reader, name);
    }

    /** UTF-8 bytes of what a Reader decodes; a decoding failure becomes the tool's data error. */
    private static final class Utf8Encoder extends InputStream {
        private final Reader reader;
        private final String encoding;
        private final char[] chars = new char[8192];
        private byte[] bytes = new byte[0];
        private int pos;

        Utf8Encoder(Reader reader, String encoding) {
            this.reader = reader;
            this.encoding = encoding;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (pos == bytes.length) {
                int n;
                try {
                    n = reader.read(chars);
                } catch (CharacterCodingException e) {
                    throw ToolException.data("the input is not valid " + encoding + " (" + e.getMessage() + ")", e);
                }
                if (n < 0) {
                    return -1;
                }
                // the charsets above decode into the BMP only: no surrogate pair can be split between reads
                bytes = new String(chars, 0, n).getBytes(StandardCharsets.UTF_8);
                pos = 0;
            }
            int count = Math.min(len, bytes.length - pos);
            System.arraycopy(bytes, pos, b, off, count);
            pos += count;
            return count;
        }

        @Override
        public void close() throws IOException {
            reader.close();
        }
    }
}
