package io.tributary.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AdminAccountRulesTest {

  @ParameterizedTest
  @ValueSource(
      strings = {"a", "admin", "ops.team", "jane_doe", "jane-doe", "jane@example.com", "A1"})
  void acceptsUsernamesOfLettersDigitsAndDotUnderscoreAtDash(String username) {
    assertEquals(Optional.empty(), AdminAccountRules.usernameProblem(username));
  }

  @Test
  void acceptsAHundredCharacterUsernameButNotLonger() {
    assertEquals(Optional.empty(), AdminAccountRules.usernameProblem("a".repeat(100)));
    assertEquals(
        Optional.of("The username must be at most 100 characters long (it has 101)."),
        AdminAccountRules.usernameProblem("a".repeat(101)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "jane doe",
        "jane:doe",
        "jane/doe",
        "jäne",
        "admin\u0000",
        "<script>",
        "a+b",
        " admin"
      })
  void refusesOtherCharactersNamingTheAllowedOnes(String username) {
    String problem = AdminAccountRules.usernameProblem(username).orElseThrow();
    assertTrue(problem.contains(". _ @ -"), problem);
  }

  @Test
  void refusesEmptyAndMissingUsernames() {
    assertEquals(
        Optional.of("The username must not be empty."), AdminAccountRules.usernameProblem(""));
    assertEquals(
        Optional.of("The username must not be empty."), AdminAccountRules.usernameProblem(null));
  }

  @Test
  void passwordsNeedTwelveCharacters() {
    assertEquals(
        Optional.of("The password must be at least 12 characters long (it has 11)."),
        AdminAccountRules.passwordProblem("12345678901"));
    assertEquals(Optional.empty(), AdminAccountRules.passwordProblem("123456789012"));
  }

  @Test
  void passwordLengthCountsCharactersNotUtf16Units() {
    // Six emoji are twelve UTF-16 units but only six characters.
    assertTrue(AdminAccountRules.passwordProblem("\uD83D\uDE00".repeat(6)).isPresent());
    assertEquals(Optional.empty(), AdminAccountRules.passwordProblem("\uD83D\uDE00".repeat(12)));
  }

  @Test
  void refusesMissingBlankAndAbsurdlyLongPasswords() {
    assertEquals(
        Optional.of("The password must not be empty."), AdminAccountRules.passwordProblem(null));
    assertEquals(
        Optional.of("The password must not be empty."), AdminAccountRules.passwordProblem(""));
    assertEquals(
        Optional.of("The password must not consist of whitespace only."),
        AdminAccountRules.passwordProblem(" ".repeat(20)));
    assertTrue(AdminAccountRules.passwordProblem("x".repeat(1025)).isPresent());
    assertFalse(AdminAccountRules.passwordProblem("x".repeat(1024)).isPresent());
  }

  @Test
  void problemsNeverRepeatThePassword() {
    String secret = "hunter2";
    assertFalse(AdminAccountRules.passwordProblem(secret).orElseThrow().contains(secret));
  }
}
