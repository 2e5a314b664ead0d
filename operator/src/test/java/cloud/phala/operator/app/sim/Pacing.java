package cloud.phala.operator.app.sim;

import java.util.Random;

/**
 * spec.minReadySeconds and spec.rollout.batchWindow of one history, the same all through it. Drawn
 * from a stream of the seed's own, and left unset for most seeds: so the steps, and the spec of a
 * seed drawn before pacing was added, stay as they were.
 */
record Pacing(int minReadySeconds, String batchWindow) {
  static final Pacing NONE = new Pacing(0, null);
  private static final int[] MIN_READY = {0, 3, 6};
  private static final String[] WINDOWS = {null, "5s", "20s"};

  static Pacing of(long seed) {
    Random random = new Random(seed * 0xC2B2AE3D27D4EB4FL + 0x165667B1L);
    if (random.nextInt(4) != 0) {
      return NONE;
    }
    return new Pacing(
        MIN_READY[random.nextInt(MIN_READY.length)], WINDOWS[random.nextInt(WINDOWS.length)]);
  }

  /** The window as a duration (zero: none). */
  java.time.Duration window() {
    return batchWindow == null
        ? java.time.Duration.ZERO
        : java.time.Duration.ofSeconds(Long.parseLong(batchWindow.replace("s", "")));
  }

  @Override
  public String toString() {
    return (minReadySeconds == 0 ? "" : " minReadySeconds=" + minReadySeconds)
        + (batchWindow == null ? "" : " batchWindow=" + batchWindow);
  }
}
