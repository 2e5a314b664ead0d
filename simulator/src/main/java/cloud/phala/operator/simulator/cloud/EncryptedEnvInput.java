package cloud.phala.operator.simulator.cloud;

import java.util.regex.Pattern;

/** The {@code encrypted_env} a request carries: a hex string, where an empty one means none. */
final class EncryptedEnvInput {
  private static final Pattern HEX = Pattern.compile("(?i)(0x)?([0-9a-f]{2})*");

  private EncryptedEnvInput() {}

  /** A 422 on {@code encrypted_env} unless {@code value} is absent or hex. */
  static void requireHex(String value) {
    if (value != null && !HEX.matcher(value).matches()) {
      throw CloudError.invalidField("encrypted_env", "encrypted_env must be a hex string");
    }
  }

  /** The env to store: none for an empty one. */
  static String orNull(String value) {
    return value == null || value.isEmpty() ? null : value;
  }
}
