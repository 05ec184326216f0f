package io.tributary.security;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class CronSecretTest {

  static final String CURRENT = "current-secret-0123456789abcdef0123456789";
  static final String PREVIOUS = "previous-secret-0123456789abcdef012345678";

  CronSecret rotating = new CronSecret(Optional.of(CURRENT), Optional.of(PREVIOUS));

  @Test
  void acceptsTheCurrentSecret() {
    assertTrue(rotating.configured());
    assertTrue(rotating.matches(CURRENT));
  }

  @Test
  void acceptsThePreviousSecretDuringARotation() {
    assertTrue(rotating.matches(PREVIOUS));
  }

  @Test
  void refusesAnythingElse() {
    assertFalse(rotating.matches(CURRENT + "x"));
    assertFalse(rotating.matches(CURRENT.substring(1)));
    assertFalse(rotating.matches(CURRENT.toUpperCase()));
    assertFalse(rotating.matches(" " + CURRENT));
    assertFalse(rotating.matches("x"));
  }

  @Test
  void refusesEmptyAndMissingTokens() {
    assertFalse(rotating.matches(""));
    assertFalse(rotating.matches(null));
  }

  @Test
  void withoutAPreviousSecretOnlyTheCurrentOneMatches() {
    CronSecret single = new CronSecret(Optional.of(CURRENT), Optional.empty());
    assertTrue(single.matches(CURRENT));
    assertFalse(single.matches(PREVIOUS));
    assertFalse(single.matches(""));
  }

  @Test
  void unsetMeansNotConfiguredAndNothingMatches() {
    CronSecret unset = new CronSecret(Optional.empty(), Optional.empty());
    assertFalse(unset.configured());
    assertFalse(unset.matches(""));
    assertFalse(unset.matches(null));
    assertFalse(unset.matches("anything"));
  }

  @Test
  void anEmptySecretCountsAsUnset() {
    CronSecret empty = new CronSecret(Optional.of(""), Optional.of(""));
    assertFalse(empty.configured());
    assertFalse(empty.matches(""));
  }

  @Test
  void aPreviousSecretAloneOpensNothing() {
    CronSecret previousOnly = new CronSecret(Optional.empty(), Optional.of(PREVIOUS));
    assertFalse(previousOnly.configured());
    assertFalse(previousOnly.matches(PREVIOUS));
  }
}
