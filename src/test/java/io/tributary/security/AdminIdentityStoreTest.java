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

  @Test
  void requestsWithTheSameCredentialDuringItsVerificationWaitForItsAnswer() throws Exception {
    java.util.concurrent.CountDownLatch inside = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    pbkdf2.duringVerify =
        n -> {
          if (n == 1) { // hold the first verification until the second request has arrived
            inside.countDown();
            await(release);
          }
        };
    java.util.concurrent.atomic.AtomicReference<CredentialValidationResult> first = new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.atomic.AtomicReference<CredentialValidationResult> second = new java.util.concurrent.atomic.AtomicReference<>();
    Thread a = new Thread(() -> first.set(login("admin", PASSWORD)));
    a.start();
    await(inside);
    Thread b = new Thread(() -> second.set(login("admin", PASSWORD)));
    b.start();
    // The second request either waits for the first's answer (parked) or, verifying on its own, ends.
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (b.getState() != Thread.State.WAITING && b.getState() != Thread.State.TERMINATED && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    release.countDown();
    a.join(10_000);
    b.join(10_000);
    assertEquals(CredentialValidationResult.Status.VALID, first.get().getStatus());
    assertEquals(CredentialValidationResult.Status.VALID, second.get().getStatus());
    assertEquals(1, pbkdf2.verifications.get(), "verified once for both");
    assertSame(CredentialValidationResult.INVALID_RESULT, login("admin", "wrong password!!"), "a different credential is verified on its own");
    assertEquals(2, pbkdf2.verifications.get());
  }

  private static void await(java.util.concurrent.CountDownLatch latch) {
    try {
      if (!latch.await(10, java.util.concurrent.TimeUnit.SECONDS)) {
        throw new AssertionError("timed out");
      }
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
