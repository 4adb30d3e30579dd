package io.pqbridge.adapt;

import io.pqbridge.errors.DataException;
import io.pqbridge.types.Json;
import io.pqbridge.types.Jsonb;
import io.pqbridge.errors.ProgrammingException;
import io.pqbridge.types.AdaptersMap;
import io.pqbridge.types.Cidr;
import io.pqbridge.types.Inet;
import io.pqbridge.types.Multirange;
import io.pqbridge.types.Range;
import io.pqbridge.types.Dumper;
import io.pqbridge.types.Format;
import io.pqbridge.types.Loader;
import io.pqbridge.types.TypeInfo;
import java.math.BigDecimal;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZonedDateTime;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Finds the codec of a type OID (pinned types, result columns) or of a Java value (unpinned
 * parameters and COPY values). Thread-safe; lookups by class are cached per class.
 */
final class Codecs {

    /** The codec of each scalar Java class (subclasses of BigDecimal/BigInteger too); null if none. */
    private static final ClassValue<Codec> BY_CLASS = new ClassValue<>() {
        @Override
        protected Codec computeValue(Class<?> c) {
            Codec exact = SCALARS.get(c);
            if (exact != null) {
                return exact;
            }
            if (BigDecimal.class.isAssignableFrom(c) || BigInteger.class.isAssignableFrom(c)) {
                return NumericCodec.NUMERIC;
            }
            return null;
        }
    };

    private static final Map<Class<?>, Codec> SCALARS = Map.ofEntries(
            Map.entry(Boolean.class, BoolCodec.BOOL),
            Map.entry(Byte.class, IntegerCodec.INT2),
            Map.entry(Short.class, IntegerCodec.INT2),
            Map.entry(Integer.class, IntegerCodec.INT4),
            Map.entry(Long.class, IntegerCodec.INT8),
            Map.entry(Float.class, FloatCodec.FLOAT4),
            Map.entry(Double.class, FloatCodec.FLOAT8),
            Map.entry(BigDecimal.class, NumericCodec.NUMERIC),
            Map.entry(BigInteger.class, NumericCodec.NUMERIC),
            Map.entry(String.class, TextCodec.STRING),
            Map.entry(Character.class, TextCodec.STRING),
            Map.entry(byte[].class, ByteaCodec.BYTEA),
            Map.entry(UUID.class, UuidCodec.UUID_TYPE),
            Map.entry(LocalDate.class, DateCodec.DATE),
            Map.entry(LocalTime.class, TimeCodec.TIME),
            Map.entry(OffsetTime.class, TimeTzCodec.TIMETZ),
            Map.entry(LocalDateTime.class, TimestampCodec.TIMESTAMP),
            Map.entry(OffsetDateTime.class, TimestampTzCodec.TIMESTAMPTZ),
            Map.entry(Instant.class, TimestampTzCodec.TIMESTAMPTZ),
            Map.entry(ZonedDateTime.class, TimestampTzCodec.TIMESTAMPTZ),
            Map.entry(Duration.class, IntervalCodec.INTERVAL),
            Map.entry(Json.class, JsonCodec.JSON),
            Map.entry(Jsonb.class, JsonCodec.JSONB),
            Map.entry(Inet4Address.class, InetCodec.INET),
            Map.entry(Inet6Address.class, InetCodec.INET),
            Map.entry(Inet.class, InetCodec.INET),
            Map.entry(Cidr.class, InetCodec.CIDR));

