package cloud.phala.operator.bench;

import cloud.phala.operator.cloud.attestation.Evidence;
import cloud.phala.operator.cloud.attestation.EvidenceChecker;
import cloud.phala.operator.cloud.attestation.Expected;
import cloud.phala.operator.cloud.attestation.Rtmr;
import cloud.phala.operator.cloud.attestation.RuntimeEvent;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of checking one CVM's attestation answer: parse the JSON, read the quote body, recompute
 * every imr-3 event digest and replay RTMR3. {@code events} imr-3 events with 64-byte payloads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AttestationCheckBenchmark {
  @Param({"9", "100"})
  public int events;

  private String answer;
  private Expected expected;
  private final EvidenceChecker checker = EvidenceChecker.withoutQuoteVerification();

  @Setup
  public void setUp() throws Exception {
    String appCompose = "{\"manifest_version\":2,\"name\":\"bench\"}";
    byte[] composeHash =
        MessageDigest.getInstance("SHA-256").digest(appCompose.getBytes(StandardCharsets.UTF_8));
    byte[] appId = new byte[20];
    List<RuntimeEvent> log = new ArrayList<>();
    log.add(RuntimeEvent.runtime("app-id", appId));
    log.add(RuntimeEvent.runtime("compose-hash", composeHash));
    log.add(RuntimeEvent.runtime("instance-id", new byte[20]));
    while (log.size() < events) {
      log.add(RuntimeEvent.runtime("event-" + log.size(), new byte[64]));
    }
    byte[] quote = new byte[48 + 584 + 4];
    quote[0] = 4;
    quote[4] = (byte) 0x81;
    System.arraycopy(
        Rtmr.replay(log.stream().map(RuntimeEvent::digest).toList()), 0, quote, 48 + 472, 48);
    HexFormat hex = HexFormat.of();
    StringBuilder json =
        new StringBuilder("{\"is_online\":true,\"error\":null,\"app_certificates\":[{\"quote\":\"");
    json.append(hex.formatHex(quote)).append("\"}],\"tcb_info\":{\"app_compose\":");
    json.append('"').append(appCompose.replace("\"", "\\\"")).append("\",\"event_log\":[");
    for (int i = 0; i < log.size(); i++) {
      RuntimeEvent e = log.get(i);
      json.append(i == 0 ? "" : ",")
          .append("{\"imr\":3,\"event_type\":")
          .append(e.eventType())
          .append(",\"digest\":\"")
          .append(hex.formatHex(e.digest()))
          .append("\",\"event\":\"")
          .append(e.event())
          .append("\",\"event_payload\":\"")
          .append(hex.formatHex(e.payload()))
          .append("\"}");
    }
    answer = json.append("]}}").toString();
    expected = Expected.of(hex.formatHex(composeHash), hex.formatHex(appId));
    if (!check().noneFailed()) {
      throw new IllegalStateException("the benchmark's attestation does not check");
    }
  }

  @Benchmark
  public Evidence check() {
    return checker.check(answer, expected);
  }
}
