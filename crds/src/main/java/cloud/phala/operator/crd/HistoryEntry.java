package cloud.phala.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;
import java.util.Map;

/**
 * A revision that rolled out fully. Status is writable by whoever may patch it, so the entry
 * carries a tag and a pin uses it only if the tag verifies.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HistoryEntry {
  @JsonPropertyDescription("The revision's number (spec.rollout.pinnedRevision names it).")
  public Integer revision;

  @JsonPropertyDescription("Its envRevision (keyed hash of env, compose, pre-launch script).")
  public String envRevision;

  @JsonPropertyDescription("Its composeRevision.")
  public String composeRevision;

  @JsonPropertyDescription(
      "The Phala Cloud app revision (revision_id) the replicas ran; it keeps the compose and"
          + " sealed env a pin redeploys.")
  public String phalaRevision;

  @JsonPropertyDescription("The compose hash of phalaRevision.")
  public String composeHash;

  @JsonPropertyDescription("Names of its env vars. Names only, never values.")
  public List<String> envKeys;

  @JsonPropertyDescription(
      "Names of the env vars whose value or presence changed since the entry before it.")
  public List<String> changedKeys;

  @JsonPropertyDescription(
      "Per env var, a keyed hash (HMAC with the operator's revision key) of its value,"
          + " shortened: tells the next entry which keys changed. Never a plain hash.")
  public Map<String, String> keyTags;

  @JsonPropertyDescription("When every replica ran it (RFC 3339).")
  public String rolledOutAt;

  @JsonPropertyDescription(
      "HMAC, keyed with the operator's revision key, over this PhalaApp (namespace, name, uid),"
          + " its app id and the revision, envRevision, composeRevision, phalaRevision and"
          + " composeHash above. An entry that does not verify cannot be pinned.")
  public String tag;
}
