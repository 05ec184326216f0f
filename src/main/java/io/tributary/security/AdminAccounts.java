package io.tributary.security;

import io.tributary.platform.database.DataSourceConfiguration;
import io.tributary.platform.web.ApiError;
import io.tributary.platform.web.ApiException;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The operators who may use the API and the dashboard (table {@code admin_users}): create, update,
 * remove, change passwords, list. Passwords are stored only as PBKDF2 hashes ({@link
 * AdminPasswords}); every change fires {@link AdminAccountChanged} so cached logins of the old
 * password end when the transaction commits.
 *
 * <p>Client mistakes (invalid name or password, unknown admin, removing the last admin) are {@link
 * ApiException}s with a message that says what to do. The SQL runs unchanged on PostgreSQL and on
 * the embedded H2 ({@code ON CONFLICT DO NOTHING} without a target is the portable form).
 */
@ApplicationScoped
@Transactional
public class AdminAccounts {

  /** What {@link #createOrUpdate} did. */
  public enum Outcome {
    CREATED,
    UPDATED,
    UNCHANGED
  }

  @Resource(lookup = DataSourceConfiguration.JNDI_NAME)
  DataSource dataSource;

  @Inject AdminPasswords passwords;

  @Inject Event<AdminAccountChanged> changes;

  /** The admins' usernames, sorted. */
  @Transactional(Transactional.TxType.SUPPORTS)
  public List<String> usernames() {
    return query(
        "SELECT username FROM admin_users ORDER BY username",
        ps -> {},
        rs -> {
          List<String> names = new ArrayList<>();
          while (rs.next()) {
            names.add(rs.getString(1));
          }
          return names;
        });
  }

  /** Whether any admin exists. */
  @Transactional(Transactional.TxType.SUPPORTS)
  public boolean anyExists() {
    return query(
        "SELECT count(*) FROM admin_users", ps -> {}, rs -> rs.next() && rs.getLong(1) > 0);
  }

  /** The stored PBKDF2 hash of {@code username}'s password, if that admin exists. */
  @Transactional(Transactional.TxType.SUPPORTS)
  Optional<String> passwordHash(String username) {
    return query(
        "SELECT password_hash FROM admin_users WHERE username = ?",
        ps -> ps.setString(1, username),
        rs -> rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty());
  }

  /**
   * Adds an admin.
   *
   * @throws ApiException 400 for an invalid username or password, 409 when the admin exists
   */
  public void create(String username, String password) {
    AdminAccountRules.requireValidUsername(username);
    AdminAccountRules.requireValidPassword(password);
    if (!insert(username, passwords.hash(password))) {
      throw ApiError.conflict("An admin named '" + username + "' already exists.");
    }
  }

  /**
   * Makes {@code password} the password of admin {@code username}, creating the admin if needed
   * (startup from {@code ADMIN_USERNAME}/{@code ADMIN_PASSWORD}). Leaves the row untouched when the
   * password is already the one stored. Safe when several instances start at once.
   *
   * @throws ApiException 400 for an invalid username or password
   */
  public Outcome createOrUpdate(String username, String password) {
    AdminAccountRules.requireValidUsername(username);
    AdminAccountRules.requireValidPassword(password);
    Optional<String> stored = passwordHash(username);
    if (stored.isPresent() && passwords.verify(password, stored)) {
      return Outcome.UNCHANGED;
    }
    String hash = passwords.hash(password);
    // Another instance may insert the same admin between our read and our insert: then update.
    if (stored.isEmpty() && insert(username, hash)) {
      return Outcome.CREATED;
    }
    updateHash(username, hash);
    return Outcome.UPDATED;
  }

  /**
   * Creates the first admin, only if there is no admin at all (demo mode's generated admin).
   *
   * @return whether it was created
   */
  public boolean createIfNoAdminExists(String username, String password) {
    AdminAccountRules.requireValidUsername(username);
    AdminAccountRules.requireValidPassword(password);
    String hash = passwords.hash(password);
    return update(
            "INSERT INTO admin_users (username, password_hash)"
                + " SELECT ?, ? WHERE NOT EXISTS (SELECT 1 FROM admin_users)",
            ps -> {
              ps.setString(1, username);
              ps.setString(2, hash);
            })
        == 1;
  }

  /**
   * Sets a new password for an admin (an admin resetting another admin's password).
   *
   * @throws ApiException 400 for an invalid password, 404 when there is no such admin
   */
  public void setPassword(String username, String newPassword) {
    AdminAccountRules.requireValidPassword(newPassword);
    if (!updateHash(username, passwords.hash(newPassword))) {
      throw ApiError.notFound("There is no admin named '" + username + "'.");
    }
  }

  /**
   * Changes an admin's own password after checking the current one (the dashboard's "change my
   * password"). An unknown admin and a wrong current password get the same answer.
   *
   * @throws ApiException 400 for an invalid new password or a wrong current password
   */
  public void changePassword(String username, String currentPassword, String newPassword) {
    AdminAccountRules.requireValidPassword(newPassword);
    if (!passwords.verify(currentPassword, passwordHash(username))) {
      throw new ApiException(400, "wrong_password", "The current password is wrong.");
    }
    if (!updateHash(username, passwords.hash(newPassword))) {
      throw new ApiException(400, "wrong_password", "The current password is wrong.");
    }
  }

  /**
   * Removes an admin, unless it is the last one (the service would then be unmanageable).
   *
   * @throws ApiException 404 when there is no such admin, 409 when it is the last admin
   */
  public void remove(String username) {
    // Lock every admin row first: two concurrent removals of the last two admins must not both
    // see "two admins left" (the second waits, then sees one row and refuses).
    List<String> all =
        query(
            "SELECT username FROM admin_users FOR UPDATE",
            ps -> {},
            rs -> {
              List<String> names = new ArrayList<>();
              while (rs.next()) {
                names.add(rs.getString(1));
              }
              return names;
            });
    if (!all.contains(username)) {
      throw ApiError.notFound("There is no admin named '" + username + "'.");
    }
    if (all.size() == 1) {
      throw ApiError.conflict(
          "'"
              + username
              + "' is the last admin and cannot be removed; create another admin first.");
    }
    update("DELETE FROM admin_users WHERE username = ?", ps -> ps.setString(1, username));
    changes.fire(new AdminAccountChanged(username));
  }

  private boolean insert(String username, String hash) {
    return update(
            "INSERT INTO admin_users (username, password_hash) VALUES (?, ?) ON CONFLICT DO"
                + " NOTHING",
            ps -> {
              ps.setString(1, username);
              ps.setString(2, hash);
            })
        == 1;
  }

  private boolean updateHash(String username, String hash) {
    boolean updated =
        update(
                "UPDATE admin_users SET password_hash = ?, updated_at = CURRENT_TIMESTAMP"
                    + " WHERE username = ?",
                ps -> {
                  ps.setString(1, hash);
                  ps.setString(2, username);
                })
            == 1;
    if (updated) {
      changes.fire(new AdminAccountChanged(username));
    }
    return updated;
  }

  // --- JDBC plumbing ------------------------------------------------------------------------

  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  private interface Reader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  private <T> T query(String sql, Binder binder, Reader<T> reader) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      binder.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        return reader.read(rs);
      }
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  private int update(String sql, Binder binder) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      binder.bind(ps);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw failure(e);
    }
  }

  private static IllegalStateException failure(SQLException e) {
    // The statement text and parameters stay out of the message: they may hold a password hash.
    return new IllegalStateException(
        "Admin accounts: database error (SQLState " + e.getSQLState() + "): " + e.getMessage(), e);
  }
}
