package cloud.phala.operator.simulator.cloud;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The live CVMs, in creation order, found by any identifier form the API accepts (protocol section
 * 3.2): numeric id, {@code cvm_} hashed id, VM UUID with or without dashes, {@code app_<40hex>} or
 * a bare 40-hex app id (the app's first CVM), {@code instance_<40hex>}, or name.
 */
final class CvmDirectory {
  private static final Pattern HEX40 = Pattern.compile("(?i)(0x)?[0-9a-f]{40}");
  private final Map<Integer, Cvm> byId = new LinkedHashMap<>();

  void add(Cvm cvm) {
    byId.put(cvm.id, cvm);
  }

  void remove(Cvm cvm) {
    byId.remove(cvm.id);
  }

  void clear() {
    byId.clear();
  }

  List<Cvm> all() {
    return new ArrayList<>(byId.values());
  }

  List<Cvm> ofApp(String appId) {
    String wanted = normalizeAppId(appId);
    return byId.values().stream().filter(c -> c.app.appId.equals(wanted)).toList();
  }

  boolean nameTaken(String name) {
    return byId.values().stream().anyMatch(c -> c.name.equals(name));
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
    String bareInstance = lower.startsWith("instance_") ? lower.substring(9) : null;
    String bareUuid = lower.replace("-", "");
    return byId.values().stream()
        .filter(
            c ->
                c.hashedId.equals(id)
                    || c.vmUuid.toString().replace("-", "").equals(bareUuid)
                    || c.instanceId.equals(bareInstance)
                    || c.name.equals(id))
        .findFirst();
  }

  static String normalizeAppId(String appId) {
    String lower = appId.toLowerCase(Locale.ROOT);
    return lower.startsWith("0x") ? lower.substring(2) : lower;
  }
}
