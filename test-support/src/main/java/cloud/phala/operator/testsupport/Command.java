package cloud.phala.operator.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command line tool (kubectl, helm, etcd) to completion and captures what it printed. */
public final class Command {
  private Command() {}

  /** What a finished command printed; stderr is merged into {@link #output()}. */
  public record Result(int exitCode, String output) {
    public Result requireSuccess() {
      if (exitCode != 0) {
        throw new IllegalStateException("command exited with " + exitCode + ":\n" + output);
      }
      return this;
    }
  }

  public static Result run(Duration timeout, List<String> commandLine) {
    try {
      Path out = Files.createTempFile("phala-cmd-", ".out");
      try {
        Process process =
            new ProcessBuilder(commandLine)
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException(
              commandLine.get(0) + " did not finish within " + timeout.toSeconds() + " s");
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + commandLine.get(0), e);
    }
  }

  public static Result run(String... commandLine) {
    return run(Duration.ofSeconds(60), List.of(commandLine));
  }
}
