package io.pqbridge.pq.wire.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The client side of a handshake's certificate request, as libpq 16's certificate callback sees
 * it: whether the server asked for a client certificate, and whether one was sent. JSSE asks the
 * key manager for a client alias only when the server sent a CertificateRequest, so this key
 * manager is always installed, records that call, and answers it from the loaded credentials
 * (none with {@code sslcertmode=disable} or when no certificate file exists). {@code
 * sslcertmode=require} is checked against these facts once the server accepts the login.
 *
 * <p>One per handshake; written by the handshake's thread, read after it completed.
 */
final class ClientCertificateRequests extends X509ExtendedKeyManager {

    private final ClientCredentials credentials; // null: nothing to send
    private volatile boolean requested;
    private volatile boolean sent;

    ClientCertificateRequests(ClientCredentials credentials) {
        this.credentials = credentials;
    }

    boolean requested() {
        return requested;
    }

    boolean sent() {
        return sent;
    }

    private String answer(String alias) {
        requested = true;
        sent = alias != null;
        return alias;
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return answer(credentials == null ? null : credentials.aliasFor(keyTypes));
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return answer(credentials == null ? null : credentials.aliasFor(keyTypes));
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        String alias = credentials == null ? null : credentials.aliasFor(new String[] {keyType});
        return alias == null ? new String[0] : new String[] {alias};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return credentials == null ? null : credentials.chain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return credentials == null ? null : credentials.key(alias);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return new String[0];
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return null;
    }
}
