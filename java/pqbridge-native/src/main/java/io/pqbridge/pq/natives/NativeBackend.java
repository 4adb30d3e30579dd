package io.pqbridge.pq.natives;

import io.pqbridge.pq.PgBackend;
import io.pqbridge.pq.PgConn;
import io.pqbridge.pq.PgConninfoOption;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The {@code native} backend: libpq itself, through the JNI shim. Constructing it loads the JNI
 * library (and with it the system {@code libpq.so.5}); {@link io.pqbridge.pq.Pq} does that once
 * and reports a {@link LinkageError} as the backend being unavailable.
 */
public final class NativeBackend implements PgBackend {

    private final int libpqVersion;

    /**
     * Loads the JNI library, once per class loader, and reads the runtime libpq's version.
     *
     * @throws LinkageError when the JNI library or the system {@code libpq.so.5} cannot be loaded
     */
    public NativeBackend() {
        PqShim.load();
        this.libpqVersion = PqShim.pqs_lib_version();
    }

    @Override
    public String name() {
        return "native";
    }

    @Override
    public PgConn connect(String conninfo) {
        long handle = PqShim.pqs_connect(NativePgConn.cString(conninfo == null ? "" : conninfo));
        if (handle == 0) {
            throw new OutOfMemoryError("libpq could not allocate a connection object");
        }
        return new NativePgConn(handle);
    }

    @Override
    public List<PgConninfoOption> conninfoParse(String conninfo) {
        byte[] text = NativePgConn.cString(conninfo == null ? "" : conninfo);
        int[] failed = new int[1];
        byte[] buf = new byte[1024];
        int size = PqShim.pqs_conninfo_parse(text, buf, buf.length, failed);
        if (size > buf.length) {
            buf = new byte[size];
            size = PqShim.pqs_conninfo_parse(text, buf, buf.length, failed);
        }
        if (failed[0] != 0) {
            throw new IllegalArgumentException(new String(buf, 0, size, StandardCharsets.UTF_8));
        }
        return ResultDecoder.options(buf, size);
    }

    @Override
    public List<PgConninfoOption> conninfoDefaults() {
        byte[] buf = new byte[4096];
        int size = PqShim.pqs_conndefaults(buf, buf.length);
        if (size > buf.length) {
            buf = new byte[size];
            size = PqShim.pqs_conndefaults(buf, buf.length);
        }
        return size < 0 ? List.of() : ResultDecoder.options(buf, size);
    }

    @Override
    public int libpqVersion() {
        return libpqVersion;
    }

    @Override
    public String toString() {
        return name();
    }
}
