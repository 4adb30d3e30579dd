package io.pqbridge.pq.wire.tls;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The client certificate chain and key libpq would present, loaded with libpq's rules and
 * messages ({@code initialize_SSL}), and offered to JSSE by {@link ClientCertificateRequests}.
 *
 * <p>Rules: the certificate file is sslcert or ~/.postgresql/postgresql.crt; if it does not exist
 * the client simply presents none. If it exists, the key file (sslkey or
 * ~/.postgresql/postgresql.key) must exist, be a regular file, and grant no group or world access
 * (a root-owned file may be group-readable), and must hold the certificate's key, decrypted with
 * sslpassword where needed. The chain is offered whenever the server asks, whatever CAs the
 * server names, as libpq does.
 */
final class ClientCredentials {

    private static final String ALIAS = "sslcert";

    private final X509Certificate[] chain;
    private final PrivateKey key;

    private ClientCredentials(List<X509Certificate> chain, PrivateKey key) {
        this.chain = chain.toArray(new X509Certificate[0]);
        this.key = key;
    }

    /** The credentials, or null when no certificate file exists. */
    static ClientCredentials load(TlsOptions options) throws TlsException {
        Path certFile = options.clientCertFile();
        if (certFile == null) {
            return null;
        }
        byte[] certBytes;
        try {
            certBytes = Pem.readFile(certFile);
        } catch (NoSuchFileException e) {
            return null;
        } catch (FileSystemException e) {
            if ("Not a directory".equals(e.getReason())) {
                return null;
            }
            throw new TlsException("could not open certificate file \"" + certFile + "\": " + reason(e), e);
        } catch (IOException e) {
            throw new TlsException("could not open certificate file \"" + certFile + "\": " + e.getMessage(), e);
        }
        List<X509Certificate> chain;
        try {
            chain = Pem.certificates(certBytes);
        } catch (GeneralSecurityException e) {
            throw new TlsException("could not read certificate file \"" + certFile + "\": ASN1 lib", e);
        }
        if (chain.isEmpty()) {
            throw new TlsException("could not read certificate file \"" + certFile + "\": no start line");
        }
        Path keyFile = options.clientKeyFile();
        if (keyFile == null) {
            throw new TlsException("certificate does not match private key file \"\": no private key assigned");
        }
        PrivateKey key = loadKey(keyFile, options.keyPassword());
        if (!matches(chain.get(0).getPublicKey(), key)) {
            // OpenSSL checks the pair while loading the key, so libpq reports it as a load failure
            throw new TlsException("could not load private key file \"" + keyFile + "\": key values mismatch");
        }
        return new ClientCredentials(chain, key);
    }

    private static PrivateKey loadKey(Path keyFile, String password) throws TlsException {
        PosixFileAttributes attributes;
        int owner;
        try {
            attributes = Files.readAttributes(keyFile, PosixFileAttributes.class);
            owner = (Integer) Files.getAttribute(keyFile, "unix:uid");
        } catch (NoSuchFileException e) {
            throw new TlsException("certificate present, but not private key file \"" + keyFile + "\"", e);
        } catch (IOException | UnsupportedOperationException e) {
            throw new TlsException("could not stat private key file \"" + keyFile + "\": "
                    + (e instanceof FileSystemException fs ? reason(fs) : e.getMessage()), e);
        }
        if (!attributes.isRegularFile()) {
            throw new TlsException("private key file \"" + keyFile + "\" is not a regular file");
        }
        Set<PosixFilePermission> forbidden = owner == 0
                ? EnumSet.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
                        PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE)
                : EnumSet.complementOf(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                        PosixFilePermission.OWNER_EXECUTE));
        if (attributes.permissions().stream().anyMatch(forbidden::contains)) {
            throw new TlsException("private key file \"" + keyFile + "\" has group or world access; file must have "
                    + "permissions u=rw (0600) or less if owned by the current user, or permissions u=rw,g=r (0640) "
                    + "or less if owned by root");
        }
        try {
            return Pem.privateKey(Files.readAllBytes(keyFile), password);
        } catch (Pem.KeyLoadException e) {
            throw new TlsException("could not load private key file \"" + keyFile + "\": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new TlsException("could not load private key file \"" + keyFile + "\": " + e.getMessage(), e);
        }
    }

    /** Whether the key signs what the certificate's public key verifies. */
    private static boolean matches(PublicKey publicKey, PrivateKey privateKey) {
        String algorithm = switch (privateKey.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "DSA" -> "SHA256withDSA";
            default -> privateKey.getAlgorithm(); // EdDSA, Ed25519, Ed448 name their own signature
        };
        try {
            byte[] probe = "pqbridge client key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(privateKey);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** strerror's wording for the usual file system failures. */
    private static String reason(FileSystemException e) {
        if (e instanceof AccessDeniedException) {
            return "Permission denied";
        }
        return e.getReason() == null ? e.getClass().getSimpleName() : e.getReason();
    }

    // ---- what the key manager offers: the one chain, if the key fits the request ---------------

    /** The alias to offer for a request accepting {@code keyTypes}, or null when the key fits none. */
    String aliasFor(String[] keyTypes) {
        for (String type : keyTypes) {
            if (type.equalsIgnoreCase(key.getAlgorithm())
                    || (type.equals("EdDSA") && key.getAlgorithm().startsWith("Ed"))) {
                return ALIAS;
            }
        }
        return null;
    }

    X509Certificate[] chain(String alias) {
        return ALIAS.equals(alias) ? chain.clone() : null;
    }

    PrivateKey key(String alias) {
        return ALIAS.equals(alias) ? key : null;
    }
}
