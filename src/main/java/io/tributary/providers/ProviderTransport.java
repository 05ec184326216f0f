package io.tributary.providers;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends one request and reads the whole answer, on the JDK's own HTTP client: one connection pool
 * for all providers with no per-host cap (the old {@code HttpURLConnection} kept five idle
 * connections per host, so a run with 64 workers opened new ones all the time), and none of a JAX-RS
 * client's per-request machinery (a tenth of the sync engine's CPU in the benchmark's profile).
 */
public final class ProviderTransport {

  /** A provider page is at most a few hundred KB; anything far bigger is refused, not buffered. */
  static final int MAX_BODY_BYTES = 32 * 1024 * 1024;

  private final HttpClient client;
  private final Duration readTimeout;

  public ProviderTransport(Duration connectTimeout, Duration readTimeout) {
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(connectTimeout)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .executor(Executors.newCachedThreadPool(ProviderTransport::lowPriorityThread))
            .build();
    this.readTimeout = readTimeout;
  }

  /**
   * @param bearer the access token, or null for a token request
   * @throws IOException when the provider could not be reached or the answer could not be read
   *     (including a timeout, {@link java.net.http.HttpTimeoutException})
   */
  public ProviderResponse send(ProviderRequest request, String bearer) throws IOException {
    HttpRequest.Builder b = HttpRequest.newBuilder(request.uri()).timeout(readTimeout);
    request.headers().forEach(b::header);
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    if (request.body() == null) {
      b.method(request.method(), HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", request.contentType());
      b.method(request.method(), HttpRequest.BodyPublishers.ofString(request.body(), StandardCharsets.UTF_8));
    }
    // sendAsync + get(timeout): the request's own timeout ends when the headers arrive, and a
    // provider that stalls in the middle of a body must time out too.
    CompletableFuture<HttpResponse<byte[]>> pending;
    try {
      pending = client.sendAsync(b.build(), info -> new LimitedBody(MAX_BODY_BYTES));
    } catch (IllegalArgumentException e) {
      throw new IOException("request refused by the HTTP client: " + e.getMessage(), e);
    }
    HttpResponse<byte[]> r;
    try {
      r = pending.get(readTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      pending.cancel(true);
      throw new HttpTimeoutException("no complete answer within " + readTimeout.toMillis() + " ms");
    } catch (InterruptedException e) {
      pending.cancel(true);
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(String.valueOf(e.getCause()), e.getCause());
    }
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    r.headers().map().forEach(headers::put);
    String body = new String(r.body(), charset(r.headers().firstValue("content-type").orElse(null)));
    return new ProviderResponse(r.statusCode(), headers, body);
  }

  private static final AtomicInteger THREADS = new AtomicInteger();

  /**
   * The client's own threads (reading answers, feeding bodies) work for the syncs, so they get the
   * sync threads' low priority: under a full CPU, requests to the API and the dashboards come first.
   * The JDK's default executor would make them normal-priority threads. Daemons: they never keep
   * the JVM up, and idle ones end after a minute (a cached pool).
   */
  private static Thread lowPriorityThread(Runnable r) {
    Thread t = new Thread(r, "provider-http-" + THREADS.incrementAndGet());
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    return t;
  }

  /**
   * Collects a body up to a limit; a bigger one fails the exchange instead of filling the heap. The
   * client's buffers are kept as they come (it hands them over, as its own {@code ofByteArray} does)
   * and copied once, into an array of the body's size: copying each into a growing stream had cost
   * three copies of every answer, a fifth of the sync engine's allocations.
   */
  static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final int max;
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private final List<ByteBuffer> received = new ArrayList<>();
    private int size;
    private Flow.Subscription subscription;

    LimitedBody(int max) {
      this.max = max;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      for (ByteBuffer bb : buffers) {
        if ((long) size + bb.remaining() > max) {
          subscription.cancel();
          received.clear();
          result.completeExceptionally(new IOException("answer larger than " + (max >> 20) + " MB"));
          return;
        }
        size += bb.remaining();
        received.add(bb);
      }
    }

    @Override
    public void onError(Throwable t) {
      received.clear();
      result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      byte[] body = new byte[size];
      int at = 0;
      for (ByteBuffer bb : received) {
        int n = bb.remaining();
        bb.get(body, at, n);
        at += n;
      }
      received.clear();
      result.complete(body);
    }
  }

  /** The charset a Content-Type names; UTF-8 (JSON's) when it names none or an unknown one. */
  static Charset charset(String contentType) {
    if (contentType != null) {
      for (String part : contentType.split(";")) {
        String p = part.strip();
        if (p.toLowerCase(Locale.ROOT).startsWith("charset=")) {
          try {
            return Charset.forName(p.substring(8).replace("\"", "").strip());
          } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
          }
        }
      }
    }
    return StandardCharsets.UTF_8;
  }
}
