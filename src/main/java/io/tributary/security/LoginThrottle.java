package io.tributary.security;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Slows down password guessing on the dashboard's login form.
 *
 * <ul>
 *   <li>Every failed login is answered no sooner than {@link #FAILURE_ANSWER_TIME} after it
 *       arrived, whatever the reason (unknown admin, wrong password, blocked address): the answer
 *       and its timing say nothing about which admins exist.
 *   <li>A client address with {@link #MAX_FAILURES} failures within {@link #WINDOW} is blocked
 *       until the oldest of them leaves the window: its attempts are then refused without checking
 *       the password. Counting by address rather than by username keeps an attacker from locking
 *       the real admin out by guessing at its name (behind a reverse proxy every client shares the
 *       proxy's address; the limit then applies to all of them together).
 * </ul>
 *
 * State is per instance and in memory: bounded to {@link #MAX_TRACKED} addresses, oldest dropped
 * first. A restart forgets it, which costs an attacker nothing it did not already have.
 */
@ApplicationScoped
public class LoginThrottle {

  static final Duration FAILURE_ANSWER_TIME = Duration.ofSeconds(1);
  static final int MAX_FAILURES = 10;
  static final Duration WINDOW = Duration.ofMinutes(15);
  static final int MAX_TRACKED = 10_000;

  @Inject Clock clock;

  // Insertion order = first failure order, so the eldest address is dropped when full.
  private final LinkedHashMap<String, Deque<Instant>> failures = new LinkedHashMap<>();

  public LoginThrottle() {}

  LoginThrottle(Clock clock) {
    this.clock = clock;
  }

  /** How long {@code address} must wait before it may try again; empty when it may try now. */
  public synchronized Optional<Duration> blockedFor(String address) {
    Deque<Instant> times = failures.get(key(address));
    if (times == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    prune(times, now);
    if (times.isEmpty()) {
      failures.remove(key(address));
      return Optional.empty();
    }
    if (times.size() < MAX_FAILURES) {
      return Optional.empty();
    }
    return Optional.of(Duration.between(now, times.peekFirst().plus(WINDOW)));
  }

  /**
   * A failed attempt from {@code address}.
   *
   * @return whether this failure blocks the address (it reached {@link #MAX_FAILURES})
   */
  public synchronized boolean failed(String address) {
    Instant now = clock.instant();
    Deque<Instant> times = failures.computeIfAbsent(key(address), k -> new ArrayDeque<>());
    prune(times, now);
    times.addLast(now);
    boolean blocks = times.size() == MAX_FAILURES;
    while (times.size() > MAX_FAILURES) {
      times.removeFirst();
    }
    if (failures.size() > MAX_TRACKED) {
      Iterator<Map.Entry<String, Deque<Instant>>> eldest = failures.entrySet().iterator();
      while (failures.size() > MAX_TRACKED && eldest.hasNext()) {
        eldest.next();
        eldest.remove();
      }
    }
    return blocks;
  }

  /** A successful login from {@code address}: its failures are forgotten. */
  public synchronized void succeeded(String address) {
    failures.remove(key(address));
  }

  /** How long to wait still, so that a failure answered now took {@link #FAILURE_ANSWER_TIME}. */
  static Duration remainingPause(Duration elapsed) {
    Duration rest = FAILURE_ANSWER_TIME.minus(elapsed);
    return rest.isNegative() ? Duration.ZERO : rest;
  }

  synchronized int tracked() {
    return failures.size();
  }

  private static void prune(Deque<Instant> times, Instant now) {
    Instant horizon = now.minus(WINDOW);
    while (!times.isEmpty() && !times.peekFirst().isAfter(horizon)) {
      times.removeFirst();
    }
  }

  private static String key(String address) {
    return address == null ? "" : address;
  }
}
