package io.vigie.cli;

/** A command's failure, said to a person in one line, with the exit code scripts act on. */
final class CliError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  /** The rollout failed, or the command makes no sense in its phase. */
  static final int FAILED = 1;
  /** Usage, connection, permission or not-found errors. */
  static final int USAGE = 3;

  private final int exitCode;

  CliError(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  CliError(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  int exitCode() {
    return exitCode;
  }
}
