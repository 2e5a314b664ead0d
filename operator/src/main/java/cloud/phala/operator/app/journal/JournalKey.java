package cloud.phala.operator.app.journal;

import java.util.Optional;

/**
 * The journal's key of a PhalaApp: namespace, name and uid, so a PhalaApp deleted and created again
 * under its name never sees the old one's entry. As a ConfigMap data key: {@code
 * namespace.name.uid} (a namespace and a uid have no dot; a name may).
 */
public record JournalKey(String namespace, String name, String uid) {
  /** A ConfigMap data key is at most 253 characters. */
  static final int MAX_LENGTH = 253;

  public String text() {
    return namespace + "." + name + "." + uid;
  }

  /** Whether the key fits a ConfigMap; an app whose key does not writes intents to its status. */
  boolean fits() {
    return text().length() <= MAX_LENGTH;
  }

  static Optional<JournalKey> parse(String text) {
    int first = text.indexOf('.');
    int last = text.lastIndexOf('.');
    if (first <= 0 || last <= first + 1 || last == text.length() - 1) {
      return Optional.empty();
    }
    return Optional.of(
        new JournalKey(
            text.substring(0, first), text.substring(first + 1, last), text.substring(last + 1)));
  }
}
