package io.tributary.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the error page answers for an exception that escaped a page, without a container. */
class FailedPageTest {

  /** The parts of a response the page writes. */
  static final class Answer {
    int status = 200;
    final Map<String, String> headers = new HashMap<>();
    final StringWriter body = new StringWriter();
    boolean committed;
  }

  static Answer answer(String uri, Throwable failure) throws Exception {
    return answer(uri, failure, false);
  }

  static Answer answer(String uri, Throwable failure, boolean committed) throws Exception {
    Answer a = new Answer();
    a.committed = committed;
    Map<String, Object> attributes = new HashMap<>();
    attributes.put(RequestDispatcher.ERROR_EXCEPTION, failure);
    attributes.put(RequestDispatcher.ERROR_REQUEST_URI, uri);
    HttpServletRequest request =
        (HttpServletRequest)
            Proxy.newProxyInstance(
                FailedPageTest.class.getClassLoader(),
                new Class<?>[] {HttpServletRequest.class},
                (proxy, method, args) ->
                    switch (method.getName()) {
                      case "getAttribute" -> attributes.get((String) args[0]);
                      case "getContextPath" -> "";
                      case "getMethod" -> "GET";
                      default -> null;
                    });
    PrintWriter writer = new PrintWriter(a.body);
    HttpServletResponse response =
        (HttpServletResponse)
            Proxy.newProxyInstance(
                FailedPageTest.class.getClassLoader(),
                new Class<?>[] {HttpServletResponse.class},
                (proxy, method, args) -> {
                  switch (method.getName()) {
                    case "setStatus" -> a.status = (Integer) args[0];
                    case "setHeader" -> a.headers.put((String) args[0], (String) args[1]);
                    case "setContentType" -> a.headers.put("Content-Type", (String) args[0]);
                    case "reset" -> {
                      a.headers.clear();
                      a.status = 200;
                    }
                    case "isCommitted" -> {
                      return a.committed;
                    }
                    case "getWriter" -> {
                      return writer;
                    }
                    case "flushBuffer" -> writer.flush();
                    default -> {}
                  }
                  return null;
                });
    new FailedPage().service(request, response);
    writer.flush();
    return a;
  }

  static void assertNoInternals(String body) {
    assertFalse(body.contains("Exception"), body);
    assertFalse(body.contains("at io."), body);
    assertFalse(body.contains("password=hunter2"), body);
    assertFalse(body.contains("relation"), body);
  }

  @Test
  void aPageFailingOnTheDatabaseAnswers503WithRetryAfterAndSaysSo() throws Exception {
    Throwable failure =
        new ServletException(
            new IllegalStateException(
                "Reading provider incidents failed", new SQLException("Connection to 127.0.0.1:5432 refused", "08001")));
    Answer a = answer("/dashboard/monitoring", failure);
    assertEquals(503, a.status);
    assertEquals(Integer.toString(FailedPage.RETRY_AFTER_SECONDS), a.headers.get("Retry-After"));
    assertTrue(a.headers.get("Content-Type").startsWith("text/html"));
    String body = a.body.toString();
    assertTrue(body.contains("The database is unavailable; this page will work again when it is back"), body);
    assertTrue(body.contains("<meta http-equiv=\"refresh\" content=\"" + FailedPage.RETRY_AFTER_SECONDS + "\">"), body);
    assertFalse(body.contains("5432"), "no exception text: " + body);
    assertNoInternals(body);
    assertEquals(SecurityHeaders.CONTENT_SECURITY_POLICY, a.headers.get("Content-Security-Policy"));
    assertEquals("DENY", a.headers.get("X-Frame-Options"));
    assertEquals("nosniff", a.headers.get("X-Content-Type-Options"));
    assertEquals("no-store", a.headers.get("Cache-Control"));
  }

  @Test
  void anyOtherPageFailureAnswersAGeneric500WithAnIncidentButNoDetail() throws Exception {
    Throwable failure =
        new ServletException(new IllegalStateException("relation \"x\" does not exist; password=hunter2", new NullPointerException()));
    Answer a = answer("/dashboard/integrations", failure);
    assertEquals(500, a.status);
    assertNull(a.headers.get("Retry-After"));
    String body = a.body.toString();
    assertTrue(body.contains("Something went wrong") && body.matches("(?s).*incident [0-9a-f-]{36}.*"), body);
    assertNoInternals(body);
    assertEquals(SecurityHeaders.CONTENT_SECURITY_POLICY, a.headers.get("Content-Security-Policy"));
    assertEquals("no-store", a.headers.get("Cache-Control"));
  }

  @Test
  void anEscapedApiFailureGetsTheJsonErrorShape() throws Exception {
    Answer down = answer("/api/connections", new SQLException("gone", "57P01"));
    assertEquals(503, down.status);
    assertTrue(down.body.toString().startsWith("{\"error\":\"database_unavailable\""), down.body.toString());
    assertNull(down.headers.get("Content-Security-Policy"));
    Answer bug = answer("/api/connections", new IllegalStateException("relation"));
    assertEquals(500, bug.status);
    assertTrue(bug.body.toString().startsWith("{\"error\":\"server_error\""), bug.body.toString());
    assertNoInternals(bug.body.toString());
  }

  @Test
  void aPageThatHadAlreadyStartedIsLeftAsItIs() throws Exception {
    Answer a = answer("/dashboard/monitoring", new IllegalStateException("late"), true);
    assertEquals(200, a.status);
    assertEquals("", a.body.toString());
  }
}
