package io.tributary.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tributary.platform.ConfigurationError;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SessionCookieSecurityTest {

  @Test
  void anHttpsPublicUrlMakesTheCookieSecure() {
    assertTrue(SessionCookieSecurity.secure(Optional.empty(), Optional.of("https://tributary.example.com")));
    assertTrue(SessionCookieSecurity.secure(Optional.empty(), Optional.of(" HTTPS://tributary.example.com/ ")));
    assertFalse(SessionCookieSecurity.secure(Optional.empty(), Optional.of("http://localhost:8080")));
    assertFalse(SessionCookieSecurity.secure(Optional.empty(), Optional.empty()), "plain HTTP by default: the run command");
  }

  @Test
  void anExplicitSettingWins() {
    assertFalse(SessionCookieSecurity.secure(Optional.of("false"), Optional.of("https://tributary.example.com")));
    assertTrue(SessionCookieSecurity.secure(Optional.of("TRUE"), Optional.empty()), "TLS ends at a proxy that forwards plain HTTP");
    assertTrue(SessionCookieSecurity.secure(Optional.of(" "), Optional.of("https://x")), "blank means unset");
  }

  @Test
  void aMalformedSettingStopsTheStartNamingTheVariable() {
    ConfigurationError e = assertThrows(ConfigurationError.class, () -> SessionCookieSecurity.secure(Optional.of("yes"), Optional.empty()));
    assertEquals(true, e.getMessage().contains("SESSION_COOKIE_SECURE"));
  }
}
