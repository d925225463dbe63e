package io.vigie.analysis.provider;

import io.vigie.api.v1alpha1.SecretKeyRef;
import java.util.Optional;
import java.util.Set;

/**
 * Reads one key of a Secret in the Rollout's namespace, for a metric or an arg. The reader decides
 * which Secrets Vigie may read for whom (see docs/security.md): one it may not read is a
 * {@link MeasurementException} naming what to do, never a silent empty value.
 */
@FunctionalInterface
public interface SecretReader {
  /** The key's value, empty when the Secret or the key does not exist; throws when Vigie may not read it. */
  Optional<String> read(SecretKeyRef ref);

  /** Reads a key or fails with a message naming the Secret and the key. */
  default String require(SecretKeyRef ref, String what) {
    return read(ref).orElseThrow(() -> new MeasurementException(
        what + ": Secret " + ref.getName() + " has no key '" + ref.getKey() + "'"));
  }

  /** Every value this reader has returned, and what was derived from them: never to be shown. */
  default Set<String> revealed() {
    return Set.of();
  }

  /** A value derived from Secret values (an encoded credential) that must not be shown either. */
  default void reveal(String derived) {
  }

  /** The text with every revealed value blotted out: what may go to status, an Event or a log line. */
  default String redact(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String value : revealed()) {
      // Very short values would blot out common words, and are no secret worth the name.
      if (value.length() >= 4) {
        out = out.replace(value, "[redacted]");
      }
    }
    return out;
  }
}
