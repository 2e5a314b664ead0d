package cloud.phala.operator.simulator.api;

/** Page arithmetic of the paginated lists: pages count from 1, and there is always one. */
final class Pages {
  private Pages() {}

  /** The 0-based index of the first item of {@code page}, capped so it cannot overflow. */
  static int offset(int page, int size) {
    return (int) Math.min((long) (page - 1) * size, Integer.MAX_VALUE);
  }

  /** How many pages {@code total} items fill; at least 1, as the real API reports it. */
  static int count(int total, int size) {
    return Math.max(1, (total + size - 1) / size);
  }
}
