package io.tributary.security;

import io.tributary.testing.Databases;
import io.tributary.testing.MutableClock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import jakarta.security.enterprise.credential.Credential;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.security.enterprise.identitystore.CredentialValidationResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The identity store against the embedded H2, with a fake (fast, counting) PBKDF2. */
class AdminIdentityStoreTest {

  static final String PASSWORD = "correct horse battery";

  MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));
  FakePbkdf2PasswordHash pbkdf2 = new FakePbkdf2PasswordHash();
  AdminAccounts accounts = new AdminAccounts();
  AdminIdentityStore store = new AdminIdentityStore();

  @BeforeEach
  void wire() {
    AdminPasswords passwords = new AdminPasswords(pbkdf2);
    accounts.dataSource = Databases.migratedH2();
    accounts.passwords = passwords;
    // In the container the event reaches the store after the commit; here, at once.
    accounts.changes = new RecordingEvent<>(store::forgetCachedLogins);
    store.accounts = accounts;
    store.passwords = passwords;
    store.clock = clock;
    store.init();
    accounts.create("admin", PASSWORD);
    pbkdf2.verifications.set(0);
  }

  private CredentialValidationResult login(String user, String password) {
    return store.validate(new UsernamePasswordCredential(user, password));
  }

  @Test
  void aValidAdminIsInGroupAdmin() {
    CredentialValidationResult r = login("admin", PASSWORD);
    assertEquals(CredentialValidationResult.Status.VALID, r.getStatus());
    assertEquals("admin", r.getCallerPrincipal().getName());
    assertEquals(Set.of("admin"), r.getCallerGroups());
  }

  @Test
  void unknownUsersAndWrongPasswordsAreRefusedAlikeAfterTheSameWork() {
    assertSame(CredentialValidationResult.INVALID_RESULT, login("admin", "wrong password!!"));
    assertEquals(1, pbkdf2.verifications.getAndSet(0));
    assertSame(CredentialValidationResult.INVALID_RESULT, login("nobody", PASSWORD));
    assertEquals(1, pbkdf2.verifications.getAndSet(0));
    assertSame(CredentialValidationResult.INVALID_RESULT, login("not a valid name", PASSWORD));
    assertEquals(1, pbkdf2.verifications.getAndSet(0));
    assertSame(CredentialValidationResult.INVALID_RESULT, login("", ""));
    assertEquals(1, pbkdf2.verifications.getAndSet(0));
  }

  @Test
  void aVerifiedCredentialIsServedFromTheCacheForSixtySeconds() {
    login("admin", PASSWORD);
    assertEquals(1, pbkdf2.verifications.get());
    clock.advance(Duration.ofSeconds(59));
    assertEquals(CredentialValidationResult.Status.VALID, login("admin", PASSWORD).getStatus());
    assertEquals(1, pbkdf2.verifications.get(), "answered from the cache");
    clock.advance(Duration.ofSeconds(1));
    assertEquals(CredentialValidationResult.Status.VALID, login("admin", PASSWORD).getStatus());
    assertEquals(2, pbkdf2.verifications.get(), "verified again after the TTL");
  }

  @Test
  void aPasswordChangeEndsTheCachedLoginAtOnce() {
    login("admin", PASSWORD);
    accounts.setPassword("admin", "the new long password");
    assertSame(CredentialValidationResult.INVALID_RESULT, login("admin", PASSWORD));
    assertEquals(
        CredentialValidationResult.Status.VALID,
        login("admin", "the new long password").getStatus());
  }

  @Test
  void aRemovedAdminCannotLogInWithACachedCredential() {
    accounts.create("second", PASSWORD);
    login("second", PASSWORD);
    accounts.remove("second");
    assertSame(CredentialValidationResult.INVALID_RESULT, login("second", PASSWORD));
  }

  @Test
  void otherCredentialTypesAreNotThisStoresBusiness() {
    Credential other = new Credential() {};
    assertSame(CredentialValidationResult.NOT_VALIDATED_RESULT, store.validate(other));
  }
}
