package io.tributary.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The headers of the browser-facing pages. */
class SecurityHeadersTest {

  static Map<String, String> headersFor(String path) {
    Map<String, String> h = new HashMap<>();
    HttpServletResponse r =
        (HttpServletResponse)
            Proxy.newProxyInstance(
                HttpServletResponse.class.getClassLoader(),
                new Class<?>[] {HttpServletResponse.class},
                (proxy, m, args) -> {
                  if (m.getName().equals("setHeader")) {
                    h.put((String) args[0], (String) args[1]);
                  }
                  return null;
                });
    SecurityHeaders.apply(path, r);
    return h;
  }

  @Test
  void theCspForbidsInlineScriptFramingAndForeignFormTargets() {
    String csp = headersFor("/dashboard/monitoring").get("Content-Security-Policy");
    assertEquals(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
        csp);
    assertFalse(csp.contains("unsafe-inline"));
    assertFalse(csp.contains("unsafe-eval"));
  }

  @Test
  void authenticatedPagesAreNeverCachedTheLandingPageMayBe() {
    Map<String, String> dash = headersFor("/dashboard/integrations");
    assertEquals("no-store", dash.get("Cache-Control"));
    assertEquals("DENY", dash.get("X-Frame-Options"));
    assertEquals("nosniff", dash.get("X-Content-Type-Options"));
    assertEquals("no-referrer", dash.get("Referrer-Policy"));
    assertEquals("no-store", headersFor("/login").get("Cache-Control"));
    Map<String, String> root = headersFor("/");
    assertNull(root.get("Cache-Control"));
    assertTrue(root.containsKey("Content-Security-Policy"));
  }
}
