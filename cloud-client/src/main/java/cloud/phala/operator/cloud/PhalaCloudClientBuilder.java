package cloud.phala.operator.cloud;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * Assembles a {@link PhalaCloudClient}. Everything left unset is what the public constructors use:
 * the JDK HTTP client on a connection of its own, real sleeps, the system clock and a thread-local
 * random source for retry jitter. A deterministic simulation sets an in-process {@link
 * PhalaExchange}, a {@link Sleeper} that moves its virtual clock, that {@link Clock} and a seeded
 * {@link RandomGenerator}.
 */
public final class PhalaCloudClientBuilder {
  private final PhalaCloudConfig config;
  private ApiCallObserver observer = ApiCallObserver.NONE;
  private PhalaCloudConnection connection;
  private PhalaExchange exchange;
  private Sleeper sleeper = Sleeper.REAL;
  private Clock clock;
  private DoubleSupplier jitter = () -> ThreadLocalRandom.current().nextDouble();

  PhalaCloudClientBuilder(PhalaCloudConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  /** Sees every attempt: operation, status (0 for no answer), how long it took. */
  public PhalaCloudClientBuilder observer(ApiCallObserver observer) {
    this.observer = Objects.requireNonNull(observer, "observer");
    return this;
  }

  /** A shared connection for the default exchange; ignored when an exchange is set. */
  public PhalaCloudClientBuilder connection(PhalaCloudConnection connection) {
    this.connection = Objects.requireNonNull(connection, "connection");
    return this;
  }

  /** Carries each request instead of the JDK HTTP client. */
  public PhalaCloudClientBuilder exchange(PhalaExchange exchange) {
    this.exchange = Objects.requireNonNull(exchange, "exchange");
    return this;
  }

  /** Waits between attempts (backoff, {@code Retry-After}). */
  public PhalaCloudClientBuilder sleeper(Sleeper sleeper) {
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    return this;
  }

  /**
   * Reads the time for {@code Retry-After} dates and for how long each attempt took (which the
   * system clock's default measures with {@link System#nanoTime()}).
   */
  public PhalaCloudClientBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /** Draws the jitter of backoff delays; a seeded generator makes the delays repeatable. */
  public PhalaCloudClientBuilder random(RandomGenerator random) {
    Objects.requireNonNull(random, "random");
    this.jitter = random::nextDouble;
    return this;
  }

  public PhalaCloudClient build() {
    return new PhalaCloudClient(this);
  }

  PhalaCloudConfig config() {
    return config;
  }

  ApiCallObserver observer() {
    return observer;
  }

  PhalaExchange exchange() {
    if (exchange != null) {
      return exchange;
    }
    return new JdkExchange(
        config,
        connection != null ? connection : new PhalaCloudConnection(config.maxConcurrentRequests()));
  }

  HttpTransport.Timing timing() {
    if (clock == null) {
      return new HttpTransport.Timing(sleeper, Clock.systemUTC(), System::nanoTime, jitter);
    }
    Clock fixed = clock;
    LongSupplier nanos = () -> nanosSinceEpoch(fixed.instant());
    return new HttpTransport.Timing(sleeper, fixed, nanos, jitter);
  }

  private static long nanosSinceEpoch(Instant instant) {
    return Duration.between(Instant.EPOCH, instant).toNanos();
  }
}
