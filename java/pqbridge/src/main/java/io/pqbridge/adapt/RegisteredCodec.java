package io.pqbridge.adapt;

import io.pqbridge.errors.DataException;
import io.pqbridge.errors.ProgrammingException;
import io.pqbridge.types.Dumper;
import io.pqbridge.types.Format;
import io.pqbridge.types.Loader;
import java.util.Arrays;

/**
 * A type as an {@link io.pqbridge.types.AdaptersMap} has it: the application's {@link Dumper}
 * and {@link Loader}s where it registered them, the built-in codec of the same OID (or
 * {@link UnknownCodec}) for the rest. Wrapping them in a {@link Codec} lets every path that
 * converts values (parameters, results, COPY, literals, array elements) use a registration
 * without knowing about it.
 *
 * <p>A dumper writes one format; where the other is needed (a text COPY, a literal, for a binary
 * dumper) the value goes to the built-in codec, which refuses it naming the type unless it
 * converts that class too. Made per {@link AdaptContext}, so a registration made later is seen
 * from the next statement.
 */
final class RegisteredCodec extends Codec {

    private final Codec fallback;
    private final String name;
    /** The dumper {@code %s} uses; null for a codec made for an OID. */
    private final Dumper<Object> dumper;
    /** The dumpers of the value's class in each format, for a codec made for a class. */
    private final Dumper<Object> textDumper;
    private final Dumper<Object> binaryDumper;
    private final Loader<?> textLoader;
    private final Loader<?> binaryLoader;
    /** The session: where a pinned type finds the dumper of each value's class, and what a session dumper or loader is given. */
    private final AdaptContext ctx;

    @SuppressWarnings("unchecked")
    RegisteredCodec(int oid, String name, Dumper<?> dumper, Dumper<?> textDumper, Dumper<?> binaryDumper,
            Loader<?> textLoader, Loader<?> binaryLoader, Codec fallback, AdaptContext ctx) {
        super(oid);
        this.name = name;
        this.dumper = (Dumper<Object>) dumper;
        this.textDumper = (Dumper<Object>) textDumper;
        this.binaryDumper = (Dumper<Object>) binaryDumper;
        this.textLoader = textLoader;
        this.binaryLoader = binaryLoader;
        this.fallback = fallback;
        this.ctx = ctx;
    }

    /**
     * The dumper of {@code value} in {@code format}: this codec's, else (for a pinned type) the
     * one registered for the value's class that writes this type; null when none.
     */
    private Dumper<Object> dumperFor(Object value, Format format) {
        if (dumper != null || ctx == null) {
            return format == Format.TEXT ? textDumper : binaryDumper;
        }
        Codec byClass = Codecs.byClass(value.getClass(), ctx);
        if (!(byClass instanceof RegisteredCodec r)) {
            return null;
        }
        Dumper<Object> d = format == Format.TEXT ? r.textDumper : r.binaryDumper;
        return d != null && (d.oid() == oid || d.oid() == 0) ? d : null;
    }

    /**
     * True when the value's class has a registered dumper for this type, but only in the other
     * format, and the built-in codec cannot write it either: the error then says what to register.
     */
    private boolean registeredOnly(Object value, Format missing) {
        if (!(fallback instanceof UnknownCodec)) {
            return false;
        }
        Format other = missing == Format.TEXT ? Format.BINARY : Format.TEXT;
        return dumper != null || dumperFor(value, other) != null;
    }

    @Override
    int autoFormat() {
        return dumper == null ? fallback.autoFormat() : dumper.format() == Format.BINARY ? BINARY : TEXT;
    }

    @Override
    int paramOid(int format) {
        return dumper == null ? fallback.paramOid(format) : oid;
    }

    @Override
    String typeName() {
        return name != null ? name : fallback.typeName();
    }

    @Override
    boolean acceptsStrings() {
        return dumper == null && fallback.acceptsStrings();
    }

    /** No registration changes how a value is read: the built-in codec's own ways stay exact. */
    private boolean readsAsBuiltIn() {
        return dumper == null && textLoader == null && binaryLoader == null;
    }

    @Override
    boolean transcodes() {
        return readsAsBuiltIn() && fallback.transcodes();
    }

    @Override
    void transcode(byte[] data, int offset, int length, AdaptContext ctx, ByteSink out) {
        if (!readsAsBuiltIn()) {
            throw new IllegalStateException("a registered type is not transcoded"); // transcodes() said so
        }
        fallback.transcode(data, offset, length, ctx, out);
    }

    /** The built-in codec's literal (bare numbers, its casts) unless a registered text dumper writes the value. */
    @Override
    void literal(Object value, ByteSink out, AdaptContext ctx) {
        if (dumperFor(value, Format.TEXT) == null) {
            fallback.literal(value, out, ctx);
        } else if (name == null && PgTypes.name(oid) == null) {
            ByteSink text = new ByteSink(32); // a type known by OID only: no name to cast to
            dumpText(value, text);
            Literals.quote(text.array(), 0, text.size(), out);
        } else {
            super.literal(value, out, ctx);
        }
    }

    @Override
    void text(Object value, ByteSink out) {
        Dumper<Object> dumper = dumperFor(value, Format.TEXT);
        if (dumper != null) {
            byte[] text = dumped(dumper, value, ctx);
            for (byte b : text) {
                if (b == 0) {
                    throw new DataException("the dumper of " + value.getClass().getName() + " wrote a NUL byte into the"
                            + " text of " + typeName() + ", which PostgreSQL text cannot hold");
                }
            }
            out.put(text);
            return;
        }
        if (registeredOnly(value, Format.TEXT)) {
            throw new ProgrammingException("cannot write " + value.getClass().getName() + " as " + typeName()
                    + " in text: its registered dumper writes binary; register a text dumper too, or use binary");
        }
        fallback.text(value, out);
    }

    @Override
    void binary(Object value, ByteSink out) {
        Dumper<Object> dumper = dumperFor(value, Format.BINARY);
        if (dumper != null) {
            out.put(dumped(dumper, value, ctx));
            return;
        }
        if (registeredOnly(value, Format.BINARY)) {
            throw new ProgrammingException("cannot write " + value.getClass().getName() + " as " + typeName()
                    + " in binary: its registered dumper writes text; register a binary dumper too, or use text");
        }
        fallback.binary(value, out);
    }

    private static byte[] dumped(Dumper<Object> dumper, Object value, AdaptContext ctx) {
        byte[] bytes = dumper instanceof SessionAdapters.SessionDumper<Object> session
                ? session.dump(value, ctx == null ? AdaptContext.DEFAULT : ctx) : dumper.dump(value);
        if (bytes == null) {
            throw new ProgrammingException("the dumper registered for " + value.getClass().getName() + " returned null"
                    + " for " + value + "; a dumper returns the value's bytes (NULL is sent for a null value without it)");
        }
        return bytes;
    }

    @Override
    Object loadText(byte[] data, int offset, int length, AdaptContext ctx) {
        return textLoader == null ? fallback.loadText(data, offset, length, ctx)
                : load(textLoader, Arrays.copyOfRange(data, offset, offset + length), ctx);
    }

    @Override
    Object loadBinary(byte[] data, int offset, int length, AdaptContext ctx) {
        return binaryLoader == null ? fallback.loadBinary(data, offset, length, ctx)
                : load(binaryLoader, Arrays.copyOfRange(data, offset, offset + length), ctx);
    }

    private static Object load(Loader<?> loader, byte[] data, AdaptContext ctx) {
        return loader instanceof SessionAdapters.SessionLoader<?> session ? session.load(data, ctx) : loader.load(data);
    }
}
