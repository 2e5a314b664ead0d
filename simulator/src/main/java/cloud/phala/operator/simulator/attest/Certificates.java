package cloud.phala.operator.simulator.attest;

import cloud.phala.operator.simulator.cloud.CvmSnapshot;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The app certificate entry that carries the quote, with every field the OpenAPI requires. */
final class Certificates {
  private Certificates() {}

  static Map<String, Object> withQuote(CvmSnapshot cvm, String quoteHex) {
    Instant since = cvm.runningSince() == null ? cvm.createdAt() : cvm.runningSince();
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("subject", name("app-" + cvm.appId(), "Simulator"));
    c.put("issuer", name("Simulator Test Root (not Intel)", "Simulator"));
    c.put("serial_number", cvm.instanceId());
    c.put("not_before", since.toString());
    c.put("not_after", since.plusSeconds(365L * 24 * 3600).toString());
    c.put("version", "V3");
    c.put("fingerprint", quoteHex.substring(0, 64));
    c.put("signature_algorithm", "ecdsa-with-SHA256");
    c.put("sans", List.of());
    c.put("is_ca", false);
    c.put("position_in_chain", 0);
    c.put("quote", quoteHex);
    c.put("app_id", cvm.appId());
    c.put("cert_usage", "app");
    return c;
  }

  private static Map<String, Object> name(String commonName, String organization) {
    Map<String, Object> n = new LinkedHashMap<>();
    n.put("common_name", commonName);
    n.put("organization", organization);
    n.put("country", null);
    return n;
  }
}
