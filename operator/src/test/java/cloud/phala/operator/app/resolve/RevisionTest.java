package cloud.phala.operator.app.resolve;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.crypto.EnvSet;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
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

  @Test
  void theRevision_isKeyed_soItIsNotAPlainHashOfTheValues() throws Exception {
    byte[] otherKey = new byte[32];
    otherKey[0] = 1;
    String plain =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256").digest("1".getBytes(StandardCharsets.UTF_8)));

    assertThat(new Revision(otherKey).of(env, "c", null)).isNotEqualTo(revision.of(env, "c", null));
    assertThat(plain).doesNotContain(revision.of(env, "c", null));
  }

  @Test
  void fieldBoundaries_cannotBeShifted() {
    EnvSet a = EnvSet.builder().put("A", "bc").build();
    EnvSet b = EnvSet.builder().put("Ab", "c").build();

    assertThat(revision.of(a, "", null)).isNotEqualTo(revision.of(b, "", null));
  }
}