    /** The codec of each supported type OID (element types; arrays are derived). */
    private static final Map<Integer, Codec> BY_OID = Map.ofEntries(
            Map.entry(PgTypes.BOOL, BoolCodec.BOOL),
            Map.entry(PgTypes.INT2, IntegerCodec.INT2),
            Map.entry(PgTypes.INT4, IntegerCodec.INT4),
            Map.entry(PgTypes.INT8, IntegerCodec.INT8),
            Map.entry(PgTypes.OID, IntegerCodec.OID),
            Map.entry(PgTypes.FLOAT4, FloatCodec.FLOAT4),
            Map.entry(PgTypes.FLOAT8, FloatCodec.FLOAT8),
            Map.entry(PgTypes.NUMERIC, NumericCodec.NUMERIC),
            Map.entry(PgTypes.TEXT, TextCodec.TEXT_TYPE),
            Map.entry(PgTypes.VARCHAR, TextCodec.VARCHAR),
            Map.entry(PgTypes.BPCHAR, TextCodec.BPCHAR),
            Map.entry(PgTypes.NAME, TextCodec.NAME),
            Map.entry(PgTypes.CHAR, TextCodec.CHAR),
            Map.entry(PgTypes.UNKNOWN, TextCodec.UNKNOWN),
            Map.entry(PgTypes.BYTEA, ByteaCodec.BYTEA),
            Map.entry(PgTypes.UUID, UuidCodec.UUID_TYPE),
            Map.entry(PgTypes.DATE, DateCodec.DATE),
            Map.entry(PgTypes.TIME, TimeCodec.TIME),
            Map.entry(PgTypes.TIMETZ, TimeTzCodec.TIMETZ),
            Map.entry(PgTypes.TIMESTAMP, TimestampCodec.TIMESTAMP),
            Map.entry(PgTypes.TIMESTAMPTZ, TimestampTzCodec.TIMESTAMPTZ),
            Map.entry(PgTypes.INTERVAL, IntervalCodec.INTERVAL),
            Map.entry(PgTypes.JSON, JsonCodec.JSON),
            Map.entry(PgTypes.JSONB, JsonCodec.JSONB),
            Map.entry(PgTypes.INET, InetCodec.INET),
            Map.entry(RangeCodec.INT4RANGE.oid, RangeCodec.INT4RANGE),
            Map.entry(RangeCodec.INT8RANGE.oid, RangeCodec.INT8RANGE),
            Map.entry(RangeCodec.NUMRANGE.oid, RangeCodec.NUMRANGE),
            Map.entry(RangeCodec.DATERANGE.oid, RangeCodec.DATERANGE),
            Map.entry(RangeCodec.TSRANGE.oid, RangeCodec.TSRANGE),
            Map.entry(RangeCodec.TSTZRANGE.oid, RangeCodec.TSTZRANGE),
            Map.entry(MultirangeCodec.INT4MULTIRANGE.oid, MultirangeCodec.INT4MULTIRANGE),
            Map.entry(MultirangeCodec.INT8MULTIRANGE.oid, MultirangeCodec.INT8MULTIRANGE),
            Map.entry(MultirangeCodec.NUMMULTIRANGE.oid, MultirangeCodec.NUMMULTIRANGE),
            Map.entry(MultirangeCodec.DATEMULTIRANGE.oid, MultirangeCodec.DATEMULTIRANGE),
            Map.entry(MultirangeCodec.TSMULTIRANGE.oid, MultirangeCodec.TSMULTIRANGE),
            Map.entry(MultirangeCodec.TSTZMULTIRANGE.oid, MultirangeCodec.TSTZMULTIRANGE),
            Map.entry(PgTypes.CIDR, InetCodec.CIDR));

    private Codecs() {
    }

    /**
     * The codec that reads and writes exactly type {@code oid}: a supported type, an array of one
     * (or of an unsupported type, whose elements are then read as text or bytes), else the
     * {@link UnknownCodec} of that OID.
     */
    static Codec forOidOrUnknown(int oid) {
        Codec codec = BY_OID.get(oid);
        if (codec != null) {
            return codec;
        }
        int element = PgTypes.elementOid(oid);
        if (element != 0) {
            return ArrayCodec.of(forOidOrUnknown(element));
        }
        return UnknownCodec.of(oid);
    }

    /**
     * The codec of type {@code oid} for a session: the registrations of its
     * {@link AdaptContext#adapters()} first (a loader, a type added by name, an array of such a
     * type), then {@link #forOidOrUnknown(int)}.
     */
    static Codec forOid(int oid, AdaptContext ctx) {
        if (ctx.noAdapters()) {
            return forOidOrUnknown(oid);
        }
        return ctx.registered.computeIfAbsent(oid, k -> registeredForOid(oid, ctx));
    }

