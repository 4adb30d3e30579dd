package io.pqbridge.pq.wire.tls;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertStore;
import java.security.cert.CertificateException;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.X509CRL;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.EnumSet;
import java.util.List;
import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * How the client judges the server's certificate chain during the handshake, as libpq sets up
 * OpenSSL: with a root certificate file, the chain must verify against its certificates (PKIX,
 * the JDK's equivalent of OpenSSL's verification), and against the CRLs when a CRL file or
 * directory was loaded (then every certificate of the chain needs a CRL from its issuer, as with
 * OpenSSL's CRL_CHECK_ALL); without one, any chain is accepted. The host name is not checked
 * here (verify-full checks it after the handshake, with libpq's own rules).
 *
 * <p>{@link #rejected()} tells afterwards whether the handshake failed because of this check, so
 * the failure can be reported with OpenSSL's "certificate verify failed". Used by one handshake.
 */
final class ServerTrust extends X509ExtendedTrustManager {

    private final X509ExtendedTrustManager pkix; // null: accept any chain
    private volatile boolean rejected;

    private ServerTrust(X509ExtendedTrustManager pkix) {
        this.pkix = pkix;
    }

    /** Accepts every chain: libpq without a root certificate file. */
    static ServerTrust acceptingAnyChain() {
        return new ServerTrust(null);
    }

    /**
     * Verifies chains against {@code roots}; with {@code crls} non-null (possibly empty), also
     * requires every certificate to be covered by a CRL that does not revoke it.
     */
    static ServerTrust verifying(List<X509Certificate> roots, List<X509CRL> crls) throws GeneralSecurityException {
        KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            anchors.load(null, null);
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException("cannot create an empty key store", e);
        }
        for (int i = 0; i < roots.size(); i++) {
            anchors.setCertificateEntry("root-" + i, roots.get(i));
        }
        PKIXBuilderParameters parameters = new PKIXBuilderParameters(anchors, new X509CertSelector());
        if (crls == null) {
            parameters.setRevocationEnabled(false);
        } else {
            parameters.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(crls)));
            PKIXRevocationChecker revocation = (PKIXRevocationChecker) CertPathBuilder.getInstance("PKIX")
                    .getRevocationChecker();
            revocation.setOptions(EnumSet.of(PKIXRevocationChecker.Option.PREFER_CRLS,
                    PKIXRevocationChecker.Option.NO_FALLBACK));
            parameters.addCertPathChecker(revocation);
            parameters.setRevocationEnabled(true);
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(new CertPathTrustManagerParameters(parameters));
        for (TrustManager manager : factory.getTrustManagers()) {
            if (manager instanceof X509ExtendedTrustManager extended) {
                return new ServerTrust(extended);
            }
        }
        throw new GeneralSecurityException("the JDK's PKIX trust manager factory made no X509ExtendedTrustManager");
    }

    boolean rejected() {
        return rejected;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        judge(() -> pkix.checkServerTrusted(chain, authType, socket));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        judge(() -> pkix.checkServerTrusted(chain, authType, engine));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        judge(() -> pkix.checkServerTrusted(chain, authType));
    }

    private interface Check {
        void run() throws CertificateException;
    }

    private void judge(Check check) throws CertificateException {
        if (pkix == null) {
            return;
        }
        try {
            check.run();
        } catch (CertificateException e) {
            rejected = true;
            throw e;
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("a client does not judge client certificates");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("a client does not judge client certificates");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("a client does not judge client certificates");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
