package io.pqbridge.pq.wire.tls;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The little DER this package reads and writes itself: walking certificate names and
 * alternative names byte for byte (libpq compares the raw bytes OpenSSL gives it), and wrapping
 * PKCS#1 and SEC1 private keys into PKCS#8 for the JDK's key factories. Single-byte tags only;
 * malformed input throws {@link IllegalArgumentException}.
 */
final class Der {

    static final int INTEGER = 0x02;
    static final int BIT_STRING = 0x03;
    static final int OCTET_STRING = 0x04;
    static final int NULL = 0x05;
    static final int OID = 0x06;
    static final int SEQUENCE = 0x30;
    static final int SET = 0x31;

    private Der() {
    }

    /** One element: its tag and where its content lies in {@code source}. */
    record Element(int tag, byte[] source, int start, int contentStart, int end) {

        byte[] content() {
            return Arrays.copyOfRange(source, contentStart, end);
        }

        byte[] encoded() {
            return Arrays.copyOfRange(source, start, end);
        }

        /** The elements inside a constructed element (SEQUENCE, SET, [n] EXPLICIT, OCTET STRING wrapper). */
        List<Element> children() {
            return Der.elements(source, contentStart, end);
        }
    }

    /** The single element encoded by {@code der}. */
    static Element parse(byte[] der) {
        List<Element> all = elements(der, 0, der.length);
        if (all.size() != 1) {
            throw new IllegalArgumentException("expected one DER element, found " + all.size());
        }
        return all.get(0);
    }

    static List<Element> elements(byte[] source, int from, int to) {
        List<Element> out = new ArrayList<>();
        int position = from;
        while (position < to) {
            int start = position;
            int tag = source[position++] & 0xff;
            if ((tag & 0x1f) == 0x1f) {
                throw new IllegalArgumentException("multi-byte DER tags are not supported");
            }
            if (position >= to) {
                throw new IllegalArgumentException("truncated DER length");
            }
            int length = source[position++] & 0xff;
            if (length >= 0x80) {
                int count = length & 0x7f;
                if (count == 0 || count > 3 || position + count > to) {
                    throw new IllegalArgumentException("unsupported DER length");
                }
                length = 0;
                for (int i = 0; i < count; i++) {
                    length = (length << 8) | (source[position++] & 0xff);
                }
            }
            if (position + length > to) {
                throw new IllegalArgumentException("truncated DER element");
            }
            out.add(new Element(tag, source, start, position, position + length));
            position += length;
        }
        return out;
    }

    /** Encodes {@code tag} with the concatenated {@code contents}. */
    static byte[] tlv(int tag, byte[]... contents) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] content : contents) {
            body.writeBytes(content);
        }
        int length = body.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream(length + 6);
        out.write(tag);
        if (length < 0x80) {
            out.write(length);
        } else if (length < 0x100) {
            out.write(0x81);
            out.write(length);
        } else if (length < 0x10000) {
            out.write(0x82);
            out.write(length >> 8);
            out.write(length);
        } else {
            out.write(0x83);
            out.write(length >> 16);
            out.write(length >> 8);
            out.write(length);
        }
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    /** The DER encoding of an OBJECT IDENTIFIER in dotted form. */
    static byte[] oid(String dotted) {
        String[] arcs = dotted.split("\\.");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(Integer.parseInt(arcs[0]) * 40 + Integer.parseInt(arcs[1]));
        for (int i = 2; i < arcs.length; i++) {
            long arc = Long.parseLong(arcs[i]);
            int groups = 1;
            for (long rest = arc >>> 7; rest != 0; rest >>>= 7) {
                groups++;
            }
            for (int g = groups - 1; g >= 0; g--) {
                int bits = (int) ((arc >>> (7 * g)) & 0x7f);
                body.write(g == 0 ? bits : bits | 0x80);
            }
        }
        return tlv(OID, body.toByteArray());
    }
}
