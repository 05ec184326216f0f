package io.tributary.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket to 127.0.0.1, for requests {@code java.net.http} refuses to send: CR or
 * LF inside a header value, invalid %-escapes, conflicting Content-Length and Transfer-Encoding, a
 * chunked body of any size. The bytes go out exactly as given; the answer is read until the server
 * closes the connection.
 */
public final class RawHttp {
  private RawHttp() {}

  public static Api.Reply send(int port, byte[] request) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      s.setSoTimeout(60_000);
      OutputStream out = s.getOutputStream();
      // Written on its own thread: a server may answer (413) and close before a large body is sent.
      Thread writer =
          new Thread(
              () -> {
                try {
                  out.write(request);
                  out.flush();
                } catch (IOException e) {
                  // the server stopped reading; its answer is what counts
                }
              });
      writer.start();
      byte[] answer = readAll(s.getInputStream());
      writer.join(5000);
      return parse(answer);
    } catch (IOException e) {
      throw new IllegalStateException("raw request to 127.0.0.1:" + port + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A request from its parts, with {@code Connection: close}; the body sent chunked when asked. */
  public static byte[] request(String method, String target, List<String[]> headers, byte[] body, boolean chunked) {
    StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
    for (String[] h : headers) {
      head.append(h[0]).append(": ").append(h[1]).append("\r\n");
    }
    if (body != null && !chunked) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    if (body != null && chunked) {
      head.append("Transfer-Encoding: chunked\r\n");
    }
    head.append("Connection: close\r\n\r\n");
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    // UTF-8, as a careless client sends a non-ASCII header value.
    b.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
    if (body != null && !chunked) {
      b.writeBytes(body);
    } else if (body != null) {
      for (int off = 0; off < body.length; off += 8192) {
        int n = Math.min(8192, body.length - off);
        b.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        b.write(body, off, n);
        b.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
      }
      b.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    return b.toByteArray();
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    byte[] buf = new byte[65536];
    try {
      for (int n; (n = in.read(buf)) >= 0; ) {
        b.write(buf, 0, n);
      }
    } catch (java.net.SocketException e) {
      // reset after the answer: keep what arrived
    }
    return b.toByteArray();
  }

  static Api.Reply parse(byte[] answer) {
    String all = new String(answer, StandardCharsets.ISO_8859_1);
    int end = all.indexOf("\r\n\r\n");
    if (!all.startsWith("HTTP/") || end < 0) {
      return new Api.Reply(0, all, Map.of());
    }
    String[] lines = all.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.computeIfAbsent(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
            .add(lines[i].substring(colon + 1).strip());
      }
    }
    byte[] rest = java.util.Arrays.copyOfRange(answer, end + 4, answer.length);
    List<String> te = headers.getOrDefault("transfer-encoding", List.of());
    byte[] body = te.stream().anyMatch(v -> v.equalsIgnoreCase("chunked")) ? dechunk(rest) : rest;
    return new Api.Reply(status, new String(body, StandardCharsets.UTF_8), headers);
  }

  private static byte[] dechunk(byte[] in) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    while (i < in.length) {
      int lineEnd = indexOf(in, i);
      if (lineEnd < 0) {
        break;
      }
      String size = new String(in, i, lineEnd - i, StandardCharsets.US_ASCII).split(";")[0].strip();
      int n = size.isEmpty() ? 0 : Integer.parseInt(size, 16);
      if (n == 0) {
        break;
      }
      int start = lineEnd + 2;
      out.write(in, start, Math.min(n, in.length - start));
      i = start + n + 2;
    }
    return out.toByteArray();
  }

  private static int indexOf(byte[] in, int from) {
    for (int i = from; i + 1 < in.length; i++) {
      if (in[i] == '\r' && in[i + 1] == '\n') {
        return i;
      }
    }
    return -1;
  }
}
