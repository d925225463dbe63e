package io.vigie.core;

/** A header route: requests whose header {@code name} has exactly this {@code value} go to the canary. */
public record HeaderMatch(String name, String value) {
  @Override
  public String toString() {
    return name + ": " + value;
  }
}