    private static Codec registeredForOid(int oid, AdaptContext ctx) {
        AdaptersMap adapters = ctx.adapters();
        Loader<?> text = adapters.loader(oid, Format.TEXT);
        Loader<?> binary = adapters.loader(oid, Format.BINARY);
        TypeInfo info = adapters.type(oid);
        if (text == null && binary == null) {
            TypeInfo element = adapters.typeOfArray(oid);
            if (element != null) {
                return ArrayCodec.registered(forOid(element.oid(), ctx), oid);
            }
            int builtInElement = PgTypes.elementOid(oid);
            if (builtInElement != 0 && forOid(builtInElement, ctx) instanceof RegisteredCodec e) {
                return ArrayCodec.registered(e, oid);
            }
            if (info == null && !adapters.writes(oid)) {
                return forOidOrUnknown(oid); // nothing registered concerns this type
            }
        }
        return new RegisteredCodec(oid, info == null ? null : info.name(), null, null, null, text, binary,
                forOidOrUnknown(oid), ctx);
    }

    /**
     * The codec of an unpinned, non-null Java value for a session: the dumper registered for its
     * class first, then {@link #forValue(Object)}; for a List or Java array, the array codec of its
     * elements' codec.
     */
    static Codec forValue(Object value, AdaptContext ctx) {
        if (ctx.noAdapters()) {
            return forValue(value);
        }
        if (ArrayLike.is(value)) {
            Codec element = elementCodec(value, ctx);
            if (!(element instanceof RegisteredCodec)) {
                return ArrayCodec.of(element);
            }
            TypeInfo info = ctx.adapters().type(element.oid);
            int arrayOid = info != null ? info.arrayOid() : PgTypes.arrayOid(element.oid);
            return ArrayCodec.registered(element, arrayOid == 0 ? PgTypes.TEXT_ARRAY : arrayOid);
        }
        Codec codec = byClass(value.getClass(), ctx);
        if (codec == null && (value instanceof Range<?> || value instanceof Multirange<?>)) {
            return forValue(value);
        }
        if (codec == null) {
            throw cannotAdapt(value);
        }
        return codec;
    }

    /** The codec of a scalar class: its registered dumper's, else the built-in one; null if none. Cached per session. */
    static Codec byClass(Class<?> c, AdaptContext ctx) {
        if (ctx == null || ctx.noAdapters()) {
            return BY_CLASS.get(c);
        }
        Codec found = ctx.registered.computeIfAbsent(c, k -> {
            Dumper<?> dumper = ctx.adapters().dumper(c);
            if (dumper == null) {
                Codec builtIn = BY_CLASS.get(c);
                return builtIn == null ? NONE : builtIn;
            }
            int oid = dumper.oid();
            TypeInfo info = ctx.adapters().type(oid);
            String name = info != null ? info.name() : PgTypes.name(oid);
            return new RegisteredCodec(oid, name, dumper, ctx.adapters().dumper(c, Format.TEXT),
                    ctx.adapters().dumper(c, Format.BINARY), ctx.adapters().loader(oid, Format.TEXT),
                    ctx.adapters().loader(oid, Format.BINARY), forOidOrUnknown(oid), ctx);
        });
        return found == NONE ? null : found;
    }

    /**
     * The OIDs of type names for {@code setTypes}: a type added to the session's adapters (and
     * {@code name[]} for its array), else a built-in name ({@link PgTypes#oid(String)}).
     */
    static int[] oids(String[] names, AdaptContext ctx) {
        int[] oids = new int[names.length];
        for (int i = 0; i < names.length; i++) {
            String name = names[i] == null ? "" : names[i].strip();
            boolean array = name.endsWith("[]");
            TypeInfo info = ctx.noAdapters() ? null
                    : ctx.adapters().type(array ? name.substring(0, name.length() - 2).strip() : name);
            oids[i] = info == null ? PgTypes.oid(names[i]) : array ? info.arrayOid() : info.oid();
            if (oids[i] == 0) {
                throw new ProgrammingException("the type '" + info.name() + "' has no array type");
            }
        }
        return oids;
    }

    /** Marks "no codec" in a session's cache (which cannot hold null). */
    private static final Codec NONE = UnknownCodec.of(0);

    /**
     * The codec of an unpinned, non-null Java value, by its class; for a List or Java array, the
     * array codec of its elements' type.
     *
     * @throws ProgrammingException for a class pqbridge does not convert
     */
    static Codec forValue(Object value) {
        if (ArrayLike.is(value)) {
            return ArrayCodec.of(elementCodec(value));
        }
        if (value instanceof Range<?> range) {
            return RangeCodec.forValue(range);
        }
        if (value instanceof Multirange<?> multirange) {
            return MultirangeCodec.forValue(multirange);
        }
        Codec codec = BY_CLASS.get(value.getClass());
        if (codec == null) {
            throw cannotAdapt(value);
        }
        return codec;
    }

