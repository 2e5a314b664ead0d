package cloud.phala.operator.simulator.api;

import java.util.LinkedHashMap;
import java.util.Map;

/** An ordered JSON object under construction; nulls are kept, as FastAPI writes them. */
final class Json {
  private final Map<String, Object> fields = new LinkedHashMap<>();

  static Json object() {
    return new Json();
  }

  Json put(String name, Object value) {
    fields.put(name, value instanceof Json json ? json.fields : value);
    return this;
  }

  Map<String, Object> build() {
    return fields;
  }
}
