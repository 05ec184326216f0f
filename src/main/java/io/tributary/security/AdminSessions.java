package io.tributary.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The dashboard's logged-in admins, kept in the HTTP session (cookie-only, HttpOnly, SameSite=Lax,
 * timeout in {@code web.xml}).
 *
 * <p>A session remembers the admin and a fingerprint of the admin's stored password hash (SHA-256
 * of it; the hash carries a random salt, so every password change changes it). Each dashboard
 * request compares that fingerprint with the database: a removed admin, or an admin whose password
 * was changed elsewhere, loses every session at once, on every instance. The session in which an
 * admin changes its own password stays valid ({@link #renew}).
 *
 * <p>A login always gets a new session id ({@link HttpServletRequest#changeSessionId()}), so a
 * session id planted before the login is worthless after it.
 */
@ApplicationScoped
public class AdminSessions {

  private static final Logger LOG = Logger.getLogger(AdminSessions.class.getName());

  static final String ATTRIBUTE = AdminSessions.class.getName();

  /** What the session holds: who, and which password hash they logged in against. */
  record SessionLogin(String username, String fingerprint) implements Serializable {}

  @Inject AdminAccounts accounts;

  /** Starts {@code username}'s session after a successful login, under a fresh session id. */
  void establish(HttpServletRequest request, String username) {
    HttpSession session = request.getSession(false);
    if (session != null) {
      request.changeSessionId();
    }
    session = request.getSession(true);
    session.setAttribute(ATTRIBUTE, new SessionLogin(username, fingerprint(username).orElse("")));
  }

  /** The admin this request's session belongs to, if the session is still valid. */
  Optional<String> current(HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    if (session == null) {
      return Optional.empty();
    }
    Object value;
    try {
      value = session.getAttribute(ATTRIBUTE);
    } catch (IllegalStateException invalidated) {
      return Optional.empty();
    }
    if (!(value instanceof SessionLogin login)) {
      return Optional.empty();
    }
    Optional<String> now;
    try {
      now = fingerprint(login.username());
    } catch (RuntimeException e) {
      // The database is unreachable: the page will fail anyway; do not log everybody out for it.
      LOG.warning("Cannot check a dashboard session against the admin accounts: " + e.getMessage());
      return Optional.of(login.username());
    }
    if (now.isEmpty() || !now.get().equals(login.fingerprint())) {
      session.removeAttribute(ATTRIBUTE);
      return Optional.empty();
    }
    return Optional.of(login.username());
  }

  /**
   * Keeps this session valid after its admin changed its own password (the other sessions of that
   * admin end).
   */
  public void renew(HttpServletRequest request, String username) {
    HttpSession session = request.getSession(false);
    if (session != null && session.getAttribute(ATTRIBUTE) instanceof SessionLogin login
        && login.username().equals(username)) {
      request.changeSessionId();
      session = request.getSession(false);
      session.setAttribute(ATTRIBUTE, new SessionLogin(username, fingerprint(username).orElse("")));
    }
  }

  /** Logs out: the session and everything in it (views, flash) is gone. */
  public void end(HttpServletRequest request) {
    HttpSession session = request.getSession(false);
    if (session != null) {
      try {
        session.invalidate();
      } catch (IllegalStateException alreadyInvalid) {
        // nothing left to end
      }
    }
  }

  private Optional<String> fingerprint(String username) {
    return accounts.passwordHash(username).map(AdminSessions::sha256);
  }

  static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
