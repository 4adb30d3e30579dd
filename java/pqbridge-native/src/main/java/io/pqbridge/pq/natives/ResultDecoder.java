package io.pqbridge.pq.natives;

import io.pqbridge.pq.PgExecStatus;
import io.pqbridge.pq.PgNotify;
import io.pqbridge.pq.PgResult;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads what the shim serialised (layout documented at the top of {@code native/pqshim.c}): whole
 * results, the notice/notification records of the event queue, and connection options. The buffer must be in native
 * byte order; reading advances its position.
 */
final class ResultDecoder {

    static final int TAG_NOTICE = 'N';
    static final int TAG_NOTIFY = 'A';

    private ResultDecoder() {
    }

    static PgResult result(ByteBuffer in) {
        PgExecStatus status = PgExecStatus.of(in.getInt());
        int ntuples = in.getInt();
        int nfields = in.getInt();
        PgResult.Builder result = PgResult.builder(status).binaryTuples(in.getInt() != 0).expectFields(nfields);
        int nparams = in.getInt();
        if (nparams > 0) {
            int[] paramTypes = new int[nparams];
            for (int i = 0; i < nparams; i++) {
                paramTypes[i] = in.getInt();
            }
            result.paramTypes(paramTypes);
        }
        for (int i = 0; i < nfields; i++) {
            int type = in.getInt();
            int table = in.getInt();
            int tableColumn = in.getInt();
            int format = in.getInt();
            int typmod = in.getInt();
            int size = in.getInt();
            result.field(string(in), table, tableColumn, type, size, typmod, format);
        }
        result.cmdStatus(string(in)).errorMessage(string(in));
        int errorFields = in.getInt();
        for (int i = 0; i < errorFields; i++) {
            char code = (char) in.getInt();
            result.errorField(code, string(in));
        }
        if (nfields > 0) {
            result.expectData(ntuples, in.remaining() - 4 * ntuples * nfields);
            for (int i = ntuples * nfields; i > 0; i--) {
                result.value(in, in.getInt());
            }
        }
        return result.build();
    }

    static PgNotify notification(ByteBuffer in) {
        int pid = in.getInt();
        String channel = string(in);
        String payload = string(in);
        return new PgNotify(channel, pid, payload == null ? "" : payload);
    }

    /** keyword NUL value NUL pairs, as the shim writes connection options. */
    static java.util.List<io.pqbridge.pq.PgConninfoOption> options(byte[] bytes, int size) {
        java.util.List<io.pqbridge.pq.PgConninfoOption> options = new java.util.ArrayList<>();
        int start = 0;
        String keyword = null;
        for (int i = 0; i < size; i++) {
            if (bytes[i] == 0) {
                String text = new String(bytes, start, i - start, StandardCharsets.UTF_8);
                if (keyword == null) {
                    keyword = text;
                } else {
                    options.add(new io.pqbridge.pq.PgConninfoOption(keyword, text));
                    keyword = null;
                }
                start = i + 1;
            }
        }
        return java.util.Collections.unmodifiableList(options);
    }

    static String string(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0) {
            return null;
        }
        if (in.hasArray()) {
            String s = new String(in.array(), in.arrayOffset() + in.position(), length, StandardCharsets.UTF_8);
            in.position(in.position() + length);
            return s;
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
