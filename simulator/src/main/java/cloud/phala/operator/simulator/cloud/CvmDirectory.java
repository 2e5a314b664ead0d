package cloud.phala.operator.simulator.cloud;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The live CVMs, in creation order, found by any identifier form the API accepts (protocol section
 * 3.2): numeric id, {@code cvm_} hashed id, VM UUID with or without dashes, {@code app_<40hex>} or
 * a bare 40-hex app id (the app's first CVM), {@code instance_<40hex>}, or name. Every form is
 * indexed, so a lookup costs the same with ten CVMs or ten thousand.
 */
final class CvmDirectory {
  private static final Pattern HEX40 = Pattern.compile("(?i)(0x)?[0-9a-f]{40}");
  private final Map<Integer, Cvm> byId = new LinkedHashMap<>();
  private final Map<String, Cvm> byKey = new HashMap<>();
  private final Map<String, List<Cvm>> byApp = new HashMap<>();

  void add(Cvm cvm) {
    byId.put(cvm.id, cvm);
    keys(cvm).forEach(k -> byKey.put(k, cvm));
    byApp.computeIfAbsent(cvm.app.appId, k -> new ArrayList<>()).add(cvm);
  }

  void remove(Cvm cvm) {
    byId.remove(cvm.id);
    keys(cvm).forEach(byKey::remove);
    List<Cvm> siblings = byApp.get(cvm.app.appId);
    siblings.remove(cvm);
    if (siblings.isEmpty()) {
      byApp.remove(cvm.app.appId);
    }
  }

  void clear() {
    byId.clear();
    byKey.clear();
    byApp.clear();
  }

  int size() {
    return byId.size();
  }

  List<Cvm> all() {
    return new ArrayList<>(byId.values());
  }

  /** CVMs {@code from} (0-based) to {@code to} (exclusive) in creation order. */
  List<Cvm> slice(int from, int to) {
    return byId.values().stream().skip(from).limit(Math.max(0, to - from)).toList();
  }

  List<Cvm> ofApp(String appId) {
    return List.copyOf(byApp.getOrDefault(normalizeAppId(appId), List.of()));
  }

  boolean nameTaken(String name) {
    return byKey.containsKey("name:" + name);
  }

  Cvm find(String identifier) {
    return lookup(identifier).orElseThrow(() -> CloudError.cvmNotFound(identifier));
  }

  private Optional<Cvm> lookup(String raw) {
    String id = raw.trim();
    if (id.matches("\\d{1,9}")) {
      return Optional.ofNullable(byId.get(Integer.parseInt(id)));
    }
    String lower = id.toLowerCase(Locale.ROOT);
    if (lower.startsWith("app_") && HEX40.matcher(lower.substring(4)).matches()) {
      return ofApp(lower.substring(4)).stream().findFirst();
    }
    if (HEX40.matcher(lower).matches()) {
      return ofApp(lower).stream().findFirst();
    }
    for (String key : List.of("hashed:" + id, "uuid:" + lower.replace("-", ""), "name:" + id)) {
      Cvm found = byKey.get(key);
      if (found != null) {
        return Optional.of(found);
      }
    }
    return lower.startsWith("instance_")
        ? Optional.ofNullable(byKey.get("instance:" + lower.substring(9)))
        : Optional.empty();
  }

  private static List<String> keys(Cvm cvm) {
    return List.of(
        "hashed:" + cvm.hashedId,
        "uuid:" + cvm.vmUuid.toString().replace("-", ""),
        "instance:" + cvm.instanceId,
        "name:" + cvm.name);
  }

  static String normalizeAppId(String appId) {
    String lower = appId.toLowerCase(Locale.ROOT);
    return lower.startsWith("0x") ? lower.substring(2) : lower;
  }
}
