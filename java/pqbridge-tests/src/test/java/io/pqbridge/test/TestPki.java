package io.pqbridge.test;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptor;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMEncryptorBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.encoders.Hex;
import org.bouncycastle.util.io.pem.PemHeader;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * Certificates for TLS tests, made in memory with BouncyCastle (a test dependency): authorities,
 * server and client certificates with chosen names, CRLs, and PEM files of keys in every form
 * OpenSSL writes. Nothing needs installing by hand. Thread-safe.
 */
public final class TestPki {

    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private TestPki() {
    }

    /** A key pair and the certificate for it. */
    public record Issued(KeyPair keys, X509Certificate certificate) {
    }

    /** How a private key is written: the PEM form OpenSSL would choose for it. */
    public enum KeyFormat {
        /** {@code PRIVATE KEY} */
        PKCS8,
        /** {@code RSA PRIVATE KEY} or {@code EC PRIVATE KEY} */
        TRADITIONAL,
        /** {@code ENCRYPTED PRIVATE KEY} (PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC) */
        PKCS8_ENCRYPTED,
        /** {@code RSA PRIVATE KEY} with {@code DEK-Info: AES-256-CBC} */
        TRADITIONAL_ENCRYPTED
    }

    public static KeyPair rsaKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair ecKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A self-signed certificate authority. */
    public static Issued authority(String commonName) {
        KeyPair keys = rsaKeys();
        return new Issued(keys, build(commonName, keys, new X500Name("CN=" + commonName), keys.getPrivate(),
                "SHA256withRSA", true, List.of(), List.of()));
    }

    /**
     * A certificate issued by {@code issuer}.
     *
     * @param dnsNames subjectAltName dNSName entries (none: no extension unless {@code ips})
     * @param ipAddresses subjectAltName iPAddress entries
     */
    public static Issued issue(Issued issuer, String commonName, KeyPair keys, List<String> dnsNames,
            List<String> ipAddresses) {
        return issue(issuer, commonName, keys, dnsNames, ipAddresses, "SHA256withRSA");
    }

    public static Issued issue(Issued issuer, String commonName, KeyPair keys, List<String> dnsNames,
            List<String> ipAddresses, String signatureAlgorithm) {
        return new Issued(keys, build(commonName, keys, X500Name.getInstance(
                issuer.certificate.getSubjectX500Principal().getEncoded()), issuer.keys.getPrivate(), signatureAlgorithm,
                false, dnsNames, ipAddresses));
    }

