package io.tributary.security;

import io.tributary.testing.ThreadBoundTransactions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.platform.web.ApiException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@link AdminAccounts} does, against a real database; run on H2 (demo mode) and on PostgreSQL
 * by the subclasses, because the SQL must hold on both.
 */
abstract class AdminAccountsBehaviour {

  static final String PASSWORD = "correct horse battery";
  static final String OTHER_PASSWORD = "another long password";

  ThreadBoundTransactions transactions;
  FakePbkdf2PasswordHash pbkdf2;
  RecordingEvent<AdminAccountChanged> changes;
  AdminAccounts accounts;

  /** An empty, migrated database for this test. */
  abstract DataSource emptyDatabase() throws Exception;

  @BeforeEach
  void wire() throws Exception {
    transactions = new ThreadBoundTransactions(emptyDatabase());
    pbkdf2 = new FakePbkdf2PasswordHash();
    changes = new RecordingEvent<>(c -> {});
    accounts = new AdminAccounts();
    accounts.dataSource = transactions;
    accounts.passwords = new AdminPasswords(pbkdf2);
    accounts.changes = changes;
  }

  @Test
  void createsAdminsWithHashedPasswordsAndListsThemSorted() {
    accounts.create("zoe", PASSWORD);
    accounts.create("adam@example.com", PASSWORD);
    assertEquals(List.of("adam@example.com", "zoe"), accounts.usernames());
    assertTrue(accounts.anyExists());
    String hash = accounts.passwordHash("zoe").orElseThrow();
    assertFalse(hash.contains(PASSWORD));
    assertTrue(accounts.passwords.verify(PASSWORD, Optional.of(hash)));
  }

  @Test
  void refusesADuplicateAdminWithConflict() {
    accounts.create("admin", PASSWORD);
    ApiException e =
        assertThrows(ApiException.class, () -> accounts.create("admin", OTHER_PASSWORD));
    assertEquals(409, e.status());
    assertTrue(accounts.passwords.verify(PASSWORD, accounts.passwordHash("admin")), "unchanged");
  }

  @Test
  void refusesInvalidUsernamesAndShortPasswordsBeforeTouchingTheDatabase() {
    assertEquals(
        400,
        assertThrows(ApiException.class, () -> accounts.create("bad name", PASSWORD)).status());
    assertEquals(
        400, assertThrows(ApiException.class, () -> accounts.create("admin", "short")).status());
    assertFalse(accounts.anyExists());
  }

  @Test
  void createOrUpdateCreatesThenUpdatesThenLeavesAnUnchangedPasswordAlone() {
    assertEquals(AdminAccounts.Outcome.CREATED, accounts.createOrUpdate("admin", PASSWORD));
    String first = accounts.passwordHash("admin").orElseThrow();
    assertEquals(AdminAccounts.Outcome.UNCHANGED, accounts.createOrUpdate("admin", PASSWORD));
    assertEquals(first, accounts.passwordHash("admin").orElseThrow());
    assertEquals(AdminAccounts.Outcome.UPDATED, accounts.createOrUpdate("admin", OTHER_PASSWORD));
    assertTrue(accounts.passwords.verify(OTHER_PASSWORD, accounts.passwordHash("admin")));
    assertEquals(List.of(new AdminAccountChanged("admin")), changes.fired);
  }

  @Test
  void theDemoAdminIsCreatedOnlyWhenThereIsNoAdminAtAll() {
    assertTrue(accounts.createIfNoAdminExists("admin", PASSWORD));
    assertFalse(accounts.createIfNoAdminExists("admin", OTHER_PASSWORD));
    assertFalse(accounts.createIfNoAdminExists("second", OTHER_PASSWORD));
    assertEquals(List.of("admin"), accounts.usernames());
    assertTrue(accounts.passwords.verify(PASSWORD, accounts.passwordHash("admin")));
  }

  @Test
  void changingTheOwnPasswordNeedsTheCurrentOne() {
    accounts.create("admin", PASSWORD);
    ApiException wrong =
        assertThrows(
            ApiException.class,
            () -> accounts.changePassword("admin", "not the password", OTHER_PASSWORD));
    assertEquals("wrong_password", wrong.code());
    ApiException unknown =
        assertThrows(
            ApiException.class, () -> accounts.changePassword("nobody", PASSWORD, OTHER_PASSWORD));
    assertEquals(wrong.getMessage(), unknown.getMessage(), "no hint whether the admin exists");
    assertTrue(changes.fired.isEmpty());

    accounts.changePassword("admin", PASSWORD, OTHER_PASSWORD);
    assertTrue(accounts.passwords.verify(OTHER_PASSWORD, accounts.passwordHash("admin")));
    assertEquals(List.of(new AdminAccountChanged("admin")), changes.fired);
  }

  @Test
  void setPasswordResetsAnotherAdminAndRefusesUnknownOnes() {
    accounts.create("admin", PASSWORD);
    accounts.setPassword("admin", OTHER_PASSWORD);
    assertTrue(accounts.passwords.verify(OTHER_PASSWORD, accounts.passwordHash("admin")));
    assertEquals(
        404,
        assertThrows(ApiException.class, () -> accounts.setPassword("nobody", OTHER_PASSWORD))
            .status());
    assertEquals(
        400,
        assertThrows(ApiException.class, () -> accounts.setPassword("admin", "short")).status());
  }

  @Test
  void removesAnAdminButNeverTheLastOne() {
    accounts.create("alice", PASSWORD);
    accounts.create("bob", PASSWORD);
    accounts.remove("alice");
    assertEquals(List.of("bob"), accounts.usernames());
    assertEquals(List.of(new AdminAccountChanged("alice")), changes.fired);

    ApiException last = assertThrows(ApiException.class, () -> accounts.remove("bob"));
    assertEquals(409, last.status());
    assertTrue(last.getMessage().contains("last admin"), last.getMessage());
    assertEquals(404, assertThrows(ApiException.class, () -> accounts.remove("nobody")).status());
    assertEquals(List.of("bob"), accounts.usernames());
  }

  @Test
  void updatedAtMovesWhenThePasswordChanges() throws Exception {
    accounts.create("admin", PASSWORD);
    try (Connection c = transactions.getConnection();
        Statement s = c.createStatement()) {
      s.execute("UPDATE admin_users SET updated_at = TIMESTAMP '2000-01-01 00:00:00'");
    }
    accounts.setPassword("admin", OTHER_PASSWORD);
    try (Connection c = transactions.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT updated_at FROM admin_users")) {
      assertTrue(rs.next());
      assertNotEquals(2000, rs.getTimestamp(1).toLocalDateTime().getYear());
    }
  }
}
