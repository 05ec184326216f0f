package io.tributary.security;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import java.util.Locale;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Marks the dashboard's session cookie {@code Secure} (sent over HTTPS only) when the service is
 * reached over HTTPS: {@code SESSION_COOKIE_SECURE} if set, otherwise whether {@code
 * TRIBUTARY_PUBLIC_URL} starts with {@code https://}. Plain-HTTP setups (the run command, tests on
 * loopback) keep working, and a deployment behind TLS gets the flag without another setting.
 *
 * <p>A listener because the cookie's settings can only be changed while the application starts.
 */
@WebListener
public class SessionCookieSecurity implements ServletContextListener {

  private static final Logger LOG = Logger.getLogger(SessionCookieSecurity.class.getName());

  @Override
  public void contextInitialized(ServletContextEvent sce) {
    Config config = ConfigProvider.getConfig(SessionCookieSecurity.class.getClassLoader());
    boolean secure =
        secure(config.getOptionalValue("session.cookie.secure", String.class), config.getOptionalValue("tributary.public.url", String.class));
    sce.getServletContext().getSessionCookieConfig().setSecure(secure);
    LOG.info(secure
        ? "The session cookie is Secure: the dashboard works over HTTPS only"
        : "The session cookie is not marked Secure (set TRIBUTARY_PUBLIC_URL=https://… or SESSION_COOKIE_SECURE=true behind TLS)");
  }

  /** Explicit setting first; otherwise HTTPS public URL means Secure. */
  static boolean secure(Optional<String> configured, Optional<String> publicUrl) {
    Optional<String> explicit = configured.map(String::strip).filter(s -> !s.isEmpty());
    if (explicit.isPresent()) {
      String v = explicit.get().toLowerCase(Locale.ROOT);
      if (!v.equals("true") && !v.equals("false")) {
        throw io.tributary.platform.ConfigurationError.stop("SESSION_COOKIE_SECURE must be true or false, got '" + explicit.get() + "'");
      }
      return v.equals("true");
    }
    return publicUrl.map(u -> u.strip().toLowerCase(Locale.ROOT).startsWith("https://")).orElse(false);
  }
}