    private static X509Certificate build(String commonName, KeyPair keys, X500Name issuer, PrivateKey signer,
            String signatureAlgorithm, boolean authority, List<String> dnsNames, List<String> ipAddresses) {
        try {
            Instant now = Instant.now();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer,
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(Duration.ofDays(30))), new X500Name("CN=" + commonName), keys.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(authority));
            if (authority) {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            }
            List<GeneralName> names = new ArrayList<>();
            dnsNames.forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
            ipAddresses.forEach(ip -> names.add(new GeneralName(GeneralName.iPAddress, ip)));
            if (!names.isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(names.toArray(new GeneralName[0])));
            }
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer(signatureAlgorithm, signer)));
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make a test certificate", e);
        }
    }

    /** A CRL of {@code issuer} revoking the given certificates (possibly none). */
    public static X509CRL crl(Issued issuer, X509Certificate... revoked) {
        try {
            Instant now = Instant.now();
            X509v2CRLBuilder builder = new X509v2CRLBuilder(
                    X500Name.getInstance(issuer.certificate.getSubjectX500Principal().getEncoded()),
                    Date.from(now.minus(Duration.ofHours(1))));
            builder.setNextUpdate(Date.from(now.plus(Duration.ofDays(30))));
            for (X509Certificate certificate : revoked) {
                builder.addCRLEntry(certificate.getSerialNumber(), Date.from(now.minus(Duration.ofMinutes(30))),
                        CRLReason.keyCompromise);
            }
            return new JcaX509CRLConverter().getCRL(builder.build(signer("SHA256withRSA", issuer.keys.getPrivate())));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make a test CRL", e);
        }
    }

    private static ContentSigner signer(String algorithm, PrivateKey key) throws OperatorCreationException {
        return new JcaContentSignerBuilder(algorithm).build(key);
    }

    /** Writes certificates and CRLs as one PEM file. */
    public static Path writePem(Path file, Object... objects) {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            for (Object object : objects) {
                writer.writeObject(new JcaMiscPEMGenerator(object));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return write(file, text.toString());
    }

    /**
     * Writes a private key in {@code format} with mode 0600, encrypted with {@code password} for
     * the encrypted formats. Traditional EC keys carry their curve, as OpenSSL writes them.
     */
    public static Path writeKey(Path file, PrivateKey key, KeyFormat format, String password) {
        PemObject pem;
        try {
            pem = switch (format) {
                case PKCS8 -> new JcaPKCS8Generator(key, null).generate();
                case PKCS8_ENCRYPTED -> new JcaPKCS8Generator(key,
                        new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
                                .setPRF(PKCS8Generator.PRF_HMACSHA256).setProvider(BC)
                                .setRandom(new SecureRandom()).setPassword(password.toCharArray()).build()).generate();
                case TRADITIONAL -> new PemObject(traditionalType(key), traditionalDer(key));
                case TRADITIONAL_ENCRYPTED -> {
                    PEMEncryptor encryptor = new JcePEMEncryptorBuilder("AES-256-CBC").setProvider(BC)
                            .setSecureRandom(new SecureRandom()).build(password.toCharArray());
                    yield new PemObject(traditionalType(key), List.of(new PemHeader("Proc-Type", "4,ENCRYPTED"),
                            new PemHeader("DEK-Info", encryptor.getAlgorithm() + ","
                                    + Hex.toHexString(encryptor.getIV()).toUpperCase(Locale.ROOT))),
                            encryptor.encrypt(traditionalDer(key)));
                }
            };
        } catch (IOException | OperatorCreationException e) {
            throw new IllegalStateException("cannot write a test key", e);
        }
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(pem);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return writeSecret(file, text.toString());
    }

    /** Writes {@code text} with mode 0600, as libpq wants a private key file (garbage in one, for instance). */
    public static Path writeSecret(Path file, String text) {
        return writeSecret(file, text.getBytes(StandardCharsets.US_ASCII));
    }

    /** Writes {@code bytes} as they are with mode 0600 (a raw DER key file, for instance). */
    public static Path writeSecret(Path file, byte[] bytes) {
        Path written = write(file, bytes);
        try {
            Files.setPosixFilePermissions(written, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return written;
    }

    /**
     * Writes {@code key} as {@link KeyFormat#PKCS8_ENCRYPTED} under {@code password}, choosing the
     * random salt and IV so that decrypting with {@code wrongPassword} ends in valid CBC padding
     * ({@code paddingHolds}) or not; when it holds, the garbage starts with a DER header that fits
     * it and is no SEQUENCE.
     *
     * <p>Why: a wrong password yields random bytes, whose padding happens to be valid about once in
     * 256 tries. OpenSSL then reports the garbage it cannot decode rather than "bad decrypt"
     * (OpenSSL 3 "unsupported"; OpenSSL 1.1 its first DER error: "wrong tag" for such a header,
     * "too long" or another for other garbage), so a test of these texts must fix which case it writes, or
     * it fails at random.
     */
    public static Path writeEncryptedKey(Path file, PrivateKey key, String password, String wrongPassword,
            boolean paddingHolds) {
        for (int attempt = 0; attempt < 10_000; attempt++) {
            writeKey(file, key, KeyFormat.PKCS8_ENCRYPTED, password);
            byte[] garbage = decrypt(file, wrongPassword);
            if (paddingHolds ? garbage != null && startsWithOtherTag(garbage) : garbage == null) {
                return file;
            }
        }
        throw new IllegalStateException("no salt in 10,000 gave the wrong password padding that "
                + (paddingHolds ? "holds" : "fails"));
    }

    /** A one-byte tag other than SEQUENCE, and a short-form length within the bytes. */
    private static boolean startsWithOtherTag(byte[] der) {
        return der.length > 2 && der[0] != 0x30 && (der[0] & 0x1f) != 0x1f && der[1] >= 0 && der[1] <= der.length - 2;
    }

    /** The key's bytes decrypted with {@code password}; null when the padding fails. */
    private static byte[] decrypt(Path file, String password) {
        try (PemReader reader = new PemReader(Files.newBufferedReader(file))) {
            EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(reader.readPemObject().getContent());
            AlgorithmParameters parameters = info.getAlgParameters();
            String scheme = parameters.toString(); // PBES2's parameters name the concrete scheme
            Cipher cipher = Cipher.getInstance(scheme);
            cipher.init(Cipher.DECRYPT_MODE,
                    SecretKeyFactory.getInstance(scheme).generateSecret(new PBEKeySpec(password.toCharArray())), parameters);
            return cipher.doFinal(info.getEncryptedData());
        } catch (BadPaddingException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot decrypt a test key", e);
        }
    }

    private static String traditionalType(PrivateKey key) {
        return key.getAlgorithm().equals("EC") ? "EC PRIVATE KEY" : "RSA PRIVATE KEY";
    }

    /** PKCS#1 for RSA; SEC1 with the named curve for EC. */
    private static byte[] traditionalDer(PrivateKey key) throws IOException {
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
        if (!key.getAlgorithm().equals("EC")) {
            return info.parsePrivateKey().toASN1Primitive().getEncoded();
        }
        org.bouncycastle.asn1.sec.ECPrivateKey sec1 = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey());
        return new org.bouncycastle.asn1.sec.ECPrivateKey(256, sec1.getKey(), sec1.getPublicKey(),
                info.getPrivateKeyAlgorithm().getParameters()).getEncoded();
    }

    public static Path write(Path file, String text) {
        return write(file, text.getBytes(StandardCharsets.US_ASCII));
    }

    /** Writes {@code bytes} to {@code file} as they are (a raw DER file, for instance). */
    public static Path write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
