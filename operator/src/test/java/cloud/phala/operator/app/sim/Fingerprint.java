package cloud.phala.operator.app.sim;

import java.util.Map;
import java.util.TreeMap;

/**
 * What restarts a CVM, as the harness models it: the whole env and the compose. Prints key names
 * only, never a value.
 */
record Fingerprint(Map<String, String> env, String compose) {
  Fingerprint {
    env = new TreeMap<>(env);
  }

  @Override
  public String toString() {
    return "env " + env.keySet() + " on " + compose.strip().replace("\n", " ");
  }
}
