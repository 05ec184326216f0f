package io.tributary.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every access token, refresh token and authorization code the simulator issued, and the rules that
 * make them valid, expired, revoked or rotated away.
 *
 * <p>Each token carries a serial from one counter; an account's {@code revokedBelow} and {@code
 * expiredBelow} marks kill or expire all its tokens issued before them in one volatile write,
 * without a lock shared with the account's data.
 */
final class TokenRegistry {
  enum AuthStatus {
    OK,
    GENERATED,
    MISSING,
    UNKNOWN,
    REVOKED,
    EXPIRED
  }

  /** The outcome of checking a bearer token. */
  record Auth(AuthStatus status, Account account, String generatedAccountId) {
    boolean ok() {
      return status == AuthStatus.OK || status == AuthStatus.GENERATED;
    }
  }

  /** A token refresh that worked; {@code rotated} says whether the refresh token changed. */
  record Refreshed(Tokens tokens, boolean rotated) {}

  /** An authorization code waiting to be exchanged once. */
  record Code(Provider provider, String accountId, String redirectUri, Instant expiresAt) {}

  private record Access(Account account, long serial, Instant expiresAt) {}

  private record Refresh(Account account, long serial, String pairedAccess, boolean expiring) {}

  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  static final String GENERATED_REFRESH_PREFIX = "genr-";

  private final SimClock clock;
  private final AtomicLong serials = new AtomicLong();
  private final ConcurrentHashMap<String, Access> access = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Refresh> refresh = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Code> codes = new ConcurrentHashMap<>();

  TokenRegistry(SimClock clock) {
    this.clock = clock;
  }

  /** The serial the next token will get: marks set to it cover every token issued so far. */
  long nextSerial() {
    return serials.get() + 1;
  }

  Tokens issue(Account account, Duration accessTtl, boolean withRefresh, boolean expiring) {
    long serial = serials.incrementAndGet();
    Provider provider = account.providerType();
    String accessToken = accessPrefix(provider, accessTtl != null) + random(32);
    Instant expiresAt = accessTtl == null ? null : clock.now().plus(accessTtl);
    access.put(accessToken, new Access(account, serial, expiresAt));
    String refreshToken = null;
    if (withRefresh) {
      refreshToken = refreshPrefix(provider) + random(40);
      refresh.put(refreshToken, new Refresh(account, serial, accessToken, expiring));
    }
    return new Tokens(accessToken, refreshToken, accessTtl == null ? null : accessTtl.toSeconds());
  }

  /** Checks a bearer token for an API call of {@code provider}. */
  Auth authenticate(Provider provider, String bearer, GeneratedData generated) {
    if (bearer == null) {
      return new Auth(AuthStatus.MISSING, null, null);
    }
    String generatedPrefix = "gen-" + provider.id + "-";
    if (generated != null
        && bearer.startsWith(generatedPrefix)
        && bearer.length() > generatedPrefix.length()) {
      return new Auth(AuthStatus.GENERATED, null, bearer.substring(generatedPrefix.length()));
    }
    Access token = access.get(bearer);
    if (token == null || token.account().providerType() != provider) {
      return new Auth(AuthStatus.UNKNOWN, null, null);
    }
    Account account = token.account();
    if (token.serial() < account.revokedBelow) {
      return new Auth(AuthStatus.REVOKED, account, null);
    }
    if (token.serial() < account.expiredBelow
        || (token.expiresAt() != null && !clock.now().isBefore(token.expiresAt()))) {
      return new Auth(AuthStatus.EXPIRED, account, null);
    }
    return new Auth(AuthStatus.OK, account, null);
  }

