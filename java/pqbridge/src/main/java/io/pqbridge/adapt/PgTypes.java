package io.pqbridge.adapt;

import io.pqbridge.errors.ProgrammingException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The built-in PostgreSQL types by name and OID (psycopg's {@code TypesRegistry} of builtins,
 * generated there from PostgreSQL 17), with the array type of each.
 *
 * <p>Names accepted by {@link #oid(String)}: the type name ({@code "int4"}, {@code "timestamptz"},
 * {@code "\"char\""}), the SQL name PostgreSQL prints for it ({@code "integer"},
 * {@code "timestamp with time zone"}, {@code "character varying"}), the common SQL synonyms
 * {@code "int"}, {@code "decimal"}, {@code "float"}, {@code "char"} (which is {@code bpchar},
 * as in SQL); an array is any of those followed by {@code []} ({@code "int4[]"},
 * {@code "integer[]"}) or the internal array name ({@code "_int4"}). Case and surrounding blanks
 * do not matter.
 *
 * <p>Immutable and thread-safe. The OID constants name the types this package converts.
 */
public final class PgTypes {

    /** The OID of {@code bool} ({@code boolean}). */
    public static final int BOOL = 16;
    /** The OID of {@code bytea}. */
    public static final int BYTEA = 17;
    /** The OID of {@code "char"} (the one-byte internal type, not {@code char(n)}). */
    public static final int CHAR = 18;
    /** The OID of {@code name}. */
    public static final int NAME = 19;
    /** The OID of {@code int8} ({@code bigint}). */
    public static final int INT8 = 20;
    /** The OID of {@code int2} ({@code smallint}). */
    public static final int INT2 = 21;
    /** The OID of {@code int4} ({@code integer}). */
    public static final int INT4 = 23;
    /** The OID of {@code text}. */
    public static final int TEXT = 25;
    /** The OID of {@code oid}. */
    public static final int OID = 26;
    /** The OID of {@code json}. */
    public static final int JSON = 114;
    /** The OID of {@code float4} ({@code real}). */
    public static final int FLOAT4 = 700;
    /** The OID of {@code float8} ({@code double precision}). */
    public static final int FLOAT8 = 701;
    /** The OID of {@code unknown} (an untyped literal; the server infers the type). */
    public static final int UNKNOWN = 705;
    /** The OID of {@code bpchar} ({@code char(n)}). */
    public static final int BPCHAR = 1042;
    /** The OID of {@code varchar} ({@code character varying}). */
    public static final int VARCHAR = 1043;
    /** The OID of {@code date}. */
    public static final int DATE = 1082;
    /** The OID of {@code time}. */
    public static final int TIME = 1083;
    /** The OID of {@code timestamp}. */
    public static final int TIMESTAMP = 1114;
    /** The OID of {@code timestamptz} ({@code timestamp with time zone}). */
    public static final int TIMESTAMPTZ = 1184;
    /** The OID of {@code interval}. */
    public static final int INTERVAL = 1186;
    /** The OID of {@code timetz} ({@code time with time zone}). */
    public static final int TIMETZ = 1266;
    /** The OID of {@code numeric}. */
    public static final int NUMERIC = 1700;
    /** The OID of {@code uuid}. */
    public static final int UUID = 2950;
    /** The OID of {@code inet}. */
    public static final int INET = 869;
    /** The OID of {@code cidr}. */
    public static final int CIDR = 650;
    /** The OID of {@code jsonb}. */
    public static final int JSONB = 3802;
    /** The OID of {@code text[]}. */
    public static final int TEXT_ARRAY = 1009;

    private record Type(String name, int oid, int arrayOid) {
    }

    private static final Map<String, Type> BY_NAME = new HashMap<>();
    private static final Map<Integer, Type> BY_OID = new HashMap<>();
    private static final Map<Integer, Type> BY_ARRAY_OID = new HashMap<>();
    /** Internal array names: {@code "_int4"} → 1007. */
    private static final Map<String, Integer> ARRAY_NAMES = new HashMap<>();

