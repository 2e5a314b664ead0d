package cloud.phala.operator.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CompactDurationTest {
  @ParameterizedTest
  @CsvSource({"0h 0m 5s,5", "1h 2m 3s,3723", "2d 4h,187200", "17m,1020", "3s,3"})
  void uptime_isReadInEachUnitPhalaCloudWrites(String text, long seconds) {
    assertThat(CompactDuration.parse(text)).contains(Duration.ofSeconds(seconds));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "soon", "5", "1h and 2m", "-3s"})
  void anUptimeThatCannotBeRead_isEmpty_notZero(String text) {
    assertThat(CompactDuration.parse(text)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "99999999999999999999h", // over Long.MAX_VALUE
        "9223372036854775807d", // a long, but too many seconds
        "9223372036854775807s 1s" // each fits, the sum does not
      })
  void aDurationTooLongForJava_isEmpty_notAnException(String text) {
    assertThat(CompactDuration.parse(text)).isEmpty();
  }
}
