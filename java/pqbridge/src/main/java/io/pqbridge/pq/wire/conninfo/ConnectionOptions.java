package io.pqbridge.pq.wire.conninfo;

import io.pqbridge.pq.PgConninfoOption;
import io.pqbridge.pq.wire.auth.AuthRequirement;
import io.pqbridge.pq.wire.auth.ScramKeys;
import io.pqbridge.pq.wire.tls.TlsOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * The options of one connection as libpq settles them before its first attempt: the conninfo
 * string's settings, then a service file's, then {@code PG*} environment variables, then compiled
 * defaults and the OS user ({@code conninfo_add_defaults}); then libpq's {@code connectOptions2}:
 * one {@link Host} per entry of {@code host}/{@code hostaddr} with its port and its password from
 * the password file, {@code user} and {@code dbname} defaults, and the validation of the
 * enumerated options, in libpq's order (so the first invalid one is the one reported).
 *
 * <p>Immutable once resolved. Values that are validated only when connecting (port numbers,
 * connect_timeout, keepalives) are left as strings for the connection flow.
 */
public final class ConnectionOptions {

    /** How a host entry is reached. */
    public enum HostType { NAME, ADDRESS, UNIX_SOCKET }

    /**
     * One entry of the host list: {@code host} is the name, the address or the socket directory as
     * given (the default socket directory when neither host nor hostaddr was given); {@code port}
     * may be null or empty (then 5432); {@code password} is the password file's answer, or null.
     */
    public record Host(HostType type, String host, String hostaddr, String port, String password) {

        /** Shows the entry with its password masked. */
        @Override
        public String toString() {
            return "Host[type=" + type + ", host=" + host + ", hostaddr=" + hostaddr + ", port=" + port + ", password="
                    + io.pqbridge.pq.ConninfoSecrets.shown("password", password) + "]";
        }
    }

    /** libpq 16's {@code sslrootcert} value that means the system's trusted roots. */
    public static final String SYSTEM_ROOTS = "system";

    /** The valid values of {@code target_session_attrs}. */
    public enum TargetSessionAttrs { ANY, READ_WRITE, READ_ONLY, PRIMARY, STANDBY, PREFER_STANDBY }

    private final Map<String, String> values;
    private final List<Host> hosts;
    private final Settled settled;

    /** What {@code connectOptions2} derives from the values besides the host list. */
    private record Settled(TargetSessionAttrs targetSessionAttrs, AuthRequirement authRequirement, ScramKeys scramKeys,
            ProtocolRange protocolRange) {
        static final Settled NONE = new Settled(TargetSessionAttrs.ANY, AuthRequirement.NONE, ScramKeys.NONE,
                ProtocolRange.DEFAULT);
    }

    private ConnectionOptions(Map<String, String> values, List<Host> hosts, Settled settled) {
        this.values = values;
        this.hosts = hosts;
        this.settled = settled;
    }

    /**
     * Parses and settles {@code conninfo} as {@code PQconnectdb} does before connecting.
     *
     * @param warnings where libpq's password-file warnings go, one message each (libpq prints them on
     *                 standard error; the java backend logs them)
     * @throws ConninfoException with libpq's text for the first problem found
     */
    public static ConnectionOptions resolve(String conninfo, Environment env, Consumer<String> warnings)
            throws ConninfoException {
        Map<String, String> values = ConninfoParser.parse(conninfo);
        addDefaults(values, env);
        return settle(values, env, warnings);
    }

    /**
     * {@code conninfo_add_defaults}: service file, environment, PGREQUIRESSL, compiled defaults, OS
     * user; and libpq 16's stronger default {@code sslmode=verify-full} with {@code sslrootcert=system}.
     */
    private static void addDefaults(Map<String, String> values, Environment env) throws ConninfoException {
        ServiceFile.apply(values, env);
        boolean sslmodeDefaulted = false;
        for (Keyword k : Keyword.ALL) {
            if (values.containsKey(k.name())) {
                continue;
            }
            if (k.environmentVariable() != null) {
                String fromEnv = env.getenv(k.environmentVariable());
                if (fromEnv != null) {
                    values.put(k.name(), fromEnv);
                    continue;
                }
            }
            if (k.name().equals("sslmode")) {
                String requireSsl = env.getenv("PGREQUIRESSL");
                if (requireSsl != null && requireSsl.startsWith("1")) {
                    values.put("sslmode", "require");
                    continue;
                }
            }
            if (k.compiledDefault() != null) {
                values.put(k.name(), k.compiledDefault());
                sslmodeDefaulted |= k.name().equals("sslmode");
            } else if (k.name().equals("user") && env.userName() != null) {
                values.put("user", env.userName());
            }
        }
        if (sslmodeDefaulted && SYSTEM_ROOTS.equals(values.get("sslrootcert"))) {
            values.put("sslmode", "verify-full");
        }
    }

