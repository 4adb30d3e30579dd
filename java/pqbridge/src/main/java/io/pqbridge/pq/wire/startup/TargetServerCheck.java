package io.pqbridge.pq.wire.startup;

import io.pqbridge.pq.wire.conninfo.ConnectionOptions.TargetSessionAttrs;
import java.util.function.Function;

/**
 * libpq's target_session_attrs check (CONNECTION_CHECK_TARGET) without I/O: whether a server that
 * has just become ready is one this pass over the hosts accepts. Each target is about one trait
 * of the server, which its ParameterStatus values usually tell; when they do not, the check names
 * the query that does, the caller runs it and hands back its single value.
 *
 * <p>Use: {@link #of}; null means any server will do. Else {@link #traitFromParameters}, and when
 * that is null {@link #query()} (a failed query ends with {@link #queryFailure()}) and
 * {@link #traitFromAnswer}; then {@link #rejection} says why this server will not do, or null.
 * A rejected server is left politely (Terminate) for the next host. Immutable.
 */
public final class TargetServerCheck {

    /** The server trait a target is about, and how a server without the parameters is asked. */
    private enum Trait {
        /** default_transaction_read_only or in_hot_standby: the session cannot write. */
        READ_ONLY("SHOW transaction_read_only", "\"SHOW transaction_read_only\" failed", "on"),
        /** in_hot_standby: the server is a standby in recovery. */
        HOT_STANDBY("SELECT pg_catalog.pg_is_in_recovery()", "\"SELECT pg_is_in_recovery()\" failed", "t");

        final String query;
        final String queryFailure;
        /** A query value that starts with this means the server has the trait. */
        final String presentPrefix;

        Trait(String query, String queryFailure, String presentPrefix) {
            this.query = query;
            this.queryFailure = queryFailure;
            this.presentPrefix = presentPrefix;
        }
    }

    /** libpq's server versions before 9.0 have no hot standby at all. */
    private static final int FIRST_VERSION_WITH_HOT_STANDBY = 90000;

    private final Trait trait;
    private final boolean wanted;
    private final String rejection;

    private TargetServerCheck(Trait trait, boolean wanted, String rejection) {
        this.trait = trait;
        this.wanted = wanted;
        this.rejection = rejection;
    }

    /**
     * The check for {@code accepted}, the server type one pass over the hosts accepts (a
     * prefer-standby connection asks for {@link TargetSessionAttrs#STANDBY}, then for
     * {@link TargetSessionAttrs#ANY}); null for any server.
     *
     * @throws IllegalArgumentException for {@link TargetSessionAttrs#PREFER_STANDBY}, which is two
     *     passes, not one type: the caller resolves it per pass
     */
    public static TargetServerCheck of(TargetSessionAttrs accepted) {
        return switch (accepted) {
            case ANY -> null;
            case READ_WRITE -> new TargetServerCheck(Trait.READ_ONLY, false, "session is read-only");
            case READ_ONLY -> new TargetServerCheck(Trait.READ_ONLY, true, "session is not read-only");
            case PRIMARY -> new TargetServerCheck(Trait.HOT_STANDBY, false, "server is in hot standby mode");
            case STANDBY -> new TargetServerCheck(Trait.HOT_STANDBY, true, "server is not in hot standby mode");
            case PREFER_STANDBY -> throw new IllegalArgumentException(
                    "prefer-standby is a standby pass then an any pass: check each pass's server type");
        };
    }

    /**
     * The trait as the server reported it at startup; null when only {@link #query()} can tell.
     *
     * @param parameterStatus the server's ParameterStatus values by name (null when not reported)
     * @param serverVersion the server version in libpq's numeric form
     */
    public Boolean traitFromParameters(Function<String, String> parameterStatus, int serverVersion) {
        Boolean hotStandby = flag(parameterStatus.apply("in_hot_standby"));
        if (trait == Trait.HOT_STANDBY) {
            return hotStandby == null && serverVersion < FIRST_VERSION_WITH_HOT_STANDBY ? Boolean.FALSE : hotStandby;
        }
        Boolean readOnly = flag(parameterStatus.apply("default_transaction_read_only"));
        return readOnly == null || hotStandby == null ? null : readOnly || hotStandby;
    }

    private static Boolean flag(String value) {
        return value == null ? null : value.equals("on");
    }

    /** The query whose single value tells the trait. */
    public String query() {
        return trait.query;
    }

    /** libpq's text when {@link #query()} fails, without its newline. */
    public String queryFailure() {
        return trait.queryFailure;
    }

    /** The trait as {@link #query()}'s value tells it. */
    public boolean traitFromAnswer(String value) {
        return value.startsWith(trait.presentPrefix);
    }

    /** Why a server with (or without) the trait will not do, libpq's text without its newline; null when it will. */
    public String rejection(boolean traitPresent) {
        return traitPresent == wanted ? null : rejection;
    }
}
