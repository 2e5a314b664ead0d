package cloud.phala.operator.app.lint;

import cloud.phala.operator.app.status.Reason;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Warnings about a compose file and the env it will get, as the product page warns: quoted {@code -
 * KEY="${VAR}"} list entries (the quotes become part of the value), {@code ${VAR}} that nothing
 * provides, provided keys the compose never uses, {@code KEY: ""} that blanks a provided key, and
 * DSTACK_* helpers that a custom pre-launch script makes useless. Warnings, never errors: a deploy
 * is not blocked by them. Works on text, without a YAML parser: it looks at the lines the warnings
 * are about.
 */
public final class ComposeLint {
  /** Injected by Phala Cloud's pre-launch script, so a compose may use them without the env. */
  private static final Set<String> INJECTED =
      Set.of("DSTACK_APP_ID", "DSTACK_GATEWAY_DOMAIN", "DSTACK_APP_DOMAIN");

  private static final Set<String> HELPER_VARS =
      Set.of(
          "DSTACK_DOCKER_USERNAME",
          "DSTACK_DOCKER_PASSWORD",
          "DSTACK_DOCKER_REGISTRY",
          "DSTACK_AWS_ACCESS_KEY_ID",
          "DSTACK_AWS_SECRET_ACCESS_KEY",
          "DSTACK_AWS_SESSION_TOKEN",
          "DSTACK_AWS_REGION",
          "DSTACK_AWS_ECR_REGISTRY",
          "DSTACK_AUTHORIZED_KEYS",
          "DSTACK_ROOT_PASSWORD",
          "DSTACK_ROOT_PUBLIC_KEY");

  private static final Pattern REFERENCE =
      Pattern.compile(
          "\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:[:?+-][^}]*)?}|\\$([A-Za-z_][A-Za-z0-9_]*)");
  private static final Pattern QUOTED_LIST_ENTRY =
      Pattern.compile("^\\s*-\\s*['\"]?([A-Za-z_][A-Za-z0-9_]*)=\"\\$\\{[^}]+}\"");
  private static final Pattern BLANKING_ENTRY =
      Pattern.compile("^\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*:\\s*(\"\"|'')\\s*$");

  private ComposeLint() {}

  /** One warning: its reason (for ComposeValid=False) and a message naming keys, never values. */
  public record Warning(Reason reason, String message) {}

  public static List<Warning> lint(
      String compose, Set<String> envKeys, boolean customPreLaunchScript) {
    List<Warning> warnings = new ArrayList<>();
    Set<String> referenced = new LinkedHashSet<>();
    for (String line : compose.split("\n", -1)) {
      if (line.trim().startsWith("#")) {
        continue;
      }
      Matcher references = REFERENCE.matcher(line);
      while (references.find()) {
        referenced.add(references.group(1) != null ? references.group(1) : references.group(2));
      }
      Matcher quoted = QUOTED_LIST_ENTRY.matcher(line);
      if (quoted.find()) {
        warnings.add(
            new Warning(
                Reason.QUOTED_INTERPOLATION,
                "environment entry "
                    + quoted.group(1)
                    + "=\"${...}\": in list form the quotes become part of the value; write "
                    + quoted.group(1)
                    + "=${...}"));
      }
      Matcher blank = BLANKING_ENTRY.matcher(line);
      if (blank.find() && envKeys.contains(blank.group(1))) {
        warnings.add(
            new Warning(
                Reason.BLANKED_KEY,
                blank.group(1) + ": \"\" in the compose overrides the value the env provides"));
      }
    }
    for (String key : referenced) {
      if (!envKeys.contains(key) && !INJECTED.contains(key)) {
        warnings.add(
            new Warning(
                Reason.MISSING_KEY,
                "the compose uses ${" + key + "} but the env does not provide it"));
      }
    }
    for (String key : envKeys) {
      boolean usedByBuiltInScript = HELPER_VARS.contains(key) && !customPreLaunchScript;
      if (!referenced.contains(key) && !usedByBuiltInScript) {
        warnings.add(
            new Warning(
                Reason.UNUSED_KEY, "the env provides " + key + " but the compose never uses it"));
      }
      if (HELPER_VARS.contains(key) && customPreLaunchScript) {
        warnings.add(
            new Warning(
                Reason.HELPER_WITHOUT_BUILT_IN_SCRIPT,
                key
                    + " is for Phala Cloud's built-in pre-launch script, which the custom preLaunchScript replaces"));
      }
    }
    return warnings;
  }
}
