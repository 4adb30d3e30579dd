package io.pqbridge.pq.wire.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Reading the PEM files libpq reads through OpenSSL: certificates and CRLs (root file, client
 * chain, CRL file) and one private key in any of the forms OpenSSL writes: PKCS#8
 * ({@code PRIVATE KEY}), encrypted PKCS#8 ({@code ENCRYPTED PRIVATE KEY}, PBES2 as OpenSSL 3
 * writes it), PKCS#1 RSA ({@code RSA PRIVATE KEY}) and SEC1 EC ({@code EC PRIVATE KEY}), the last
 * two also with OpenSSL's traditional {@code Proc-Type}/{@code DEK-Info} encryption; a file with no
 * PEM block is tried as DER, as libpq does. Text outside the blocks is ignored, as OpenSSL does.
 */
final class Pem {

    private static final String BEGIN = "-----BEGIN ";
    private static final String END = "-----END ";
    private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "EdDSA", "RSASSA-PSS", "DSA"};

    private Pem() {
    }

    /** A key file that cannot be loaded; the message is OpenSSL's reason text. */
    static final class KeyLoadException extends Exception {
        private static final long serialVersionUID = 1L;

        KeyLoadException(String reason) {
            super(reason);
        }
    }

    record Block(String type, Map<String, String> headers, byte[] der) {
    }

    /** The bytes of a file OpenSSL would read; a directory reads as empty, as OpenSSL finds nothing in it. */
    static byte[] readFile(Path file) throws IOException {
        return Files.isDirectory(file) ? new byte[0] : Files.readAllBytes(file);
    }

    /** Every PEM block of the file, in order; malformed base64 drops that block. */
    static List<Block> blocks(byte[] file) {
        List<Block> blocks = new ArrayList<>();
        String[] lines = new String(file, StandardCharsets.ISO_8859_1).split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (!line.startsWith(BEGIN) || !line.endsWith("-----")) {
                continue;
            }
            String type = line.substring(BEGIN.length(), line.length() - 5);
            Map<String, String> headers = new LinkedHashMap<>();
            StringBuilder body = new StringBuilder();
            int j = i + 1;
            for (; j < lines.length && !lines[j].strip().equals(END + type + "-----"); j++) {
                String content = lines[j].strip();
                int colon = content.indexOf(':');
                if (body.length() == 0 && colon > 0) {
                    headers.put(content.substring(0, colon).strip(), content.substring(colon + 1).strip());
                } else {
                    body.append(content);
                }
            }
            if (j == lines.length) {
                break; // no END line: OpenSSL ignores the incomplete block
            }
            try {
                blocks.add(new Block(type, headers, Base64.getMimeDecoder().decode(body.toString())));
            } catch (IllegalArgumentException e) {
                // not base64: OpenSSL skips it as well
            }
            i = j;
        }
        return blocks;
    }

    static List<X509Certificate> certificates(byte[] file) throws GeneralSecurityException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> certificates = new ArrayList<>();
        for (Block block : blocks(file)) {
            if (block.type.equals("CERTIFICATE") || block.type.equals("X509 CERTIFICATE")
                    || block.type.equals("TRUSTED CERTIFICATE")) {
                certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der)));
            }
        }
        return certificates;
    }

    static List<X509CRL> crls(byte[] file) throws GeneralSecurityException {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509CRL> crls = new ArrayList<>();
        for (Block block : blocks(file)) {
            if (block.type.equals("X509 CRL")) {
                crls.add((X509CRL) factory.generateCRL(new ByteArrayInputStream(block.der)));
            }
        }
        return crls;
    }

    /**
     * The first private key of the file.
     *
     * @param password {@code sslpassword}, null or empty when not set
     */
    static PrivateKey privateKey(byte[] file, String password) throws KeyLoadException {
        List<Block> blocks = blocks(file);
        for (Block block : blocks) {
            switch (block.type) {
                case "PRIVATE KEY" -> {
                    return pkcs8(block.der);
                }
                case "ENCRYPTED PRIVATE KEY" -> {
                    return pkcs8(decryptPkcs8(block.der, requirePassword(password)));
                }
                case "RSA PRIVATE KEY", "EC PRIVATE KEY" -> {
                    byte[] der = block.der;
                    if (block.headers.getOrDefault("Proc-Type", "").endsWith("ENCRYPTED")) {
                        der = decryptTraditional(der, block.headers.getOrDefault("DEK-Info", ""),
                                requirePassword(password));
                    }
                    return block.type.startsWith("RSA") ? pkcs8(wrapPkcs1(der)) : pkcs8(wrapSec1(der));
                }
                default -> {
                    // certificates, EC PARAMETERS and the like sit beside keys; OpenSSL skips them
                }
            }
        }
        if (blocks.isEmpty() && looksLikeDer(file)) {
            for (byte[] candidate : derCandidates(file)) {
                try {
                    return pkcs8(candidate);
                } catch (KeyLoadException e) {
                    // try the next form
                }
            }
        }
        throw new KeyLoadException("unsupported"); // what OpenSSL 3's decoders report for "no key here"
    }

    private static String requirePassword(String password) throws KeyLoadException {
        if (password == null || password.isEmpty()) {
            throw new KeyLoadException("bad decrypt");
        }
        return password;
    }

    private static boolean looksLikeDer(byte[] file) {
        return file.length > 2 && (file[0] & 0xff) == Der.SEQUENCE;
    }

    /** A raw DER key file: PKCS#8, PKCS#1 or SEC1, as OpenSSL's d2i_AutoPrivateKey accepts. */
    private static List<byte[]> derCandidates(byte[] file) {
        List<byte[]> candidates = new ArrayList<>();
        candidates.add(file);
        try {
            candidates.add(wrapPkcs1(file));
        } catch (KeyLoadException e) {
            // not PKCS#1
        }
        try {
            candidates.add(wrapSec1(file));
        } catch (KeyLoadException e) {
            // not SEC1
        }
        return candidates;
    }

    private static PrivateKey pkcs8(byte[] der) throws KeyLoadException {
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                // not this algorithm
            }
        }
        throw new KeyLoadException("unsupported");
    }

    /**
     * The fields of a key's outer SEQUENCE. Bytes that are no such DER, down to the fields'
     * own encoding (a raw file, or what a wrong password decrypted), are "unsupported", as to
     * OpenSSL 3: {@link Der} reports malformed input as IllegalArgumentException, which must
     * not leave the key's loading.
     */
    private static List<Der.Element> keyFields(byte[] der) throws KeyLoadException {
        try {
            Der.Element key = Der.parse(der);
            if (key.tag() == Der.SEQUENCE) {
                return key.children();
            }
        } catch (IllegalArgumentException e) {
            // no DER: unsupported, below
        }
        throw new KeyLoadException("unsupported");
    }

    /** PKCS#1 RSAPrivateKey into PKCS#8 PrivateKeyInfo. */
    private static byte[] wrapPkcs1(byte[] pkcs1) throws KeyLoadException {
        if (keyFields(pkcs1).size() < 9) {
            throw new KeyLoadException("unsupported");
        }
        byte[] algorithm = Der.tlv(Der.SEQUENCE, Der.oid("1.2.840.113549.1.1.1"), Der.tlv(Der.NULL));
        return Der.tlv(Der.SEQUENCE, Der.tlv(Der.INTEGER, new byte[] {0}), algorithm, Der.tlv(Der.OCTET_STRING, pkcs1));
    }

    /** SEC1 ECPrivateKey (with its named curve) into PKCS#8 PrivateKeyInfo. */
    private static byte[] wrapSec1(byte[] sec1) throws KeyLoadException {
        for (Der.Element field : keyFields(sec1)) {
            if (field.tag() == 0xa0) { // [0] parameters: the curve's OID
                byte[] algorithm = Der.tlv(Der.SEQUENCE, Der.oid("1.2.840.10045.2.1"), field.content());
                return Der.tlv(Der.SEQUENCE, Der.tlv(Der.INTEGER, new byte[] {0}), algorithm,
                        Der.tlv(Der.OCTET_STRING, sec1));
            }
        }
        throw new KeyLoadException("unsupported");
    }

    private static byte[] decryptPkcs8(byte[] der, String password) throws KeyLoadException {
        try {
            EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
            AlgorithmParameters parameters = info.getAlgParameters();
            if (parameters == null) {
                // OpenSSL's PBES1, PBES2 and PKCS#12 schemes all decode their parameters first
                throw new KeyLoadException("decode error");
            }
            // PBES2's own name ("PBES2") names no cipher; its parameters name the concrete scheme
            String algorithm = info.getAlgName().equalsIgnoreCase("PBES2") || info.getAlgName().startsWith("1.2.840.113549.1.5.13")
                    ? parameters.toString() : info.getAlgName();
            SecretKeyFactory factory = SecretKeyFactory.getInstance(algorithm);
            Cipher cipher = Cipher.getInstance(algorithm);
            cipher.init(Cipher.DECRYPT_MODE, factory.generateSecret(new PBEKeySpec(password.toCharArray())), parameters);
            // a wrong password whose garbage happens to pad cleanly passes here; like OpenSSL, the
            // caller then reports a key it cannot decode ("unsupported"), not "bad decrypt"
            return cipher.doFinal(info.getEncryptedData());
        } catch (javax.crypto.BadPaddingException e) {
            throw new KeyLoadException("bad decrypt");
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new KeyLoadException("unsupported");
        }
    }

    /** OpenSSL's traditional PEM encryption: EVP_BytesToKey(MD5, salt = first 8 IV bytes, 1 round). */
    private static byte[] decryptTraditional(byte[] der, String dekInfo, String password) throws KeyLoadException {
        int comma = dekInfo.indexOf(',');
        if (comma < 0) {
            throw new KeyLoadException("unsupported encryption");
        }
        String name = dekInfo.substring(0, comma).strip().toUpperCase(Locale.ROOT);
        byte[] iv;
        try {
            iv = HexFormat.of().parseHex(dekInfo.substring(comma + 1).strip());
        } catch (IllegalArgumentException e) {
            throw new KeyLoadException("bad iv chars"); // OpenSSL's PEM reason for an IV that is no hex
        }
        String transformation;
        String keyAlgorithm;
        int keyLength;
        switch (name) {
            case "AES-128-CBC" -> { transformation = "AES/CBC/PKCS5Padding"; keyAlgorithm = "AES"; keyLength = 16; }
            case "AES-192-CBC" -> { transformation = "AES/CBC/PKCS5Padding"; keyAlgorithm = "AES"; keyLength = 24; }
            case "AES-256-CBC" -> { transformation = "AES/CBC/PKCS5Padding"; keyAlgorithm = "AES"; keyLength = 32; }
            case "DES-EDE3-CBC" -> { transformation = "DESede/CBC/PKCS5Padding"; keyAlgorithm = "DESede"; keyLength = 24; }
            case "DES-CBC" -> { transformation = "DES/CBC/PKCS5Padding"; keyAlgorithm = "DES"; keyLength = 8; }
            default -> throw new KeyLoadException("unsupported encryption");
        }
        try {
            byte[] key = bytesToKey(password.getBytes(StandardCharsets.UTF_8), java.util.Arrays.copyOf(iv, 8), keyLength);
            Cipher cipher = Cipher.getInstance(transformation);
            cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, keyAlgorithm), new IvParameterSpec(iv));
            return cipher.doFinal(der);
        } catch (GeneralSecurityException e) {
            throw new KeyLoadException("bad decrypt");
        }
    }

    private static byte[] bytesToKey(byte[] password, byte[] salt, int length) throws GeneralSecurityException {
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        byte[] key = new byte[length];
        byte[] previous = new byte[0];
        for (int filled = 0; filled < length; ) {
            md5.update(previous);
            md5.update(password);
            md5.update(salt);
            previous = md5.digest();
            int n = Math.min(previous.length, length - filled);
            System.arraycopy(previous, 0, key, filled, n);
            filled += n;
        }
        return key;
    }
}
