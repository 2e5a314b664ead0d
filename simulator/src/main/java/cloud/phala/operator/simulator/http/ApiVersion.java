package cloud.phala.operator.simulator.http;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * The response dialect a request asked for with {@code X-Phala-Version}. The official clients send
 * 2025-10-28, 2026-01-21, 2026-05-22 or LATEST; a date maps to the newest dialect not after it.
 * Without the header the simulator answers as 2026-01-21, the official SDK's default.
 */
public enum ApiVersion {
  V2025_10_28(LocalDate.of(2025, 10, 28)),
  V2026_01_21(LocalDate.of(2026, 1, 21)),
  V2026_05_22(LocalDate.of(2026, 5, 22));

  public static final String HEADER = "X-Phala-Version";
  private final LocalDate date;

  ApiVersion(LocalDate date) {
    this.date = date;
  }

  public static ApiVersion fromHeader(String header) {
    if (header == null || header.isBlank()) {
      return V2026_01_21;
    }
    if ("LATEST".equalsIgnoreCase(header.trim())) {
      return V2026_05_22;
    }
    LocalDate asked;
    try {
      asked = LocalDate.parse(header.trim());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("Unsupported " + HEADER + ": " + header);
    }
    ApiVersion chosen = V2025_10_28;
    for (ApiVersion v : values()) {
      if (!v.date.isAfter(asked)) {
        chosen = v;
      }
    }
    return chosen;
  }

  /** 2025-10-28 numbers CVMs and flattens their info; later versions nest it under objects. */
  public boolean legacy() {
    return this == V2025_10_28;
  }

  public String wireName() {
    return date.toString();
  }
}
