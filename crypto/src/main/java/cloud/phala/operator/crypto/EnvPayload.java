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
  private static final byte[] OPEN = ascii("{\"env\":[");
  private static final byte[] KEY = ascii("{\"key\":");
  private static final byte[] VALUE = ascii(",\"value\":");
  private static final byte[] CLOSE = ascii("]}");

  private EnvPayload() {}

  static byte[] encode(EnvSet env) {
    Encoding encoding = measure(env);
    byte[] out = new byte[encoding.length()];
    encoding.writeTo(out, 0);
    return out;
  }

  /** Sizes the payload so it can be written straight into a larger buffer (the sealed blob). */
  static Encoding measure(EnvSet env) {
    List<EnvVar> entries = env.entries();
    int[] quotedLengths = new int[2 * entries.size()];
    long length = OPEN.length + CLOSE.length + Math.max(0, entries.size() - 1);
    for (int i = 0; i < entries.size(); i++) {
      quotedLengths[2 * i] = JsJsonUtf8.quotedLength(entries.get(i).key());
      quotedLengths[2 * i + 1] = JsJsonUtf8.quotedLength(entries.get(i).value());
      length += KEY.length + quotedLengths[2 * i] + VALUE.length + quotedLengths[2 * i + 1] + 1;
    }
    return new Encoding(entries, quotedLengths, Math.toIntExact(length));
  }

  /** The env's payload, measured: {@link #length()} bytes, written by {@link #writeTo}. */
  static final class Encoding {
    private final List<EnvVar> entries;
    private final int[] quotedLengths;
    private final int length;

    private Encoding(List<EnvVar> entries, int[] quotedLengths, int length) {
      this.entries = entries;
      this.quotedLengths = quotedLengths;
      this.length = length;
    }

    int length() {
      return length;
    }

    void writeTo(byte[] out, int offset) {
      int pos = put(OPEN, out, offset);
      for (int i = 0; i < entries.size(); i++) {
        if (i > 0) {
          out[pos++] = ',';
        }
        pos = put(KEY, out, pos);
        pos = JsJsonUtf8.writeQuoted(entries.get(i).key(), quotedLengths[2 * i], out, pos);
        pos = put(VALUE, out, pos);
        pos = JsJsonUtf8.writeQuoted(entries.get(i).value(), quotedLengths[2 * i + 1], out, pos);
        out[pos++] = '}';
      }
      pos = put(CLOSE, out, pos);
      if (pos != offset + length) {
        throw new IllegalStateException(
            "env payload measured " + length + " bytes, wrote more or less");
      }
    }

    private static int put(byte[] constant, byte[] out, int pos) {
      System.arraycopy(constant, 0, out, pos, constant.length);
      return pos + constant.length;
    }
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

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static void expect(JsonToken actual, JsonToken expected) throws IOException {
    if (actual != expected) {
      throw new IOException("expected " + expected + " but found " + actual);
    }
  }
}
