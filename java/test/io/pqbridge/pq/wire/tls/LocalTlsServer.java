package io.pqbridge.pq.wire.tls;

import io.pqbridge.test.TestPki;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A JSSE TLS server on a loopback port for one handshake, standing in for PostgreSQL after it
 * answered 'S': it presents a given certificate chain, optionally requires a client certificate
 * from a given authority, and records what the client sent (SNI, client chain).
 */
final class LocalTlsServer implements AutoCloseable {

    /** What the server saw of the client. */
    record Seen(String serverName, List<Certificate> clientChain, Exception failure) {
    }

    private final SSLServerSocket listener;
    private final CompletableFuture<Seen> seen;
    private final List<Socket> clients = new java.util.ArrayList<>();

    /**
     * @param chain the server's certificate first, then its issuers
     * @param clientAuthority when not null, a client certificate issued by it is required
     * @param protocols the protocol versions the server allows
     */
    LocalTlsServer(TestPki.Issued server, List<X509Certificate> chain, X509Certificate clientAuthority,
            String... protocols) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", server.keys().getPrivate(), new char[0], chain.toArray(new Certificate[0]));
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, new char[0]);
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        if (clientAuthority != null) {
            trusted.setCertificateEntry("client-ca", clientAuthority);
        }
        trustManagers.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        listener = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        listener.setNeedClientAuth(clientAuthority != null);
        if (protocols.length > 0) {
            listener.setEnabledProtocols(protocols);
        }
        seen = CompletableFuture.supplyAsync(this::serveOne);
    }

    private Seen serveOne() {
        try (SSLSocket socket = (SSLSocket) listener.accept()) {
            socket.setSoTimeout(10_000);
            try {
                socket.startHandshake();
                ExtendedSSLSession session = (ExtendedSSLSession) socket.getSession();
                String name = null;
                for (SNIServerName requested : session.getRequestedServerNames()) {
                    name = ((SNIHostName) requested).getAsciiName();
                }
                List<Certificate> clientChain;
                try {
                    clientChain = List.of(session.getPeerCertificates());
                } catch (SSLPeerUnverifiedException e) {
                    clientChain = List.of();
                }
                try {
                    socket.getOutputStream().write('Z');
                    socket.getOutputStream().flush();
                } catch (IOException e) {
                    // the client may have hung up already: what it sent is recorded
                }
                return new Seen(name, clientChain, null);
            } catch (IOException e) {
                return new Seen(null, List.of(), e);
            }
        } catch (IOException e) {
            return new Seen(null, List.of(), e);
        }
    }

    /** A plain socket connected to the server, as the client has it after reading 'S'. */
    Socket connect() throws IOException {
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
        socket.setSoTimeout(10_000);
        clients.add(socket);
        return socket;
    }

    /**
     * What the server saw; hangs up the client sockets first, since a TLS 1.3 server's close waits
     * for the client's answer.
     */
    Seen seen() throws Exception {
        closeClients();
        Seen result = seen.get(20, TimeUnit.SECONDS);
        if (result.failure() != null) {
            throw new AssertionError("the test server's side failed", result.failure());
        }
        return result;
    }

    private void closeClients() throws IOException {
        for (Socket client : clients) {
            client.close();
        }
    }

    @Override
    public void close() throws IOException {
        closeClients();
        listener.close();
    }
}
