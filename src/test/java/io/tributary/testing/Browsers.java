package io.tributary.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium for browser tests: Debian's {@code chromium} and {@code chromium-driver}, never a
 * downloaded browser or driver. When they are missing and the tests run as root they are installed
 * with apt-get; otherwise the test fails with what to install (never skipped).
 *
 * <p>The driver binary is given to Selenium explicitly ({@code webdriver.chrome.driver}), so
 * Selenium Manager never runs and nothing is fetched from the network.
 */
public final class Browsers {
  private Browsers() {}

  private static final Logger LOG = Logger.getLogger(Browsers.class.getName());

  public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  public static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  /** Makes sure chromium and chromedriver are installed (installing them as root if needed). */
  public static synchronized void ensureChromium() {
    if (Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM)) {
      return;
    }
    if (!"root".equals(System.getProperty("user.name"))) {
      throw new IllegalStateException(
          "The browser tests need Debian's chromium and chromium-driver (" + CHROMIUM + ", " + CHROMEDRIVER
              + "). Install them: sudo apt-get install -y chromium chromium-driver");
    }
    LOG.info("Installing chromium and chromium-driver with apt-get for the browser tests");
    run(List.of("apt-get", "update"), Duration.ofMinutes(10));
    run(
        List.of("apt-get", "install", "-y", "chromium", "chromium-driver"),
        Duration.ofMinutes(20));
    if (!Files.isExecutable(CHROMEDRIVER) || !Files.isExecutable(CHROMIUM)) {
      throw new IllegalStateException(
          "apt-get installed chromium and chromium-driver, but " + CHROMIUM + " or " + CHROMEDRIVER
              + " is still missing");
    }
  }

  /** A fresh headless Chromium with its own profile directory, at the given window size. */
  public static ChromeDriver headless(Path profile, int width, int height) {
    ensureChromium();
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        "--user-data-dir=" + profile.toAbsolutePath(),
        "--window-size=" + width + "," + height);
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    return driver;
  }

  private static void run(List<String> command, Duration timeout) {
    try {
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
      pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
      Path log = Files.createTempFile("apt-", ".log");
      pb.redirectOutput(log.toFile());
      Process p = pb.start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " took longer than " + timeout);
      }
      if (p.exitValue() != 0) {
        String out = Files.readString(log);
        throw new IllegalStateException(
            String.join(" ", command) + " failed (exit " + p.exitValue() + "):\n"
                + out.substring(Math.max(0, out.length() - 4000)));
      }
      Files.deleteIfExists(log);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while running " + String.join(" ", command), e);
    }
  }
}
