package cloud.phala.operator.kubectl;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;

/** {@code kubectl phala}: day-two operations on a PhalaApp. See docs/kubectl-plugin.md. */
public final class KubectlPhala {
  static final String USAGE =
      """
      kubectl phala: day-two operations on PhalaApps (phala-operator).

      Usage:
        kubectl phala rollout status NAME [--timeout=5m]   follow until the current revision is Ready
        kubectl phala rollout pause NAME                   stop changing the CVMs
        kubectl phala rollout resume NAME                  carry on
        kubectl phala rollout restart NAME                 restart every CVM, a few at a time
        kubectl phala rollout retry NAME                   retry a failed rollout
        kubectl phala rollout undo NAME [--to-revision=N]  pin the previous (or Nth) revision
        kubectl phala rollout unpin NAME                   follow the Secrets again after an undo
        kubectl phala rollout history NAME [--revision=N]  list revisions (key names, never values)
        kubectl phala get NAME                             the app's CVMs and last Events

      Flags (after "phala"): -n, --namespace NS; --context CTX; --kubeconfig FILE; -h, --help.
      Exit code 0 on success; 1 on an error, a failed rollout or a timeout.
      """;

  private KubectlPhala() {}

  public static void main(String[] argv) {
    int code = run(List.of(argv), System.out, System.err, Clock.systemUTC());
    System.out.flush();
    System.exit(code);
  }

  static int run(List<String> argv, PrintStream out, PrintStream err, Clock clock) {
    try {
      Args args = Args.parse(argv.toArray(String[]::new));
      if (args.help() || args.words().isEmpty()) {
        out.print(USAGE);
        return args.help() ? 0 : 1;
      }
      return dispatch(args, out, clock);
    } catch (UserError e) {
      err.println(e.line());
      return 1;
    } catch (KubernetesClientException e) {
      err.println(serverError(e));
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      err.println("error: interrupted");
      return 1;
    } catch (RuntimeException e) {
      // No stack trace for a user; the plugin reads no Secret value, so none can be in it.
      err.println("error: " + e);
      return 1;
    }
  }

  private static int dispatch(Args args, PrintStream out, Clock clock) throws InterruptedException {
    List<String> words = args.words();
    String command = String.join(" ", words.subList(0, Math.min(2, words.size())));
    boolean rollout = words.get(0).equals("rollout");
    int arity = rollout ? 3 : 2;
    if (!(rollout || words.get(0).equals("get")) || words.size() < arity - 1) {
      throw new UserError("unknown command \"" + command + "\"; see kubectl phala --help");
    }
    if (words.size() != arity) {
      throw new UserError(
          (words.size() < arity ? "NAME is required" : "too many arguments")
              + " for kubectl phala "
              + command);
    }
    String name = words.get(arity - 1);
    String verb = rollout ? words.get(1) : "get";
    args.allowOnly(
        command,
        switch (verb) {
          case "status" -> new String[] {"timeout"};
          case "undo" -> new String[] {"to-revision"};
          case "history" -> new String[] {"revision"};
          default -> new String[0];
        });
    try (Cluster cluster = Cluster.connect(args)) {
      RolloutCommands commands = new RolloutCommands(cluster, out, clock);
      return switch (verb) {
        case "status" -> new StatusCommand(cluster, out).run(name, args.timeout());
        case "pause" -> commands.pause(name, true);
        case "resume" -> commands.pause(name, false);
        case "restart" -> commands.restart(name);
        case "retry" -> commands.retry(name);
        case "undo" -> commands.undo(name, args.intFlag("to-revision"));
        case "unpin" -> commands.unpin(name);
        case "history" -> history(cluster.get(name), args.intFlag("revision"), out);
        case "get" -> {
          App app = cluster.get(name);
          out.print(
              AppReport.render(app, cluster.namespace(), cluster.events(app), clock.instant()));
          yield 0;
        }
        default ->
            throw new UserError("unknown command \"" + command + "\"; see kubectl phala --help");
      };
    }
  }

  private static int history(App app, Integer revision, PrintStream out) {
    out.print(revision == null ? HistoryReport.table(app) : HistoryReport.revision(app, revision));
    return 0;
  }

  /** As kubectl prints an API error: {@code Error from server (Forbidden): ...}. */
  static String serverError(KubernetesClientException e) {
    if (e.getStatus() != null && e.getStatus().getMessage() != null) {
      String reason = e.getStatus().getReason() == null ? "Error" : e.getStatus().getReason();
      return "Error from server (" + reason + "): " + e.getStatus().getMessage();
    }
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    String cause = root.getMessage() == null ? root.toString() : root.getMessage();
    return "error: " + (root == e ? cause : e.getMessage() + ": " + cause);
  }
}
