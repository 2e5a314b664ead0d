package cloud.phala.operator.cloud;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations written as {@code 1h30m}, {@code 90s} or {@code 2d 4h} (Phala Cloud's uptime). */
public final class CompactDuration {
  private static final Pattern PART = Pattern.compile("([0-9]+)\\s*([dhms])");
  private static final Pattern WHOLE = Pattern.compile("(\\s*[0-9]+\\s*[dhms])+\\s*");

  private CompactDuration() {}

  /** Empty when {@code text} is null, not of that form, or too long for a {@link Duration}. */
  public static Optional<Duration> parse(String text) {
    if (text == null || !WHOLE.matcher(text).matches()) {
      return Optional.empty();
    }
    Duration total = Duration.ZERO;
    Matcher part = PART.matcher(text);
    try {
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
    } catch (NumberFormatException | ArithmeticException tooLong) {
      // a number over Long.MAX_VALUE (parseLong), or over Long.MAX_VALUE seconds (of*, plus)
      return Optional.empty();
    }
    return Optional.of(total);
  }
}
