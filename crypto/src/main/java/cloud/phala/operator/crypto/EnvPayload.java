package cloud.phala.operator.crypto;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The plaintext inside a sealed env: {@code {"env":[{"key":"K","value":"V"},...]}}.
 *
 * <p>{@link #encode} is byte-identical to the official JS SDK's {@code JSON.stringify({env})}:
 * compact, {@code key} before {@code value}, strings quoted by {@link JsJson}, UTF-8. {@link
 * #decode} reads it the way the guest's serde parser does: any whitespace, unknown fields ignored,
 * key and value must be strings.
 */
final class EnvPayload {
  private static final JsonFactory JSON = JsonFactory.builder().build();

  private EnvPayload() {}

  static byte[] encode(EnvSet env) {
    StringBuilder out = new StringBuilder(Math.toIntExact(env.totalBytes() + 32L * env.size() + 9));
    out.append("{\"env\":[");
    boolean first = true;
    for (EnvVar var : env.entries()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      out.append("{\"key\":");
      JsJson.quote(var.key(), out);
      out.append(",\"value\":");
      JsJson.quote(var.value(), out);
      out.append('}');
    }
    out.append("]}");
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Parses the pairs in order, duplicates and all (the guest counts every item against its limit
   * before it drops any). Throws {@link IOException} on anything that is not that shape.
   */
  static List<EnvVar> decode(byte[] json) throws IOException {
    List<EnvVar> pairs = new ArrayList<>();
    try (JsonParser p = JSON.createParser(json)) {
      expect(p.nextToken(), JsonToken.START_OBJECT);
      boolean sawEnv = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        if ("env".equals(p.currentName())) {
          expect(p.nextToken(), JsonToken.START_ARRAY);
          while (p.nextToken() != JsonToken.END_ARRAY) {
            pairs.add(readPair(p));
          }
          sawEnv = true;
        } else {
          p.nextToken();
          p.skipChildren();
        }
      }
      expect(p.currentToken(), JsonToken.END_OBJECT);
      if (p.nextToken() != null || !sawEnv) {
        throw new IOException("not an env payload");
      }
    }
    return pairs;
  }

  private static EnvVar readPair(JsonParser p) throws IOException {
    expect(p.currentToken(), JsonToken.START_OBJECT);
    String key = null;
    String value = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken token = p.nextToken();
      if ("key".equals(field)) {
        expect(token, JsonToken.VALUE_STRING);
        rejectDuplicate(key);
        key = p.getText();
      } else if ("value".equals(field)) {
        expect(token, JsonToken.VALUE_STRING);
        rejectDuplicate(value);
        value = p.getText();
      } else {
        p.skipChildren();
      }
    }
    if (key == null || value == null) {
      throw new IOException("env item lacks a key or a value");
    }
    return new EnvVar(key, value);
  }

  /** serde refuses a field given twice; so does this. */
  private static void rejectDuplicate(String seen) throws IOException {
    if (seen != null) {
      throw new IOException("env item repeats a field");
    }
  }

  private static void expect(JsonToken actual, JsonToken expected) throws IOException {
    if (actual != expected) {
      throw new IOException("expected " + expected + " but found " + actual);
    }
  }
}