    /** {@code connectOptions2}; a failure carries the values settled up to it. */
    private static ConnectionOptions settle(Map<String, String> values, Environment env, Consumer<String> warnings)
            throws ConninfoException {
        try {
            return settleOrFail(values, env, warnings);
        } catch (ConninfoException e) {
            ConnectionOptions soFar = new ConnectionOptions(Collections.unmodifiableMap(new HashMap<>(values)), List.of(),
                    Settled.NONE);
            throw new ConninfoException(e.getMessage(), soFar);
        }
    }

    private static ConnectionOptions settleOrFail(Map<String, String> values, Environment env, Consumer<String> warnings)
            throws ConninfoException {
        String hostOption = values.get("host");
        String hostaddrOption = values.get("hostaddr");
        int count;
        if (nonEmpty(hostaddrOption)) {
            count = countElements(hostaddrOption);
        } else if (nonEmpty(hostOption)) {
            count = countElements(hostOption);
        } else {
            count = 1;
        }
        String[] hostaddrs = new String[count];
        String[] hostNames = new String[count];
        if (nonEmpty(hostaddrOption)) {
            System.arraycopy(hostaddrOption.split(",", -1), 0, hostaddrs, 0, count);
        }
        if (nonEmpty(hostOption)) {
            String[] names = hostOption.split(",", -1);
            if (names.length != count) {
                throw new ConninfoException("could not match " + names.length + " host names to " + count
                        + " hostaddr values");
            }
            hostNames = names;
        }
        HostType[] types = new HostType[count];
        for (int i = 0; i < count; i++) {
            if (nonEmpty(hostaddrs[i])) {
                types[i] = HostType.ADDRESS;
            } else if (nonEmpty(hostNames[i])) {
                types[i] = isUnixSocketPath(hostNames[i]) ? HostType.UNIX_SOCKET : HostType.NAME;
            } else {
                hostNames[i] = env.defaultSocketDirectory();
                types[i] = HostType.UNIX_SOCKET;
            }
        }
        String[] ports = new String[count];
        String portOption = values.get("port");
        if (nonEmpty(portOption)) {
            String[] given = portOption.split(",", -1);
            if (given.length == 1) {
                java.util.Arrays.fill(ports, given[0]);
            } else if (given.length == count) {
                ports = given;
            } else {
                throw new ConninfoException("could not match " + given.length + " port numbers to " + count + " hosts");
            }
        }
        if (!nonEmpty(values.get("user"))) {
            String user = env.userName();
            if (user == null) {
                throw new ConninfoException("could not look up local user ID: user name unknown");
            }
            values.put("user", user);
        }
        if (!nonEmpty(values.get("dbname"))) {
            values.put("dbname", values.get("user"));
        }
        String[] passwords = new String[count];
        if (!nonEmpty(values.get("password"))) {
            if (!nonEmpty(values.get("passfile")) && env.home() != null) {
                values.put("passfile", env.home().resolve(".pgpass").toString());
            }
            String passfile = values.get("passfile");
            if (nonEmpty(passfile)) {
                for (int i = 0; i < count; i++) {
                    String pwhost = nonEmpty(hostNames[i]) ? hostNames[i] : hostaddrs[i];
                    passwords[i] = Passfile.lookup(Path.of(passfile), pwhost, ports[i], values.get("dbname"),
                            values.get("user"), env.defaultSocketDirectory(), warnings);
                }
            }
        }
        AuthRequirement authRequirement = settledBy(() -> AuthRequirement.parse(values.get("require_auth")));
        requireOneOf(values, "channel_binding", "disable", "prefer", "require");
        requireOneOf(values, "sslmode", "disable", "allow", "prefer", "require", "verify-ca", "verify-full");
        String sslmode = values.getOrDefault("sslmode", "prefer");
        requireOneOf(values, "sslnegotiation", "postgres", "direct");
        if ("direct".equals(values.get("sslnegotiation")) && !sslmode.startsWith("r") && !sslmode.startsWith("v")) {
            // libpq 17: a server older than 17 would otherwise be a silent way back to plain text
            throw new ConninfoException("weak sslmode \"" + sslmode + "\" may not be used with sslnegotiation=direct"
                    + " (use \"require\", \"verify-ca\", or \"verify-full\")");
        }
        if (SYSTEM_ROOTS.equals(values.get("sslrootcert")) && !sslmode.equals("verify-full")) {
            throw new ConninfoException("weak sslmode \"" + sslmode
                    + "\" may not be used with sslrootcert=system (use \"verify-full\")");
        }
        settledBy(() -> {
            TlsOptions.checkProtocolVersions(values.get("ssl_min_protocol_version"),
                    values.get("ssl_max_protocol_version"));
            return null;
        });
        requireOneOf(values, "sslcertmode", "disable", "allow", "require");
        values.putIfAbsent("sslcertmode", "allow"); // libpq 16 settles the default here, and PQconninfo lists it
        requireOneOf(values, "gssencmode", "disable", "prefer", "require");
        String target = values.get("target_session_attrs");
        TargetSessionAttrs attrs = TargetSessionAttrs.ANY;
        if (target != null) {
            attrs = switch (target) {
                case "any" -> TargetSessionAttrs.ANY;
                case "read-write" -> TargetSessionAttrs.READ_WRITE;
                case "read-only" -> TargetSessionAttrs.READ_ONLY;
                case "primary" -> TargetSessionAttrs.PRIMARY;
                case "standby" -> TargetSessionAttrs.STANDBY;
                case "prefer-standby" -> TargetSessionAttrs.PREFER_STANDBY;
                default -> throw new ConninfoException("invalid target_session_attrs value: \"" + target + "\"");
            };
        }
        ScramKeys scramKeys = settledBy(() -> ScramKeys.of(values.get("scram_client_key"), values.get("scram_server_key")));
        requireOneOf(values, "load_balance_hosts", "disable", "random");
        ProtocolRange protocolRange = settledBy(() -> ProtocolRange.of(values.get("min_protocol_version"),
                values.get("max_protocol_version")));
        if ("auto".equals(values.get("client_encoding"))) {
            values.put("client_encoding", "UTF8");
        }
        List<Host> hosts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            hosts.add(new Host(types[i], hostNames[i], hostaddrs[i], ports[i], passwords[i]));
        }
        if (loadBalanced(values)) {
            Collections.shuffle(hosts, ThreadLocalRandom.current()); // libpq 16 shuffles connhost here
        }
        return new ConnectionOptions(Collections.unmodifiableMap(new HashMap<>(values)), List.copyOf(hosts),
                new Settled(attrs, authRequirement, scramKeys, protocolRange));
    }

    /** An option's parsed form; its parser's refusal (libpq's text) becomes the conninfo error. */
    private static <T> T settledBy(java.util.function.Supplier<T> parser) throws ConninfoException {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw new ConninfoException(e.getMessage());
        }
    }

    /** Whether {@code load_balance_hosts=random}: hosts, and each host's addresses, are tried in random order. */
    public boolean loadBalanced() {
        return loadBalanced(values);
    }

    private static boolean loadBalanced(Map<String, String> values) {
        return "random".equals(values.get("load_balance_hosts"));
    }

    /** libpq's {@code is_unixsock_path}: an absolute path, or an abstract-namespace name starting with '@'. */
    public static boolean isUnixSocketPath(String host) {
        return host.startsWith("/") || host.startsWith("@");
    }

    private static void requireOneOf(Map<String, String> values, String keyword, String... allowed)
            throws ConninfoException {
        String value = values.get(keyword);
        if (value == null) {
            return;
        }
        for (String a : allowed) {
            if (a.equals(value)) {
                return;
            }
        }
        throw new ConninfoException("invalid " + keyword + " value: \"" + value + "\"");
    }

    private static int countElements(String list) {
        int n = 1;
        for (int i = 0; i < list.length(); i++) {
            if (list.charAt(i) == ',') {
                n++;
            }
        }
        return n;
    }

    static boolean nonEmpty(String s) {
        return s != null && !s.isEmpty();
    }

    /** An option's settled value, null when it has none. */
    public String get(String keyword) {
        return values.get(keyword);
    }

    /** Every settled value (for the TLS options, which read the {@code ssl*} keys). */
    public Map<String, String> values() {
        return values;
    }

    public List<Host> hosts() {
        return hosts;
    }

    /** {@return the validated {@code require_auth} (libpq 16), {@link AuthRequirement#NONE} when unset} */
    public AuthRequirement authRequirement() {
        return settled.authRequirement();
    }

    /** {@return the validated {@code target_session_attrs}} */
    public TargetSessionAttrs targetSessionAttrs() {
        return settled.targetSessionAttrs();
    }

    /** {@return the decoded {@code scram_client_key} and {@code scram_server_key} (libpq 18)} */
    public ScramKeys scramKeys() {
        return settled.scramKeys();
    }

    /** {@return the protocol versions {@code min_protocol_version} and {@code max_protocol_version} allow (libpq 18)} */
    public ProtocolRange protocolRange() {
        return settled.protocolRange();
    }

    /** {@code PQconninfo}: every option with a value, in libpq's order; {@code service} is never listed. */
    public List<PgConninfoOption> listing() {
        List<PgConninfoOption> list = new ArrayList<>();
        for (Keyword k : Keyword.ALL) {
            String value = values.get(k.name());
            if (k.connFieldShown() && value != null) {
                list.add(new PgConninfoOption(k.name(), value));
            }
        }
        return Collections.unmodifiableList(list);
    }
}
