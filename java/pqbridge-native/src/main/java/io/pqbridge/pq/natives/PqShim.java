package io.pqbridge.pq.natives;

import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import org.bytedeco.javacpp.annotation.Cast;
import org.bytedeco.javacpp.annotation.NoException;
import org.bytedeco.javacpp.annotation.Platform;

/**
 * The JNI binding of {@code native/pqshim.h}, generated and compiled by JavaCPP's builder into
 * {@code libjniPqShim.so}, which is linked against the static shim and the system
 * {@code libpq.so.5}.
 *
 * <p>Handles cross as plain {@code long}s: only {@link NativeSteps} (under its connection's lock)
 * and {@link NativeCancel} (under its own) hold them, and forget them before freeing. Strings go in as NUL-terminated
 * UTF-8 {@code byte[]}; data goes through {@link ByteBuffer}s, whose position JavaCPP adds to the
 * address (a heap buffer is copied, a direct one is not). The shim is C and never throws, hence
 * {@link NoException} on the whole class.
 */
@Platform(include = "pqshim.h", link = "pq@.5")
@NoException
final class PqShim {

    static {
        JniLibrary.load();
    }

    private PqShim() {
    }

    /** Forces the class (and so the JNI library) to load; throws a LinkageError if it cannot. */
    static void load() {
        // the static initialiser does the work
    }

    static native int pqs_lib_version();

    static native @Cast("intptr_t") long pqs_connect(@Cast("const char*") byte[] conninfo);

    static native void pqs_finish(@Cast("pqs_conn*") long c);

    static native int pqs_trace_pipe(@Cast("pqs_conn*") long c, int flags);

    static native void pqs_untrace(@Cast("pqs_conn*") long c);

    static native void pqs_close_fd(int fd);

    static native int pqs_status(@Cast("pqs_conn*") long c);

    static native int pqs_transaction_status(@Cast("pqs_conn*") long c);

    static native int pqs_backend_pid(@Cast("pqs_conn*") long c);

    static native int pqs_server_version(@Cast("pqs_conn*") long c);

    static native int pqs_protocol_version(@Cast("pqs_conn*") long c);

    static native int pqs_full_protocol_version(@Cast("pqs_conn*") long c);

    static native int pqs_error_message(@Cast("pqs_conn*") long c, @Cast("char*") ByteBuffer buf, int cap);

    static native int pqs_parameter_status(@Cast("pqs_conn*") long c, @Cast("const char*") byte[] name,
            @Cast("char*") ByteBuffer buf, int cap);

    static native int pqs_parameter_statuses(@Cast("pqs_conn*") long c, @Cast("const char*") byte[] names, int count,
            @Cast("char*") ByteBuffer buf, int cap);

    static native int pqs_conninfo(@Cast("pqs_conn*") long c, @Cast("char*") ByteBuffer buf, int cap);

    static native int pqs_conninfo_parse(@Cast("const char*") byte[] conninfo, @Cast("char*") byte[] buf, int cap,
            @Cast("int*") int[] failed);

    static native int pqs_conndefaults(@Cast("char*") byte[] buf, int cap);

    static native int pqs_send_query(@Cast("pqs_conn*") long c, @Cast("const char*") byte[] sql);

    static native int pqs_send_query_params(@Cast("pqs_conn*") long c, @Cast("const char*") byte[] sql, int n,
            @Cast("const unsigned int*") int[] types, @Cast("const char*") ByteBuffer values,
            @Cast("const int*") int[] lengths, @Cast("const int*") int[] formats, int resultFormat);

    static native int pqs_send_prepare(@Cast("pqs_conn*") long c, @Cast("const char*") byte[] name,
            @Cast("const char*") byte[] sql, int n, @Cast("const unsigned int*") int[] types);

    static native int pqs_send_query_prepared(@Cast("pqs_conn*") long c, @Cast("const char*") byte[] name, int n,
            @Cast("const char*") ByteBuffer values, @Cast("const int*") int[] lengths,
            @Cast("const int*") int[] formats, int resultFormat);

    static native int pqs_send_describe_prepared(@Cast("pqs_conn*") long c, @Cast("const char*") byte[] name);

    static native int pqs_send_describe_portal(@Cast("pqs_conn*") long c, @Cast("const char*") byte[] name);

    static native int pqs_send_close_prepared(@Cast("pqs_conn*") long c, @Cast("const char*") byte[] name);

    static native int pqs_send_close_portal(@Cast("pqs_conn*") long c, @Cast("const char*") byte[] name);

    static native int pqs_close_sends_close_message();

    static native int pqs_set_single_row_mode(@Cast("pqs_conn*") long c);

    static native int pqs_set_chunked_rows_mode(@Cast("pqs_conn*") long c, int chunkSize);

    static native int pqs_enter_pipeline_mode(@Cast("pqs_conn*") long c);

    static native int pqs_exit_pipeline_mode(@Cast("pqs_conn*") long c);

    static native int pqs_pipeline_sync(@Cast("pqs_conn*") long c);

    static native int pqs_send_flush_request(@Cast("pqs_conn*") long c);

    static native int pqs_pipeline_status(@Cast("pqs_conn*") long c);

    static native int pqs_exec_start(@Cast("pqs_conn*") long c);

    static native int pqs_wait_result(@Cast("pqs_conn*") long c, int sliceMs);

    static native int pqs_wait_input(@Cast("pqs_conn*") long c, int sliceMs);

    static native int pqs_next_result(@Cast("pqs_conn*") long c);

    static native int pqs_take_result(@Cast("pqs_conn*") long c, @Cast("char*") ByteBuffer buf, int cap);

    static native int pqs_put_copy_data(@Cast("pqs_conn*") long c, @Cast("const char*") ByteBuffer buf, int len,
            int sliceMs);

    static native int pqs_put_copy_end(@Cast("pqs_conn*") long c, @Cast("const char*") byte[] errmsg);

    static native int pqs_flush(@Cast("pqs_conn*") long c, int sliceMs);

    static native int pqs_get_copy_data(@Cast("pqs_conn*") long c, @Cast("char*") ByteBuffer dst, int cap,
            @Cast("int*") IntBuffer lengths, int maxMsgs, int sliceMs);

    static native int pqs_pending_copy_length(@Cast("pqs_conn*") long c);

    static native int pqs_events_size(@Cast("pqs_conn*") long c);

    static native int pqs_take_events(@Cast("pqs_conn*") long c, @Cast("char*") ByteBuffer buf, int cap);

    static native @Cast("intptr_t") long pqs_cancel_create(@Cast("pqs_conn*") long c);

    static native int pqs_cancel_send(@Cast("pqs_cancel*") long k, @Cast("char*") byte[] errbuf, int cap);

    static native int pqs_cancel_within(@Cast("pqs_cancel*") long k, int timeoutMillis, @Cast("char*") byte[] errbuf,
            int cap);

    static native void pqs_cancel_free(@Cast("pqs_cancel*") long k);
}
