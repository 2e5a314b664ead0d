package cloud.phala.operator.simulator.http;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Every API request: method, path, status, time, and who sent it (its User-Agent, e.g. {@code
 * phala-operator/0.1.0 (shard 1/3)}). Never bodies, query strings or other headers.
 */
public final class RequestLog {
  /** One request as logged; {@code client}: its User-Agent, empty if it sent none. */
  public record Entry(
      Instant at, String method, String path, int status, long millis, String client) {}

  private static final int CAPACITY = 200_000;
  private final Deque<Entry> entries = new ArrayDeque<>();

  synchronized void add(Entry entry) {
    if (entries.size() == CAPACITY) {
      entries.removeFirst();
    }
    entries.addLast(entry);
  }

  public synchronized List<Entry> entries() {
    return new ArrayList<>(entries);
  }

  public synchronized void clear() {
    entries.clear();
  }
}
