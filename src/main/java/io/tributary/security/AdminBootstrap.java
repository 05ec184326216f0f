package io.tributary.security;

import io.tributary.platform.web.ApiException;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.logging.Logger;

/**
 * Makes sure, at startup, that someone can administer the service and that the cron secret is
 * settled before the first cron call.
 *
 * <ul>
 *   <li>{@code ADMIN_PASSWORD} set: admin {@code ADMIN_USERNAME} (default {@code admin}) is created
 *       with it, or given it (left untouched when it already has it).
 *   <li>No {@code ADMIN_PASSWORD} and no admin at all, demo mode: an admin with a random password
 *       is created and the password logged once, at WARNING (the only place an admin secret is ever
 *       logged). Outside demo mode: a WARNING that {@code ADMIN_PASSWORD} must be set.
 *   <li>The cron secret is resolved now (see {@link CronSecret}), which in demo mode may generate
 *       and print it.
 * </ul>
 *
 * A bad {@code ADMIN_USERNAME} or too short {@code ADMIN_PASSWORD} is logged as SEVERE and not
 * applied; the service still starts (existing admins keep working).
 */
@Singleton
@Startup
@DependsOn("DatabaseMigrations")
// Each AdminAccounts call runs in its own transaction, so a password change is committed (and
// cached logins dropped) before startup continues.
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class AdminBootstrap {

  private static final Logger LOG = Logger.getLogger(AdminBootstrap.class.getName());

  @Inject AdminAccounts accounts;
  @Inject CronSecret cronSecret;

  @PostConstruct
  void bootstrap() {
    SecuritySettings settings = SecuritySettings.current();
    ensureAdmin(settings);
    // Resolving the secret now puts its startup messages (or demo secret) in the startup log.
    cronSecret.configured();
  }

  private void ensureAdmin(SecuritySettings settings) {
    String username = settings.adminUsername();
    if (settings.adminPassword().isPresent()) {
      try {
        AdminAccounts.Outcome outcome =
            accounts.createOrUpdate(username, settings.adminPassword().get());
        switch (outcome) {
          case CREATED -> LOG.info("Created admin '" + username + "' from ADMIN_PASSWORD.");
          case UPDATED ->
              LOG.info("Set the password of admin '" + username + "' from ADMIN_PASSWORD.");
          case UNCHANGED -> LOG.fine("Admin '" + username + "' already has ADMIN_PASSWORD.");
        }
      } catch (ApiException e) {
        LOG.severe(
            "ADMIN_USERNAME/ADMIN_PASSWORD not applied: "
                + e.getMessage()
                + " Fix the setting and restart; existing admins are unchanged.");
      }
      return;
    }
    if (accounts.anyExists()) {
      return;
    }
    if (!settings.demo()) {
      LOG.warning(
          "No admin account exists and ADMIN_PASSWORD is not set: the API and the dashboard refuse"
              + " every admin call. Set ADMIN_PASSWORD (at least "
              + AdminAccountRules.PASSWORD_MIN_LENGTH
              + " characters; ADMIN_USERNAME defaults to 'admin') and restart.");
      return;
    }
    String password = randomPassword();
    try {
      if (accounts.createIfNoAdminExists(username, password)) {
        // Demo mode only: the one place an admin password is logged, once, when it is generated.
        LOG.warning(
            "DEMO MODE: no ADMIN_PASSWORD was set, so admin '"
                + username
                + "' was created with the generated password  "
                + password
                + "  -- it is shown only this once. Set ADMIN_PASSWORD for any real deployment.");
      }
    } catch (ApiException e) {
      LOG.severe("DEMO MODE: cannot create the demo admin: " + e.getMessage());
    }
  }

  private static String randomPassword() {
    byte[] b = new byte[18];
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
