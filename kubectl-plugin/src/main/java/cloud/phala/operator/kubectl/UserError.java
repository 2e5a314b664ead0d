package cloud.phala.operator.kubectl;

/** A mistake the user can fix: printed as {@code error: message} (or as kubectl prints a 404). */
final class UserError extends RuntimeException {
  private final String line;

  UserError(String message) {
    this(message, "error: " + message);
  }

  private UserError(String message, String line) {
    super(message);
    this.line = line;
  }

  /**
   * As kubectl says it: {@code Error from server (NotFound): phalaapps.phala.cloud "x" not found}.
   */
  static UserError notFound(String name) {
    String message = "phalaapps.phala.cloud \"" + name + "\" not found";
    return new UserError(message, "Error from server (NotFound): " + message);
  }

  /** The line printed on stderr. */
  String line() {
    return line;
  }
}
