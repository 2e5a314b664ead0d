package cloud.phala.operator.app.journal;

import cloud.phala.operator.crd.PhalaAppStatus;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One PhalaApp's entry in the intent journal: the intents its passes wrote there, by CVM id, and
 * the sequence number of the batch that last wrote it (a later write has a higher one), and the
 * whole status checkpoint the last of those passes would have written instead: a checkpoint makes
 * durable more than the CVMs' records (a retry or restart taken up, a failure cleared), so a pass
 * starting after a crash starts from it as from the status. Carries what a status carries, names of
 * revisions and times, never a value.
 */
public record JournalEntry(long seq, Map<String, Intended> intents, PhalaAppStatus checkpoint) {

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

  /** An entry with no checkpoint. */
  public JournalEntry(long seq, Map<String, Intended> intents) {
    this(seq, intents, null);
  }

  /**
   * This entry with {@code newer}'s intents over its own and {@code checkpoint} (when there is one)
   * instead of its own, at {@code seq}: a later pass's checkpoint was built from a view that held
   * this entry.
   */
  JournalEntry merged(Map<String, Intended> newer, PhalaAppStatus checkpoint, long seq) {
    Map<String, Intended> out = new TreeMap<>(intents);
    out.putAll(newer);
    return new JournalEntry(seq, out, checkpoint == null ? this.checkpoint : checkpoint);
  }

  String encode() {
    Map<String, Object> tree = new LinkedHashMap<>();
    tree.put("seq", seq);
    tree.put("intents", new TreeMap<>(intents));
    if (checkpoint != null) {
      tree.put("checkpoint", checkpoint);
    }
    try {
      return Serialization.jsonMapper().writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a journal entry did not serialize", e);
    }
  }

  public static JournalEntry decode(String text) {
    try {
      Wire wire = Serialization.jsonMapper().readValue(text, Wire.class);
      return new JournalEntry(
          wire.seq, wire.intents == null ? Map.of() : wire.intents, wire.checkpoint);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a journal entry", e);
    }
  }

  private static final class Wire {
    public long seq;
    public Map<String, Intended> intents;
    public PhalaAppStatus checkpoint;
  }
}
