package io.tributary.providers;

import java.net.URI;

/**
 * What every provider client does, so the sync engine treats the four alike: a full first sync and
 * incremental syncs after it, token refresh, and the OAuth connect flow.
 */
public interface ProviderClient {

  Provider provider();

  /**
   * Syncs one connection: follows every page, stores each page through the session, and advances the
   * cursors only with the records they cover.
   *
   * @throws ProviderException when the sync cannot complete
   */
  void sync(SyncSession session);

  /**
   * Exchanges a refresh token for new tokens.
   *
   * @throws ProviderException REAUTH when the provider says the grant is invalid
   */
  TokenGrant refresh(String refreshToken);

  /** Exchanges an authorization code from the OAuth callback for tokens. */
  TokenGrant exchangeCode(String code, URI redirectUri);

  /** Where to send the user to authorize Tributary. */
  URI authorizeUri(String state, URI redirectUri);
}
