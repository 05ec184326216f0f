package io.tributary.connections;

import io.tributary.platform.database.DataSourceConfiguration;
import io.tributary.platform.database.Sql;
import io.tributary.providers.ProviderClient;
import io.tributary.providers.ProviderException;
import io.tributary.providers.TokenGrant;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import javax.sql.DataSource;

/**
 * Refreshes a connection's tokens single-flight, across threads and instances: the connection's row
 * is locked ({@code SELECT … FOR UPDATE}) while refreshing. Whoever gets the lock second sees that
 * the token it was rejected with has already been replaced and uses the new one, so a rotating
 * refresh token (GitHub, Notion, Slack) is never spent twice.
 */
@ApplicationScoped
public class TokenRefresher {

  @Resource(lookup = DataSourceConfiguration.JNDI_NAME)
  DataSource dataSource;

  @Inject TokenVault vault;
  @Inject Clock clock;
  @Inject jakarta.enterprise.event.Event<io.tributary.providers.ProviderEvents.TokenRefreshed> refreshed;

  /**
   * @return the access token to use now (freshly refreshed, or the one another sync stored)
   * @throws ProviderException REAUTH when there is no refresh token or the grant is revoked
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public String refresh(long connectionId, String rejectedAccessToken, ProviderClient client) {
    try (Connection c = dataSource.getConnection()) {
      String accessEnc;
      String refreshEnc;
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT access_token_enc, refresh_token_enc FROM connections WHERE id = ? FOR UPDATE")) {
        ps.setLong(1, connectionId);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            throw ProviderException.permanent("connection was deleted during the sync");
          }
          accessEnc = rs.getString(1);
          refreshEnc = rs.getString(2);
        }
      }
      String current = vault.decrypt(accessEnc, connectionId);
      if (current != null && !current.equals(rejectedAccessToken)) {
        return current; // another sync refreshed while we waited for the lock
      }
      String refreshToken = vault.decrypt(refreshEnc, connectionId);
      if (refreshToken == null) {
        throw ProviderException.reauth("access token rejected and no refresh token on file");
      }
      TokenGrant grant = client.refresh(refreshToken);
      try (PreparedStatement up =
          c.prepareStatement(
              "UPDATE connections SET access_token_enc = ?, refresh_token_enc = ?, token_expires_at = ?,"
                  + " updated_at = ?, version = version + 1 WHERE id = ?")) {
        up.setString(1, vault.encrypt(grant.accessToken(), connectionId));
        // Google keeps the refresh token (no new one in the answer); the others rotate it.
        up.setString(2, grant.refreshToken() != null ? vault.encrypt(grant.refreshToken(), connectionId) : refreshEnc);
        Sql.setInstant(up, 3, grant.expiresAt());
        Sql.setInstant(up, 4, clock.instant());
        up.setLong(5, connectionId);
        up.executeUpdate();
      }
      if (refreshed != null) {
        refreshed.fire(new io.tributary.providers.ProviderEvents.TokenRefreshed(client.provider()));
      }
      return grant.accessToken();
    } catch (SQLException e) {
      throw ProviderException.transientFailure("database error while refreshing the token");
    }
  }
}
