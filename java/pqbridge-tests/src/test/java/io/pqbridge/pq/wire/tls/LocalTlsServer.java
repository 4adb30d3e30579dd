package io.pqbridge.pq.wire.tls;

import io.pqbridge.test.TestPki;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
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
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A JSSE TLS server on a loopback port for one handshake, standing in for PostgreSQL after it
 * answered 'S': it presents a given certificate chain, optionally requires a client certificate
 * from a given authority, records what the client sent (SNI, client chain), sends one byte
 * ({@code 'Z'}) and says goodbye with close_notify or a bare TCP close.
 */
final class LocalTlsServer implements AutoCloseable {

    /** What the server saw of the client. */
    record Seen(String serverName, List<Certificate> clientChain, Exception failure, byte[] receivedDigest) {
    }

    /** How the server ends the session after its one byte of data. */
    enum Farewell {
        CLOSE_NOTIFY,
        TCP_CLOSE,
        /** Waits until the client's socket buffer is full, then reads all it sends up to its close (SHA-256 in Seen). */
        READ_ALL
    }

    private final java.net.ServerSocket listener;
    private final SSLContext context;
    private final boolean needClientAuth;
    private final String[] protocols;
    private final Farewell farewell;
    private final CompletableFuture<Seen> seen;
    private final List<SocketChannel> clients = new java.util.ArrayList<>();

    /**
     * @param chain the server's certificate first, then its issuers
     * @param clientAuthority when not null, a client certificate issued by it is required
     * @param protocols the protocol versions the server allows
     */
    LocalTlsServer(TestPki.Issued server, List<X509Certificate> chain, X509Certificate clientAuthority,
            String... protocols) throws Exception {
        this(Farewell.CLOSE_NOTIFY, server, chain, clientAuthority, protocols);
    }

    LocalTlsServer(Farewell farewell, TestPki.Issued server, List<X509Certificate> chain,
            X509Certificate clientAuthority, String... protocols) throws Exception {
        this.farewell = farewell;
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
        context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        needClientAuth = clientAuthority != null;
        this.protocols = protocols;
        listener = new java.net.ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        seen = CompletableFuture.supplyAsync(this::serveOne);
    }

    private Seen serveOne() {
        try (Socket raw = listener.accept()) {
            raw.setSoTimeout(10_000);
            SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(raw, null, true);
            socket.setUseClientMode(false);
            socket.setNeedClientAuth(needClientAuth);
            if (protocols.length > 0) {
                socket.setEnabledProtocols(protocols);
            }
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
                    if (farewell == Farewell.CLOSE_NOTIFY) {
                        socket.close();
                    }
                } catch (IOException e) {
                    // the client may have hung up already: what it sent is recorded
                }
                return new Seen(name, clientChain, null, farewell == Farewell.READ_ALL ? readAll(socket) : null);
            } catch (IOException | GeneralSecurityException | InterruptedException e) {
                return new Seen(null, List.of(), e, null);
            }
        } catch (IOException e) {
            return new Seen(null, List.of(), e, null);
        }
    }

    private static byte[] readAll(SSLSocket socket) throws IOException, GeneralSecurityException, InterruptedException {
        Thread.sleep(300);
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[64 * 1024];
        int n;
        while ((n = socket.getInputStream().read(buffer)) >= 0) {
            digest.update(buffer, 0, n);
        }
        return digest.digest();
    }

    /** A plain non-blocking channel connected to the server, as the client has it after reading 'S'. */
    SocketChannel connect() throws IOException {
        SocketChannel channel = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(),
                listener.getLocalPort()));
        channel.configureBlocking(false);
        clients.add(channel);
        return channel;
    }

    /** A new connection to the server with the client's TLS handshake done on it ({@link BlockingTls}). */
    TlsSession handshake(String host, TlsOptions options) throws TlsException, IOException {
        return BlockingTls.handshake(connect(), host, options);
    }

    /** Writes through {@code session}, made on the latest connection. */
    OutputStream output(TlsSession session) {
        return BlockingTls.output(clients.get(clients.size() - 1), session);
    }

    /** The decrypted bytes of {@code session}, made on the latest connection. */
    InputStream input(TlsSession session) {
        return BlockingTls.input(clients.get(clients.size() - 1), session);
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
        for (SocketChannel client : clients) {
            client.close();
        }
    }

    @Override
    public void close() throws IOException {
        closeClients();
        listener.close();
    }
}
