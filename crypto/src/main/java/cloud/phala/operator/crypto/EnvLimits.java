package cloud.phala.operator.crypto;

import java.util.regex.Pattern;

/**
 * The limits the dstack guest enforces when it opens an env at boot (dstack-util {@code
 * parse_env}). A set that breaks one of them makes the CVM fail to boot, so they are checked before
 * anything is sealed.
 */
public final class EnvLimits {
  public static final int MAX_VARS = 1024;
  public static final int MAX_KEY_BYTES = 255;
  public static final int MAX_VALUE_BYTES = 128 * 1024;

  /** Sum of the UTF-8 bytes of every key and every value. */
  public static final int MAX_TOTAL_BYTES = 1024 * 1024;

  public static final Pattern KEY_PATTERN = Pattern.compile("^[A-Za-z_][A-Za-z0-9_]*$");

  private EnvLimits() {}
}
