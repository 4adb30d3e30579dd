package io.pqbridge.pq.wire.message.backend;

/** ParameterDescription ('t'): the type OID of each parameter of a described statement. */
public record ParameterDescription(int[] typeOids) implements BackendMessage {

    public static final byte TYPE = 't';

    static ParameterDescription decode(MessageCursor in) throws MalformedMessageException {
        int count = in.int16() & 0xffff;
        int[] oids = new int[count];
        for (int i = 0; i < count; i++) {
            oids[i] = in.int32();
        }
        in.expectEnd();
        return new ParameterDescription(oids);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParameterDescription p && java.util.Arrays.equals(p.typeOids, typeOids);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(typeOids);
    }

    @Override
    public String toString() {
        return "ParameterDescription" + java.util.Arrays.toString(typeOids);
    }
}
