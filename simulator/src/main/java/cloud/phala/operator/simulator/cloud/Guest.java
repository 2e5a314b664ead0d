package cloud.phala.operator.simulator.cloud;

import cloud.phala.operator.crypto.EnvLimits;
import cloud.phala.operator.crypto.EnvOpener;
import cloud.phala.operator.crypto.EnvPrivateKey;
import cloud.phala.operator.crypto.EnvVar;
import cloud.phala.operator.crypto.SealedEnv;
import cloud.phala.operator.crypto.SealedEnvException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the dstack guest does with the sealed env at boot (dstack-util {@code decrypt_env_vars} and
 * {@code parse_env}, protocol section 1.4): no blob boots with no env; a blob it cannot open, or a
 * set that breaks a limit, fails the boot; keys missing from {@code allowed_envs} are dropped; the
 * last duplicate wins; the result is sorted by key.
 */
final class Guest {
  private Guest() {}

  static BootOutcome boot(EnvPrivateKey appKey, String encryptedEnvHex, Set<String> allowedEnvs) {
    if (encryptedEnvHex == null || encryptedEnvHex.isEmpty()) {
      return BootOutcome.booted(List.of());
    }
    List<EnvVar> items;
    try {
      items = EnvOpener.open(appKey, SealedEnv.fromHex(encryptedEnvHex));
    } catch (SealedEnvException | IllegalArgumentException e) {
      return BootOutcome.failed("Failed to decrypt env file");
    }
    if (items.size() > EnvLimits.MAX_VARS) {
      return BootOutcome.failed("Too many env vars: " + items.size() + " > " + EnvLimits.MAX_VARS);
    }
    TreeMap<String, String> env = new TreeMap<>();
    long total = 0;
    for (EnvVar item : items) {
      if (!allowedEnvs.contains(item.key())) {
        continue;
      }
      String rule = brokenRule(item);
      if (rule != null) {
        return BootOutcome.failed(rule);
      }
      total += bytes(item.key()) + bytes(item.value());
      if (total > EnvLimits.MAX_TOTAL_BYTES) {
        return BootOutcome.failed(
            "Env vars too large: over " + EnvLimits.MAX_TOTAL_BYTES + " bytes");
      }
      env.put(item.key(), item.value());
    }
    List<EnvVar> sorted = new ArrayList<>();
    env.forEach((k, v) -> sorted.add(new EnvVar(k, v)));
    return BootOutcome.booted(sorted);
  }

  private static String brokenRule(EnvVar item) {
    if (bytes(item.key()) > EnvLimits.MAX_KEY_BYTES) {
      return "Env key too long: " + bytes(item.key()) + " bytes";
    }
    if (bytes(item.value()) > EnvLimits.MAX_VALUE_BYTES) {
      return "Env value too long for key " + item.key();
    }
    if (!EnvLimits.KEY_PATTERN.matcher(item.key()).matches()) {
      return "Invalid env key name";
    }
    return null;
  }

  private static int bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
