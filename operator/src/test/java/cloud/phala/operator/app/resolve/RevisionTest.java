package cloud.phala.operator.app.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.crypto.EnvSet;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class RevisionTest {
  private static final byte[] KEY = new byte[32];
  private final Revision revision = new Revision(KEY);
  private final EnvSet env = EnvSet.builder().put("A", "1").put("B", "2").build();

  @Test
  void theRevision_changesWithAnyValueComposeScriptOrKey_butNotWithOrder() {
    String base = revision.of(env, "compose", null);

    assertThat(base).matches("[0-9a-f]{16}");
    assertThat(revision.of(EnvSet.builder().put("B", "2").put("A", "1").build(), "compose", null))
        .isEqualTo(base);
    assertThat(revision.of(EnvSet.builder().put("A", "1").put("B", "3").build(), "compose", null))
        .isNotEqualTo(base);
    assertThat(revision.of(env, "compose2", null)).isNotEqualTo(base);
    assertThat(revision.of(env, "compose", "#!/bin/sh")).isNotEqualTo(base);
    assertThat(revision.of(EnvSet.builder().put("A", "1").put("C", "2").build(), "compose", null))
        .isNotEqualTo(base);
  }

  @Test
  void theComposeRevision_changesWithTheKeySet_notWithValues_andWithoutKeysIsTheEmptyEnvs() {
    String base = revision.ofCompose(env.keys(), "compose", null);

    assertThat(revision.ofCompose(List.of("B", "A"), "compose", null)).isEqualTo(base);
    assertThat(revision.ofCompose(List.of("A", "B", "C"), "compose", null))
        .as("a replica copied from a CVM with fewer allowed keys would drop C")
        .isNotEqualTo(base);
    assertThat(revision.ofCompose(List.of(), "compose", "#!/bin/sh"))
        .as("the scheme before key sets counted, so apps without keys keep their records")
        .isEqualTo(revision.of(EnvSet.empty(), "compose", "#!/bin/sh"));
  }

  @Test
  void revisionsAreBoundToTheApp_soOneAppsStatusCannotConfirmAGuessAboutAnothersEnv() {
    String web = revision.forApp("team", "web").of(env, "compose", null);

    assertThat(revision.forApp("team", "api").of(env, "compose", null)).isNotEqualTo(web);
    assertThat(revision.forApp("other", "web").of(env, "compose", null)).isNotEqualTo(web);
    assertThat(revision.forApp("team", "web").of(env, "compose", null)).isEqualTo(web);
    assertThat(revision.of(env, "compose", null))
        .as("the earlier, unbound scheme")
        .isNotEqualTo(web);
  }

  /** The canonical encoding the revision is computed over, written out independently. */
  private static byte[] encoding(String app, String key, String value, String compose) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    field(out, "app");
    field(out, app);
    field(out, "env");
    out.writeBytes(ByteBuffer.allocate(4).putInt(1).array());
    for (String field : List.of(key, value, "compose", compose, "pre-launch", "", "allowed", key)) {
      field(out, field);
    }
    return out.toByteArray();
  }

  private static void field(ByteArrayOutputStream out, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    out.writeBytes(ByteBuffer.allocate(4).putInt(bytes.length).array());
    out.writeBytes(bytes);
  }

  private static String first16Hex(byte[] digest) {
    return HexFormat.of().formatHex(digest).substring(0, 16);
  }

  @Test
  void theRevision_isAnHmacUnderTheOperatorsKey_soWhoeverLacksTheKeyCannotConfirmAGuess()
      throws Exception {
    byte[] key = new byte[32];
    key[31] = 7;
    String revision =
        new Revision(key)
            .forApp("team", "web")
            .of(EnvSet.builder().put("PIN", "1234").build(), "c", null);
    byte[] encoded = encoding("team/web", "PIN", "1234", "c");
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));

    assertThat(revision).isEqualTo(first16Hex(mac.doFinal(encoded)));
    // a guesser who knows the encoding but not the key: plain hash, or an HMAC under another key
    assertThat(revision)
        .isNotEqualTo(first16Hex(MessageDigest.getInstance("SHA-256").digest(encoded)));
    mac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
    assertThat(revision).isNotEqualTo(first16Hex(mac.doFinal(encoded)));
  }

  @Test
  void fieldBoundaries_cannotBeShifted() {
    EnvSet a = EnvSet.builder().put("A", "bc").build();
    EnvSet b = EnvSet.builder().put("Ab", "c").build();

    assertThat(revision.of(a, "", null)).isNotEqualTo(revision.of(b, "", null));
  }
}
