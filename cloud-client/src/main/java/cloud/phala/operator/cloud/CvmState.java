package cloud.phala.operator.cloud;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /cvms/{id}/state}: status, why a boot failed, and how long the CVM has been running
 * (empty when it is not running or the answer cannot be read).
 */
public record CvmState(
    String status, boolean inProgress, Optional<String> bootError, Optional<Duration> uptime) {
  private static final Pattern PART = Pattern.compile("([0-9]+)\\s*([dhms])");
  private static final Pattern WHOLE = Pattern.compile("(\\s*[0-9]+\\s*[dhms])+\\s*");

  /** Reads uptime as Phala Cloud writes it, e.g. {@code 1h 2m 3s} or {@code 2d 4h}. */
  public static Optional<Duration> parseUptime(String text) {
    if (text == null || !WHOLE.matcher(text).matches()) {
      return Optional.empty();
    }
    Duration total = Duration.ZERO;
    Matcher part = PART.matcher(text);
    while (part.find()) {
      long amount = Long.parseLong(part.group(1));
      total =
          total.plus(
              switch (part.group(2)) {
                case "d" -> Duration.ofDays(amount);
                case "h" -> Duration.ofHours(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofSeconds(amount);
              });
    }
    return Optional.of(total);
  }
}
