package cloud.phala.operator.crypto;

import java.util.Random;

/** Random env sets for round-trip tests, seeded so a failure can be replayed. */
final class RandomEnv {
  private static final String KEY_START = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_";
  private static final String KEY_REST = KEY_START + "0123456789";
  private static final int[] CODE_POINTS = {
    'a', 'Z', '0', ' ', '"', '\\', '/', '\n', '\r', '\t', 0, 0x1f, 0x7f, 0xe9, 0xfc, 0x2028, 0x4e2d,
    0xfeff, 0x1f600, 0x1d11e, '$', '{', '}', '=', '\'', '`'
  };

  private RandomEnv() {}

  static EnvSet set(Random random, int round) {
    EnvSet.Builder builder = EnvSet.builder();
    int size = round % 10 == 0 ? 0 : 1 + random.nextInt(40);
    for (int i = 0; i < size; i++) {
      builder.put(key(random, i), value(random, round, i));
    }
    return builder.build();
  }

  /** 8 values of 128 KiB minus their keys' share, so keys plus values make exactly 1 MiB. */
  static EnvSet atTotalLimit() {
    EnvSet.Builder builder = EnvSet.builder();
    for (int i = 0; i < 8; i++) {
      String key = "BIG_" + i;
      builder.put(key, "x".repeat(EnvLimits.MAX_VALUE_BYTES - key.length()));
    }
    return builder.build();
  }

  private static String key(Random random, int index) {
    StringBuilder key = new StringBuilder();
    key.append(KEY_START.charAt(random.nextInt(KEY_START.length())));
    int length = random.nextInt(20);
    for (int i = 0; i < length; i++) {
      key.append(KEY_REST.charAt(random.nextInt(KEY_REST.length())));
    }
    return key.append('_').append(index).toString();
  }

  private static String value(Random random, int round, int index) {
    if (index == 0 && round % 7 == 3) {
      return "v".repeat(EnvLimits.MAX_VALUE_BYTES);
    }
    if (random.nextInt(8) == 0) {
      return "";
    }
    StringBuilder value = new StringBuilder();
    int length = random.nextInt(64);
    for (int i = 0; i < length; i++) {
      value.appendCodePoint(CODE_POINTS[random.nextInt(CODE_POINTS.length)]);
    }
    return value.toString();
  }
}
