package io.vigie.analysis.provider;

import io.vigie.api.v1alpha1.SecretKeyRef;
import java.util.Optional;

/** Reads one key of a Secret in the Rollout's namespace. */
@FunctionalInterface
public interface SecretReader {
  Optional<String> read(SecretKeyRef ref);

  /** Reads a key or fails with a message naming the Secret and the key. */
  default String require(SecretKeyRef ref, String what) {
    return read(ref).orElseThrow(() -> new MeasurementException(
        what + ": Secret " + ref.getName() + " has no key '" + ref.getKey() + "'"));
  }
}
