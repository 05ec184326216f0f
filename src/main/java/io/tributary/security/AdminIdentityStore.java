package io.tributary.security;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.security.enterprise.credential.Credential;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import jakarta.security.enterprise.identitystore.IdentityStore;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.logging.Logger;

/**
 * Checks an admin's username and password against {@code admin_users}; a valid admin is in group
 * {@value #ADMIN_GROUP}.
 *
 * <p>Failures are uniform: an unknown username costs the same PBKDF2 work as a wrong password (see
 * {@link AdminPasswords#verify}) and both return {@link CredentialValidationResult#INVALID_RESULT},
 * so neither the answer nor its timing reveals which admins exist. Successes are remembered for 60
 * s ({@link CredentialCache}), so an API client sending HTTP Basic on every request does not pay
 * ~125 ms of PBKDF2 each time; a password change on another instance therefore takes up to 60 s to
 * reach this one.
 */
@ApplicationScoped
public class AdminIdentityStore implements IdentityStore {

  private static final Logger LOG = Logger.getLogger(AdminIdentityStore.class.getName());

  public static final String ADMIN_GROUP = "admin";

  @Inject AdminAccounts accounts;
  @Inject AdminPasswords passwords;
  @Inject Clock clock;

  private CredentialCache recent;

  /**
   * Verifications in progress, by credential (the cache's keyed hash): a request with the same
   * credential waits for that answer instead of doing the same PBKDF2 work again. When a cached
   * login expires, every client of a poller sending it arrives within the same ~125 ms; in the
   * benchmark, eight page clients then verified it eight times at once, once a minute, and the
   * pages' worst seconds were those.
   */
  private final ConcurrentHashMap<String, CompletableFuture<CredentialValidationResult>> verifying = new ConcurrentHashMap<>();

  @PostConstruct
  void init() {
    recent =
        new CredentialCache(
            clock, CredentialCache.DEFAULT_TTL, CredentialCache.DEFAULT_MAX_ENTRIES);
  }

  @Override
  public CredentialValidationResult validate(Credential credential) {
    if (credential instanceof UsernamePasswordCredential up) {
      return validate(up);
    }
    return CredentialValidationResult.NOT_VALIDATED_RESULT;
  }

  public CredentialValidationResult validate(UsernamePasswordCredential credential) {
    String username = credential.getCaller() == null ? "" : credential.getCaller();
    String password =
        credential.getPasswordAsString() == null ? "" : credential.getPasswordAsString();
    String cacheKey = recent.keyOf(username, password);
    if (recent.isFresh(cacheKey)) {
      return valid(username);
    }
    CompletableFuture<CredentialValidationResult> mine = new CompletableFuture<>();
    CompletableFuture<CredentialValidationResult> theirs = verifying.putIfAbsent(cacheKey, mine);
    if (theirs != null) {
      try {
        return theirs.get(); // the same credential, so the same answer, after the same wait
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return CredentialValidationResult.NOT_VALIDATED_RESULT;
      } catch (ExecutionException e) {
        return CredentialValidationResult.NOT_VALIDATED_RESULT;
      }
    }
    try {
      CredentialValidationResult r = verify(username, password, cacheKey);
      mine.complete(r);
      return r;
    } catch (RuntimeException | Error e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      verifying.remove(cacheKey, mine);
    }
  }

  private CredentialValidationResult verify(String username, String password, String cacheKey) {
    long generation = recent.generation();
    Optional<String> stored;
    try {
      stored =
          AdminAccountRules.usernameProblem(username).isPresent()
              ? Optional.empty()
              : accounts.passwordHash(username);
    } catch (RuntimeException e) {
      // The credential never appears in the log, only that the lookup failed.
      LOG.warning("Cannot check an admin login: " + e.getMessage());
      return CredentialValidationResult.NOT_VALIDATED_RESULT;
    }
    if (!passwords.verify(password, stored)) {
      return CredentialValidationResult.INVALID_RESULT;
    }
    recent.remember(cacheKey, username, generation);
    return valid(username);
  }

  @Override
  public Set<ValidationType> validationTypes() {
    return Set.of(ValidationType.VALIDATE, ValidationType.PROVIDE_GROUPS);
  }

  /** A password changed or an admin was removed: its cached logins end now on this instance. */
  void forgetCachedLogins(
      @Observes(during = TransactionPhase.AFTER_SUCCESS) AdminAccountChanged change) {
    recent.forget(change.username());
  }

  private static CredentialValidationResult valid(String username) {
    return new CredentialValidationResult(username, Set.of(ADMIN_GROUP));
  }
}