    static {
        add("\"char\"", CHAR, 1002);
        add("aclitem", 1033, 1034);
        add("bit", 1560, 1561);
        add("bool", BOOL, 1000, "boolean");
        add("box", 603, 1020);
        add("bpchar", BPCHAR, 1014, "character", "char");
        add("bytea", BYTEA, 1001);
        add("cid", 29, 1012);
        add("cidr", 650, 651);
        add("circle", 718, 719);
        add("date", DATE, 1182);
        add("float4", FLOAT4, 1021, "real");
        add("float8", FLOAT8, 1022, "double precision", "float");
        add("gtsvector", 3642, 3644);
        add("inet", 869, 1041);
        add("int2", INT2, 1005, "smallint");
        add("int2vector", 22, 1006);
        add("int4", INT4, 1007, "integer", "int");
        add("int8", INT8, 1016, "bigint");
        add("interval", INTERVAL, 1187);
        add("json", JSON, 199);
        add("jsonb", JSONB, 3807);
        add("jsonpath", 4072, 4073);
        add("line", 628, 629);
        add("lseg", 601, 1018);
        add("macaddr", 829, 1040);
        add("macaddr8", 774, 775);
        add("money", 790, 791);
        add("name", NAME, 1003);
        add("numeric", NUMERIC, 1231, "decimal");
        add("oid", OID, 1028);
        add("oidvector", 30, 1013);
        add("path", 602, 1019);
        add("pg_lsn", 3220, 3221);
        add("point", 600, 1017);
        add("polygon", 604, 1027);
        add("record", 2249, 2287);
        add("refcursor", 1790, 2201);
        add("regclass", 2205, 2210);
        add("regcollation", 4191, 4192);
        add("regconfig", 3734, 3735);
        add("regdictionary", 3769, 3770);
        add("regnamespace", 4089, 4090);
        add("regoper", 2203, 2208);
        add("regoperator", 2204, 2209);
        add("regproc", 24, 1008);
        add("regprocedure", 2202, 2207);
        add("regrole", 4096, 4097);
        add("regtype", 2206, 2211);
        add("text", TEXT, TEXT_ARRAY);
        add("tid", 27, 1010);
        add("time", TIME, 1183, "time without time zone");
        add("timestamp", TIMESTAMP, 1115, "timestamp without time zone");
        add("timestamptz", TIMESTAMPTZ, 1185, "timestamp with time zone");
        add("timetz", TIMETZ, 1270, "time with time zone");
        add("tsquery", 3615, 3645);
        add("tsvector", 3614, 3643);
        add("txid_snapshot", 2970, 2949);
        add("unknown", UNKNOWN, 0);
        add("uuid", UUID, 2951);
        add("varbit", 1562, 1563, "bit varying");
        add("varchar", VARCHAR, 1015, "character varying");
        add("xid", 28, 1011);
        add("xid8", 5069, 271);
        add("xml", 142, 143);
        add("daterange", 3912, 3913);
        add("int4range", 3904, 3905);
        add("int8range", 3926, 3927);
        add("numrange", 3906, 3907);
        add("tsrange", 3908, 3909);
        add("tstzrange", 3910, 3911);
        add("datemultirange", 4535, 6155);
        add("int4multirange", 4451, 6150);
        add("int8multirange", 4536, 6157);
        add("nummultirange", 4532, 6151);
        add("tsmultirange", 4533, 6152);
        add("tstzmultirange", 4534, 6153);
    }

    private static void add(String name, int oid, int arrayOid, String... aliases) {
        Type t = new Type(name, oid, arrayOid);
        BY_NAME.put(name, t);
        for (String alias : aliases) {
            BY_NAME.put(alias, t);
        }
        BY_OID.put(oid, t);
        if (arrayOid != 0) {
            BY_ARRAY_OID.put(arrayOid, t);
            ARRAY_NAMES.put("_" + name.replace("\"", ""), arrayOid);
        }
    }

    private PgTypes() {
    }

    /**
     * The OID of a type name (see the class comment for the names accepted).
     *
     * @param name a type name, an SQL name or synonym, an array name
     * @return the type's OID
     * @throws ProgrammingException for a name that is not a built-in type, or null
     */
    public static int oid(String name) {
        String key = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        boolean array = key.endsWith("[]");
        if (array) {
            key = key.substring(0, key.length() - 2).strip();
        }
        Type t = BY_NAME.get(key);
        if (array && t != null && t.arrayOid() != 0) {
            return t.arrayOid();
        }
        if (!array) {
            if (t != null) {
                return t.oid();
            }
            Integer arrayOid = ARRAY_NAMES.get(key);
            if (arrayOid != null) {
                return arrayOid;
            }
        }
        throw new ProgrammingException("unknown type name '" + name + "': pqbridge knows the built-in PostgreSQL"
                + " types by name ('int4', 'integer', 'int4[]', '_int4', 'timestamptz', 'jsonb'...); give the OID"
                + " of any other type instead");
    }

    /**
     * The OIDs of several type names, in order (for {@code setTypes}).
     *
     * @param names type names, as {@link #oid(String)} takes them
     * @return their OIDs, in the same order
     * @throws ProgrammingException for a name that is not a built-in type
     */
    public static int[] oids(String... names) {
        int[] oids = new int[names.length];
        for (int i = 0; i < names.length; i++) {
            oids[i] = oid(names[i]);
        }
        return oids;
    }

    /**
     * The name of a type.
     *
     * @param oid a type OID
     * @return {@code "int4"}, {@code "int4[]"} for its array; null for an OID that is not a
     *     built-in type
     */
    public static String name(int oid) {
        Type t = BY_OID.get(oid);
        if (t != null) {
            return t.name();
        }
        t = BY_ARRAY_OID.get(oid);
        return t == null ? null : t.name() + "[]";
    }

    /**
     * The array type of a type.
     *
     * @param elementOid the element type's OID
     * @return the OID of its array type, 0 if there is none or the type is unknown
     */
    public static int arrayOid(int elementOid) {
        Type t = BY_OID.get(elementOid);
        return t == null ? 0 : t.arrayOid();
    }

    /**
     * The element type of an array type.
     *
     * @param arrayOid the array type's OID
     * @return the OID of its element type, 0 when it is not a built-in array type
     */
    public static int elementOid(int arrayOid) {
        Type t = BY_ARRAY_OID.get(arrayOid);
        return t == null ? 0 : t.oid();
    }
}
