package io.vigie.analysis.provider;

/** A measurement that could not be taken, with a message a person can act on. */
public final class MeasurementException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MeasurementException(String message) {
    super(message);
  }

  public MeasurementException(String message, Throwable cause) {
    super(message, cause);
  }
}