  /**
   * Refreshes with a refresh token, or returns null when the token is unknown, used up or revoked
   * (the caller answers the provider's invalid_grant equivalent). GitHub, Notion and Slack rotate:
   * the used refresh token and the access token issued with it die (PROVIDERS.md); Google keeps the
   * refresh token and the old access token lives until it expires.
   */
  Refreshed refresh(Provider provider, String refreshToken, GeneratedData generated) {
    if (refreshToken == null || refreshToken.isEmpty()) {
      return null;
    }
    String generatedPrefix = GENERATED_REFRESH_PREFIX + provider.id + "-";
    if (generated != null && refreshToken.startsWith(generatedPrefix)) {
      // Generated mode keeps no state, so the "rotated" refresh token is the same one.
      String accountId = refreshToken.substring(generatedPrefix.length());
      Duration ttl = refreshedTtl(provider, true);
      return new Refreshed(
          new Tokens("gen-" + provider.id + "-" + accountId, refreshToken, seconds(ttl)), false);
    }
    boolean rotates = provider != Provider.GOOGLE_CALENDAR;
    // remove() makes the rotation atomic: of two concurrent refreshes with one token, one wins.
    Refresh used = rotates ? refresh.remove(refreshToken) : refresh.get(refreshToken);
    if (used == null) {
      return null;
    }
    if (used.account().providerType() != provider) {
      if (rotates) {
        refresh.put(refreshToken, used);
      }
      return null;
    }
    Account account = used.account();
    if (used.serial() < account.revokedBelow) {
      refresh.remove(refreshToken);
      return null;
    }
    Duration ttl = refreshedTtl(provider, used.expiring());
    long serial = serials.incrementAndGet();
    String accessToken = accessPrefix(provider, ttl != null) + random(32);
    access.put(
        accessToken, new Access(account, serial, ttl == null ? null : clock.now().plus(ttl)));
    if (!rotates) {
      return new Refreshed(new Tokens(accessToken, refreshToken, seconds(ttl)), false);
    }
    access.remove(used.pairedAccess());
    String newRefresh = refreshPrefix(provider) + random(40);
    refresh.put(newRefresh, new Refresh(account, serial, accessToken, used.expiring()));
    return new Refreshed(new Tokens(accessToken, newRefresh, seconds(ttl)), true);
  }

  String newCode(Provider provider, String accountId, String redirectUri) {
    String code = random(20);
    codes.put(code, new Code(provider, accountId, redirectUri, clock.now().plusSeconds(600)));
    return code;
  }

  /** Takes a code (single use); null when unknown, expired or for another provider. */
  Code takeCode(Provider provider, String code) {
    if (code == null) {
      return null;
    }
    Code taken = codes.remove(code);
    if (taken == null || taken.provider() != provider || !clock.now().isBefore(taken.expiresAt())) {
      return null;
    }
    return taken;
  }

  /** The lifetime of an access token a refresh or code exchange issues, per provider. */
  static Duration refreshedTtl(Provider provider, boolean expiring) {
    return switch (provider) {
      case GITHUB -> expiring ? Duration.ofHours(8) : null; // 28800 s for GitHub App user tokens
      case NOTION -> null; // Notion sends no expires_in
      case SLACK -> Duration.ofHours(12); // 43200 s with token rotation
      case GOOGLE_CALENDAR -> Duration.ofSeconds(3599);
    };
  }

  private static Long seconds(Duration ttl) {
    return ttl == null ? null : ttl.toSeconds();
  }

  private static String accessPrefix(Provider provider, boolean expiring) {
    return switch (provider) {
      case GITHUB -> "ghu_";
      case NOTION -> "ntn_";
      case SLACK -> expiring ? "xoxe.xoxb-1-" : "xoxb-";
      case GOOGLE_CALENDAR -> "ya29.";
    };
  }

  private static String refreshPrefix(Provider provider) {
    return switch (provider) {
      case GITHUB -> "ghr_";
      case NOTION -> "nrt_";
      case SLACK -> "xoxe-1-";
      case GOOGLE_CALENDAR -> "1//";
    };
  }

  private static String random(int length) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    StringBuilder token = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      token.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return token.toString();
  }
}
