package cloud.phala.operator.app.sim;

import java.util.Map;
import java.util.TreeMap;

/**
 * What restarts a CVM, as the harness models it: the whole env, the compose and the pre-launch
 * script ({@code null} for Phala Cloud's default: a script no spec of the harness names). Prints
 * key names only, never a value.
 */
record Fingerprint(Map<String, String> env, String compose, String script) {
  Fingerprint {
    env = new TreeMap<>(env);
    script = script == null || !script.contains(SpecShape.SCRIPT_MARK) ? null : script;
  }

  @Override
  public String toString() {
    return "env "
        + env.keySet()
        + " on "
        + compose.strip().replace("\n", " ")
        + (script == null ? "" : " with " + script.strip().replace("\n", " "));
  }
}
