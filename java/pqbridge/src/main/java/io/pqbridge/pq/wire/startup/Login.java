package io.pqbridge.pq.wire.startup;

import io.pqbridge.pq.wire.auth.AuthRequirement;
import io.pqbridge.pq.wire.auth.ChannelBinding;
import io.pqbridge.pq.wire.auth.ScramKeys;
import io.pqbridge.pq.wire.conninfo.ConnectionOptions;
import io.pqbridge.pq.wire.conninfo.ConnectionOptions.Host;

/**
 * Who connects and how the client may prove it, for one host: the user name (MD5 salts the
 * password with it), the password (or libpq 18's SCRAM keys), where the password came from, and the channel_binding and
 * require_auth rules.
 *
 * @param user the {@code user} option
 * @param password the password to answer with; null or empty when there is none
 * @param passwordFile the password file's path when the password came from it, else null: a
 *     server that then rejects the password is told about with libpq's hint naming the file
 * @param channelBinding the {@code channel_binding} option
 * @param authRequirement the {@code require_auth} option
 * @param certificateRequired {@code sslcertmode=require}: the server must have asked for a client
 *     certificate, and received one, before it accepts the login
 * @param scramKeys {@code scram_client_key} and {@code scram_server_key} (libpq 18)
 * @param oauthConfigured {@code oauth_issuer} and {@code oauth_client_id} are both set (libpq 18)
 */
public record Login(String user, String password, String passwordFile, ChannelBinding channelBinding,
        AuthRequirement authRequirement, boolean certificateRequired, ScramKeys scramKeys, boolean oauthConfigured) {

    /** A login without a {@code require_auth} requirement, {@code sslcertmode=require} or SCRAM keys. */
    public Login(String user, String password, String passwordFile, ChannelBinding channelBinding) {
        this(user, password, passwordFile, channelBinding, AuthRequirement.NONE, false, ScramKeys.NONE, false);
    }

    /** libpq's choice for {@code host}: the password file's entry for it, else the password option (or PGPASSWORD). */
    public static Login of(ConnectionOptions options, Host host, ChannelBinding channelBinding) {
        boolean fromFile = host.password() != null;
        return new Login(options.get("user"), fromFile ? host.password() : options.get("password"),
                fromFile ? options.get("passfile") : null, channelBinding, options.authRequirement(),
                "require".equals(options.get("sslcertmode")), options.scramKeys(),
                nonEmpty(options.get("oauth_issuer")) && nonEmpty(options.get("oauth_client_id")));
    }

    private static boolean nonEmpty(String value) {
        return value != null && !value.isEmpty();
    }

    /** Masks the password, as the connection options' listing does. */
    @Override
    public String toString() {
        return "Login[user=" + user + ", password=" + io.pqbridge.pq.ConninfoSecrets.shown("password", password)
                + ", passwordFile=" + passwordFile + ", channelBinding=" + channelBinding + ", requireAuth="
                + authRequirement + ", scramKeys=" + scramKeys + "]";
    }
}
