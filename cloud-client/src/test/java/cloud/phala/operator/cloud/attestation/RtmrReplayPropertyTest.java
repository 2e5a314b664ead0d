package cloud.phala.operator.cloud.attestation;

import static org.assertj.core.api.Assertions.assertThat;

import cloud.phala.operator.cloud.attestation.Check.Outcome;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Generated event logs, seeded so a failure names its seed. */
class RtmrReplayPropertyTest {
  static Stream<Long> seeds() {
    return LongStream.range(0, 200).boxed();
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void replay_equalsAnIndependentlyComputedRegister(long seed) throws Exception {
    List<RuntimeEvent> events = generate(new Random(seed));

    byte[] independent = new byte[48];
    for (RuntimeEvent e : events) {
      MessageDigest event = MessageDigest.getInstance("SHA-384");
      event.update(
          new byte[] {
            (byte) e.eventType(),
            (byte) (e.eventType() >>> 8),
            (byte) (e.eventType() >>> 16),
            (byte) (e.eventType() >>> 24)
          });
      event.update((":" + e.event() + ":").getBytes(StandardCharsets.UTF_8));
      event.update(e.payload());
      MessageDigest extend = MessageDigest.getInstance("SHA-384");
      extend.update(independent);
      extend.update(event.digest());
      independent = extend.digest();
    }

    assertThat(Rtmr.replay(events.stream().map(RuntimeEvent::digest).toList()))
        .isEqualTo(independent);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void anySingleByteChangeToAnImr3Event_failsTheReplay(long seed) {
    Random random = new Random(seed);
    List<RuntimeEvent> events = generate(random);
    byte[] rtmr3 = Rtmr.replay(events.stream().map(RuntimeEvent::digest).toList());
    List<RuntimeEvent> changed = new ArrayList<>(events);
    int index = random.nextInt(events.size());
    changed.set(index, flipOneByte(events.get(index), random));

    Attestation original = attestation(events, rtmr3);
    Attestation forged = attestation(changed, rtmr3);

    assertThat(Rtmr3Replay.check(original).outcome()).isEqualTo(Outcome.PASSED);
    assertThat(Rtmr3Replay.check(forged).outcome()).isEqualTo(Outcome.FAILED);
  }

  private static RuntimeEvent flipOneByte(RuntimeEvent e, Random random) {
    byte[] payload = e.payload();
    byte[] digest = e.digest();
    byte[] name = e.event().getBytes(StandardCharsets.UTF_8);
    int part = random.nextInt(3);
    if (part == 0 && payload.length > 0) {
      payload[random.nextInt(payload.length)] ^= (byte) (1 + random.nextInt(255));
    } else if (part == 1) {
      name[random.nextInt(name.length)] ^= 0x01;
    } else {
      digest[random.nextInt(digest.length)] ^= (byte) (1 + random.nextInt(255));
    }
    return new RuntimeEvent(
        3, e.eventType(), digest, new String(name, StandardCharsets.UTF_8), payload);
  }

  static List<RuntimeEvent> generate(Random random) {
    List<RuntimeEvent> events = new ArrayList<>();
    int count = 1 + random.nextInt(20);
    for (int i = 0; i < count; i++) {
      byte[] payload = new byte[random.nextInt(80)];
      random.nextBytes(payload);
      events.add(RuntimeEvent.runtime("event-" + (char) ('a' + random.nextInt(26)) + i, payload));
    }
    return events;
  }

  static Attestation attestation(List<RuntimeEvent> events, byte[] rtmr3) {
    byte[] quote = new byte[TdReport.SIGNED + 4];
    quote[0] = 4;
    quote[4] = (byte) TdReport.TEE_TYPE_TDX;
    System.arraycopy(rtmr3, 0, quote, TdReport.RTMR0 + 144, 48);
    return new Attestation(quote, TdReport.parse(quote), events, "{}");
  }
}
