package io.pqbridge.types;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Which {@link Dumper} writes each Java class and which {@link Loader} reads each PostgreSQL type
 * (psycopg's {@code AdaptersMap}), and the {@link TypeInfo}s of types pqbridge does not know by
 * itself. There is one {@link #global()} map, and one per connection
 * ({@code Connection.adapters()}) that starts empty and sees the global one: a lookup asks the
 * connection's map, then the global one, then pqbridge's built-in conversions (the package
 * comment of {@code io.pqbridge} lists them). So a registration can add a type or replace a
 * built-in conversion, for one connection or for all.
 *
 * <p>Thread-safe: registrations replace immutable tables, so a lookup never sees half of one.
 * A registration takes effect from the next statement (or COPY) on the connections that see the
 * map; what is running keeps the conversions it started with.
 */
public final class AdaptersMap {

    private static final AtomicLong STAMPS = new AtomicLong();
    private static final AdaptersMap GLOBAL = new AdaptersMap(null);

    private final AdaptersMap parent;
    private volatile Tables tables = new Tables(Map.of(), Map.of(), Map.of(), Map.of(), Map.of());
    private volatile long stamp;

    private record Tables(Map<Class<?>, Dumpers> dumpers, Map<Long, Loader<?>> loaders, Map<String, TypeInfo> byName,
            Map<Integer, TypeInfo> byOid, Map<Integer, TypeInfo> byArrayOid) {
    }

    /** A class's dumpers: one per format, and the one registered last, which {@code %s} uses. */
    private record Dumpers(Dumper<?> text, Dumper<?> binary, Dumper<?> last) {
        Dumper<?> get(Format format) {
            return format == null ? last : format == Format.TEXT ? text : binary;
        }
    }

    /**
     * A map that sees {@code parent}'s registrations under its own (psycopg's
     * {@code AdaptersMap(template)}, without the copy: later registrations in the parent show).
     *
     * @param parent the map consulted after this one; null for none
     */
    public AdaptersMap(AdaptersMap parent) {
        this.parent = parent;
    }

    /** {@return the map every connection sees (psycopg's {@code psycopg.adapters})} */
    public static AdaptersMap global() {
        return GLOBAL;
    }

    /**
     * Makes {@code dumper} write values of {@code type} and of its subclasses in its format
     * (psycopg's {@code register_dumper}), replacing what wrote them in that format before in this
     * map. A class may have a dumper for each format: a {@code %s} parameter uses the one
     * registered last, a text COPY or a literal the text one, a binary COPY the binary one.
     *
     * @param <T> the class
     * @param type the class, or an interface its values implement
     * @param dumper writes them
     */
    public synchronized <T> void registerDumper(Class<T> type, Dumper<? super T> dumper) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(dumper, "dumper");
        Map<Class<?>, Dumpers> dumpers = new HashMap<>(tables.dumpers);
        Dumpers old = dumpers.getOrDefault(type, new Dumpers(null, null, null));
        Format format = Objects.requireNonNull(dumper.format(), "the dumper's format");
        dumpers.put(type, format == Format.TEXT ? new Dumpers(dumper, old.binary, dumper)
                : new Dumpers(old.text, dumper, dumper));
        publish(new Tables(Map.copyOf(dumpers), tables.loaders, tables.byName, tables.byOid, tables.byArrayOid));
    }

    /**
     * Makes {@code loader} read type {@code oid} in {@code format} (psycopg's
     * {@code register_loader}), replacing what read it before in this map.
     *
     * @param oid the type's OID
     * @param format the format the loader reads
     * @param loader reads the values
     */
    public synchronized void registerLoader(int oid, Format format, Loader<?> loader) {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(loader, "loader");
        Map<Long, Loader<?>> loaders = new HashMap<>(tables.loaders);
        loaders.put(key(oid, format), loader);
        publish(new Tables(tables.dumpers, Map.copyOf(loaders), tables.byName, tables.byOid, tables.byArrayOid));
    }

    /**
     * Adds a type's name and OIDs (psycopg's {@code adapters.types.add()}): its name then works
     * in COPY {@code setTypes}, and arrays of it are read and written element by element with the
     * type's own loaders and dumpers.
     *
     * @param info the type
     */
    public synchronized void addType(TypeInfo info) {
        Objects.requireNonNull(info, "info");
        Map<String, TypeInfo> byName = new HashMap<>(tables.byName);
        Map<Integer, TypeInfo> byOid = new HashMap<>(tables.byOid);
        Map<Integer, TypeInfo> byArrayOid = new HashMap<>(tables.byArrayOid);
        byName.put(info.name(), info);
        byOid.put(info.oid(), info);
        if (info.arrayOid() != 0) {
            byArrayOid.put(info.arrayOid(), info);
        }
        publish(new Tables(tables.dumpers, tables.loaders, Map.copyOf(byName), Map.copyOf(byOid),
                Map.copyOf(byArrayOid)));
    }

    /**
     * {@return the dumper registered last for {@code type}, its closest superclass, or an
     * interface it implements, here or in the parent; null when none}
     *
     * @param type the class of a value
     */
    public Dumper<?> dumper(Class<?> type) {
        return dumper(type, null);
    }

    /**
     * {@return the dumper registered for {@code type} (or its closest superclass, or an interface
     * it implements) in {@code format}, here or in the parent; null when none}
     *
     * @param type the class of a value
     * @param format the format wanted; null for the one registered last
     */
    public Dumper<?> dumper(Class<?> type, Format format) {
        Map<Class<?>, Dumpers> dumpers = tables.dumpers;
        if (!dumpers.isEmpty()) {
            Dumper<?> found = closest(dumpers, type, format);
            if (found != null) {
                return found;
            }
        }
        return parent == null ? null : parent.dumper(type, format);
    }

    /**
     * {@return true when a dumper registered here or in the parent writes type {@code oid}}
     *
     * @param oid a type's OID
     */
    public boolean writes(int oid) {
        for (Dumpers d : tables.dumpers.values()) {
            for (Dumper<?> dumper : new Dumper<?>[] {d.text, d.binary}) {
                if (dumper != null && dumper.oid() == oid) {
                    return true;
                }
            }
        }
        return parent != null && parent.writes(oid);
    }

    /**
     * {@return the loader registered for type {@code oid} in {@code format}, here or in the
     * parent; null when none}
     *
     * @param oid the type's OID
     * @param format the format of the values
     */
    public Loader<?> loader(int oid, Format format) {
        Loader<?> found = tables.loaders.get(key(oid, format));
        if (found != null || parent == null) {
            return found;
        }
        return parent.loader(oid, format);
    }

    /**
     * {@return the type added under {@code name}, here or in the parent; null when none}
     *
     * @param name the type's name
     */
    public TypeInfo type(String name) {
        TypeInfo found = tables.byName.get(name);
        return found != null || parent == null ? found : parent.type(name);
    }

    /**
     * {@return the type added with OID {@code oid}, here or in the parent; null when none}
     *
     * @param oid the type's OID
     */
    public TypeInfo type(int oid) {
        TypeInfo found = tables.byOid.get(oid);
        return found != null || parent == null ? found : parent.type(oid);
    }

    /**
     * {@return the type whose array type has OID {@code arrayOid}, here or in the parent; null
     * when none}
     *
     * @param arrayOid an array type's OID
     */
    public TypeInfo typeOfArray(int arrayOid) {
        TypeInfo found = tables.byArrayOid.get(arrayOid);
        return found != null || parent == null ? found : parent.typeOfArray(arrayOid);
    }

    /**
     * {@return a number that grows whenever this map or its parent changes}: what was looked up
     * at an older version may be out of date
     */
    public long version() {
        return parent == null ? stamp : Math.max(stamp, parent.version());
    }

    /** {@return true when neither this map nor its parent holds anything} */
    public boolean isEmpty() {
        Tables t = tables;
        return t.dumpers.isEmpty() && t.loaders.isEmpty() && t.byOid.isEmpty() && (parent == null || parent.isEmpty());
    }

    private void publish(Tables next) {
        tables = next;
        stamp = STAMPS.incrementAndGet();
    }

    private static long key(int oid, Format format) {
        return ((long) oid << 1) | format.ordinal();
    }

    /** The dumper of the class, else of its nearest superclass, else of an interface (breadth first). */
    private static Dumper<?> closest(Map<Class<?>, Dumpers> dumpers, Class<?> type, Format format) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            Dumpers d = dumpers.get(c);
            if (d != null && d.get(format) != null) {
                return d.get(format);
            }
        }
        Deque<Class<?>> queue = new ArrayDeque<>();
        Set<Class<?>> seen = new HashSet<>();
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            queue.add(c);
        }
        while (!queue.isEmpty()) {
            for (Class<?> i : queue.poll().getInterfaces()) {
                if (seen.add(i)) {
                    Dumpers d = dumpers.get(i);
                    if (d != null && d.get(format) != null) {
                        return d.get(format);
                    }
                    queue.add(i);
                }
            }
        }
        return null;
    }

    @Override
    public String toString() {
        Tables t = tables;
        return "AdaptersMap[" + t.dumpers.size() + " dumpers, " + t.loaders.size() + " loaders, " + t.byOid.size()
                + " types" + (parent == null ? "" : ", then " + (parent == GLOBAL ? "the global map" : parent)) + "]";
    }
}
