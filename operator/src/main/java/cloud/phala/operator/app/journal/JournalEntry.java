package cloud.phala.operator.app.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One PhalaApp's entry in the intent journal: the intents its passes wrote there, by CVM id, and
 * the sequence number of the batch that last wrote it (a later write has a higher one). Carries
 * what a status intent carries, names of revisions and a time, never a value.
 */
public record JournalEntry(long seq, Map<String, Intended> intents) {

  /**
   * A CVM's intent (the revisions a step gives it and when the step was written down) and the
   * record the pass that wrote it had of the CVM (what it was given and when), as a status
   * checkpoint would show both.
   */
  public record Intended(
      String envRevision,
      String composeRevision,
      String since,
      String givenEnvRevision,
      String givenComposeRevision,
      String givenAt) {
    /** An intent with no record of what the CVM was given. */
    public Intended(String envRevision, String composeRevision, String since) {
      this(envRevision, composeRevision, since, null, null, null);
    }
  }

  public JournalEntry {
    intents = Map.copyOf(intents);
  }

  /** This entry with {@code newer}'s intents over its own, at {@code seq}. */
  JournalEntry merged(Map<String, Intended> newer, long seq) {
    Map<String, Intended> out = new TreeMap<>(intents);
    out.putAll(newer);
    return new JournalEntry(seq, out);
  }

  String encode() {
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("seq", seq);
    tree.put("intents", new TreeMap<>(intents));
    try {
      return Serialization.jsonMapper().writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a journal entry did not serialize", e);
    }
  }

  public static JournalEntry decode(String text) {
    try {
      Wire wire = Serialization.jsonMapper().readValue(text, Wire.class);
      return new JournalEntry(wire.seq, wire.intents == null ? Map.of() : wire.intents);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a journal entry", e);
    }
  }

  private static final class Wire {
    public long seq;
    public Map<String, Intended> intents;
  }
}
