package io.tributary.security;

import io.tributary.platform.web.ApiError;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What makes an acceptable admin username and password. Each check answers with the message an
 * operator needs to fix the input, or nothing when the input is fine.
 */
public final class AdminAccountRules {
  private AdminAccountRules() {}

  public static final int USERNAME_MAX_LENGTH = 100;
  public static final int PASSWORD_MIN_LENGTH = 12;
  // PBKDF2 pre-hashes long passwords, so this bounds request size rather than hashing cost.
  public static final int PASSWORD_MAX_LENGTH = 1024;

  private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9._@-]+");

  /** Why {@code username} is not acceptable, if it is not. */
  public static Optional<String> usernameProblem(String username) {
    if (username == null || username.isEmpty()) {
      return Optional.of("The username must not be empty.");
    }
    if (username.length() > USERNAME_MAX_LENGTH) {
      return Optional.of(
          "The username must be at most "
              + USERNAME_MAX_LENGTH
              + " characters long (it has "
              + username.length()
              + ").");
    }
    if (!USERNAME.matcher(username).matches()) {
      return Optional.of(
          "The username may contain only letters (A-Z, a-z), digits and the characters . _ @ -");
    }
    return Optional.empty();
  }

  /** Why {@code password} is not acceptable, if it is not. Never repeats the password. */
  public static Optional<String> passwordProblem(String password) {
    if (password == null || password.isEmpty()) {
      return Optional.of("The password must not be empty.");
    }
    int length = password.codePointCount(0, password.length());
    if (length < PASSWORD_MIN_LENGTH) {
      return Optional.of(
          "The password must be at least "
              + PASSWORD_MIN_LENGTH
              + " characters long (it has "
              + length
              + ").");
    }
    if (length > PASSWORD_MAX_LENGTH) {
      return Optional.of(
          "The password must be at most " + PASSWORD_MAX_LENGTH + " characters long.");
    }
    if (password.isBlank()) {
      return Optional.of("The password must not consist of whitespace only.");
    }
    return Optional.empty();
  }

  /**
   * Throws {@link ApiError#badRequest} with the problem when {@code username} is not acceptable.
   */
  static void requireValidUsername(String username) {
    Optional<String> problem = usernameProblem(username);
    if (problem.isPresent()) {
      throw ApiError.badRequest(problem.get());
    }
  }

  /**
   * Throws {@link ApiError#badRequest} with the problem when {@code password} is not acceptable.
   */
  static void requireValidPassword(String password) {
    Optional<String> problem = passwordProblem(password);
    if (problem.isPresent()) {
      throw ApiError.badRequest(problem.get());
    }
  }
}
