package cloud.phala.operator.simulator.http;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** Every API request: method, path, status, time. Never bodies, headers or query strings. */
public final class RequestLog {
  /** One request as logged. */
  public record Entry(Instant at, String method, String path, int status, long millis) {}

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
