package io.vigie.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The width of the terminal the CLI runs in. Shells do not export COLUMNS to the programs they
 * start, and the JVM cannot ask the terminal itself, so `stty size` reads it from /dev/tty.
 */
final class TerminalWidth {
  private TerminalWidth() {}

  static Optional<Integer> read() {
    File tty = new File("/dev/tty");
    if (!tty.exists()) {
      return Optional.empty();
    }
    try {
      Process stty = new ProcessBuilder("stty", "size").redirectInput(tty).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      if (!stty.waitFor(1, TimeUnit.SECONDS)) {
        stty.destroyForcibly();
        return Optional.empty();
      }
      String[] rowsAndColumns = new String(stty.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim().split("\\s+");
      return rowsAndColumns.length == 2 ? Optional.of(Integer.parseInt(rowsAndColumns[1])).filter(w -> w > 0) : Optional.empty();
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