    static ProgrammingException cannotAdapt(Object value) {
        return new ProgrammingException("cannot adapt type '" + value.getClass().getName() + "': pqbridge converts"
                + " null, Boolean, Byte, Short, Integer, Long, Float, Double, BigDecimal, BigInteger, String,"
                + " Character, byte[], UUID, LocalDate, LocalTime, OffsetTime, LocalDateTime, OffsetDateTime,"
                + " Instant, ZonedDateTime, Duration, InetAddress,"
                + " io.pqbridge.types.Json, Jsonb, Inet, Cidr, Range, Multirange, and Lists or arrays of those;"
                + " register a Dumper in conn.adapters() for any other class");
    }

    /**
     * The codec of the elements of an array-like value (psycopg's rule: the type of its non-null
     * elements, all of one type; Short, Integer and Long mixed are widened to the widest). No
     * element at all, or only nulls: the String codec, so the array goes as {@code unknown}/text[].
     */
    private static Codec elementCodec(Object array) {
        return elementCodec(array, null);
    }

    private static Codec elementCodec(Object array, AdaptContext ctx) {
        Class<?> component = array.getClass().getComponentType();
        if (component != null && component != Object.class) {
            while (component.isArray() && component != byte[].class) {
                component = component.getComponentType();
            }
            Codec byType = component.isPrimitive() ? primitive(component) : byClass(component, ctx);
            if (byType != null) {
                return byType;
            }
        }
        ElementScan scan = new ElementScan(ctx);
        scan.add(ArrayLike.indexable(array), 1);
        if (scan.mixed) {
            throw new DataException("cannot dump lists of mixed types; got: " + String.join(", ", scan.classes));
        }
        return scan.codec == null ? TextCodec.STRING : scan.codec;
    }

    /** The element type of a (nested) array-like value, found by looking at every element. */
    private static final class ElementScan {
        final AdaptContext ctx;
        Codec codec;
        boolean mixed;
        final TreeSet<String> classes = new TreeSet<>();

        ElementScan(AdaptContext ctx) {
            this.ctx = ctx;
        }

        void add(Object array, int depth) {
            if (depth > 6) {
                throw new DataException("cannot dump a list nested more than 6 levels deep (PostgreSQL's limit of"
                        + " array dimensions); is the list recursive?");
            }
            int n = ArrayLike.length(array);
            for (int i = 0; i < n; i++) {
                Object e = ArrayLike.get(array, i);
                if (e == null) {
                    continue;
                }
                if (ArrayLike.is(e)) {
                    add(ArrayLike.indexable(e), depth + 1);
                    continue;
                }
                Codec c = byClass(e.getClass(), ctx);
                if (c == null && (e instanceof Range<?> || e instanceof Multirange<?>)) {
                    c = forValue(e);
                }
                if (c == null) {
                    throw cannotAdapt(e);
                }
                classes.add(e.getClass().getSimpleName());
                if (codec == null || codec == c) {
                    codec = c;
                } else if (codec instanceof IntegerCodec a && c instanceof IntegerCodec b) {
                    codec = widest(a, b);
                } else {
                    mixed = true;
                }
            }
        }
    }

    private static IntegerCodec widest(IntegerCodec a, IntegerCodec b) {
        if (a == IntegerCodec.INT8 || b == IntegerCodec.INT8) {
            return IntegerCodec.INT8;
        }
        return a == IntegerCodec.INT4 || b == IntegerCodec.INT4 ? IntegerCodec.INT4 : IntegerCodec.INT2;
    }

    private static Codec primitive(Class<?> c) {
        if (c == int.class) {
            return IntegerCodec.INT4;
        }
        if (c == long.class) {
            return IntegerCodec.INT8;
        }
        if (c == short.class || c == byte.class) {
            return IntegerCodec.INT2;
        }
        if (c == double.class) {
            return FloatCodec.FLOAT8;
        }
        if (c == float.class) {
            return FloatCodec.FLOAT4;
        }
        if (c == boolean.class) {
            return BoolCodec.BOOL;
        }
        return TextCodec.STRING;   // char
    }
}
