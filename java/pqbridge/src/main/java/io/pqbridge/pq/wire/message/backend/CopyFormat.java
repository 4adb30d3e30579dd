package io.pqbridge.pq.wire.message.backend;

/**
 * The body shared by CopyInResponse, CopyOutResponse and CopyBothResponse: the overall format
 * (0 text, 1 binary) and one format code per column.
 */
public record CopyFormat(int overallFormat, int[] columnFormats) {

    static CopyFormat decode(MessageCursor in) throws MalformedMessageException {
        int overall = in.int8();
        int columns = in.int16() & 0xffff;
        int[] formats = new int[columns];
        for (int i = 0; i < formats.length; i++) {
            formats[i] = in.int16();
        }
        in.expectEnd();
        return new CopyFormat(overall, formats);
    }

    public boolean binary() {
        return overallFormat != 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CopyFormat f && f.overallFormat == overallFormat
                && java.util.Arrays.equals(f.columnFormats, columnFormats);
    }

    @Override
    public int hashCode() {
        return 31 * overallFormat + java.util.Arrays.hashCode(columnFormats);
    }

    @Override
    public String toString() {
        return "CopyFormat[" + overallFormat + ", " + java.util.Arrays.toString(columnFormats) + "]";
    }
}
