package io.pqbridge.adapt;

import io.pqbridge.errors.DataException;
import io.pqbridge.types.Cidr;
import io.pqbridge.types.Inet;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * {@code inet} ↔ {@link InetAddress} (with a full netmask) or {@link Inet} (a shorter one), and
 * {@code cidr} ↔ {@link Cidr}. Binary: family (2 IPv4, 3 IPv6), prefix length, is-cidr flag,
 * address length, address bytes, as {@code inet_send} writes them. Text: the address as
 * {@code inet_out} writes it, {@code /n} after it unless an inet's mask is full.
 *
 * <p>An IPv4-mapped IPv6 address ({@code ::ffff:1.2.3.4}) stays an {@link Inet6Address} (Java's
 * own parser would make it IPv4 and so change the value). No text is ever given to a resolver:
 * only literal addresses are parsed. Not a transcoder for {@code --binary-wire}: the server's
 * {@code inet_in} accepts spellings (abbreviated IPv4 networks) that only it should interpret.
 */
final class InetCodec extends Codec {

    static final InetCodec INET = new InetCodec(PgTypes.INET, false);
    static final InetCodec CIDR = new InetCodec(PgTypes.CIDR, true);

    private static final int AF_INET = 2;
    private static final int AF_INET6 = 3;

    private final boolean cidr;

    private InetCodec(int oid, boolean cidr) {
        super(oid);
        this.cidr = cidr;
    }

    @Override
    boolean transcodes() {
        return false;
    }

    /** The address and prefix of a value of this type. */
    private Object[] parts(Object v) {
        if (cidr) {
            if (v instanceof Cidr c) {
                return new Object[] {c.network(), c.prefixLength()};
            }
            throw cannotDump(v, "an io.pqbridge.types.Cidr");
        }
        if (v instanceof Inet i) {
            return new Object[] {i.address(), i.prefixLength()};
        }
        if (v instanceof InetAddress a) {
            return new Object[] {a, a instanceof Inet4Address ? 32 : 128};
        }
        throw cannotDump(v, "a java.net.InetAddress or an io.pqbridge.types.Inet");
    }

    @Override
    void text(Object v, ByteSink out) {
        Object[] p = parts(v);
        InetAddress a = (InetAddress) p[0];
        if (a instanceof Inet6Address six && six.getScopeId() != 0) {
            throw new DataException("cannot dump " + a + " as " + typeName() + ": PostgreSQL has no scope ids");
        }
        String address = a.getHostAddress();
        int full = a instanceof Inet4Address ? 32 : 128;
        out.putAscii(cidr || (int) p[1] != full ? address + "/" + p[1] : address);
    }

    @Override
    void binary(Object v, ByteSink out) {
        Object[] p = parts(v);
        byte[] address = ((InetAddress) p[0]).getAddress();
        out.put((byte) (address.length == 4 ? AF_INET : AF_INET6));
        out.put((byte) (int) p[1]);
        out.put((byte) (cidr ? 1 : 0));
        out.put((byte) address.length);
        out.put(address);
    }

    @Override
    Object loadText(byte[] data, int offset, int length, AdaptContext ctx) {
        String text = ascii(data, offset, length);
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        InetAddress a = literal(address, text);
        int full = a instanceof Inet4Address ? 32 : 128;
        int prefix = full;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw bad(text);
            }
        }
        return value(a, prefix, full, text);
    }

    @Override
    Object loadBinary(byte[] data, int offset, int length, AdaptContext ctx) {
        if (length < 4 || length != 4 + (data[offset + 3] & 0xFF)) {
            throw badBinary(length, "4 plus the address length");
        }
        int family = data[offset];
        int prefix = data[offset + 1] & 0xFF;
        int n = data[offset + 3] & 0xFF;
        if ((family != AF_INET || n != 4) && (family != AF_INET6 || n != 16)) {
            throw new DataException("bad binary " + typeName() + " value: family " + family + " with " + n + " bytes");
        }
        byte[] address = java.util.Arrays.copyOfRange(data, offset + 4, offset + 4 + n);
        try {
            InetAddress a = n == 4 ? InetAddress.getByAddress(address) : Inet6Address.getByAddress(null, address, null);
            return value(a, prefix, n * 8, null);
        } catch (UnknownHostException e) {
            throw new DataException("bad binary " + typeName() + " value: " + e.getMessage());
        }
    }

    private Object value(InetAddress a, int prefix, int full, String text) {
        if (prefix < 0 || prefix > full) {
            throw text == null ? new DataException("bad binary " + typeName() + " value: prefix " + prefix) : bad(text);
        }
        if (cidr) {
            return new Cidr(a, prefix);
        }
        return prefix == full ? a : new Inet(a, prefix);
    }

    /** A literal address, never resolved: IPv4 dotted quads or IPv6 hex groups only. */
    private InetAddress literal(String address, String text) {
        if (address.isEmpty() || !address.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
            throw bad(text);
        }
        try {
            InetAddress a = InetAddress.getByName(address);
            if (address.indexOf(':') >= 0 && a instanceof Inet4Address four) {
                byte[] mapped = new byte[16]; // ::ffff:a.b.c.d, which Java would make IPv4
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(four.getAddress(), 0, mapped, 12, 4);
                return Inet6Address.getByAddress(null, mapped, null);
            }
            return a;
        } catch (UnknownHostException e) {
            throw bad(text);
        }
    }

    private DataException bad(String text) {
        return new DataException("bad " + typeName() + " value: '" + text + "'");
    }
}
