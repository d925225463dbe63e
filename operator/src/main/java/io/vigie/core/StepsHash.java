package io.vigie.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vigie.api.v1alpha1.CanaryStep;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** A short hash of the canary steps, so that status notices when they change mid-canary. */
final class StepsHash {
  private static final ObjectMapper JSON = new ObjectMapper();

  private StepsHash() {}

  static String of(List<CanaryStep> steps) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(JSON.writeValueAsString(steps).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 5);
    } catch (NoSuchAlgorithmException | com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot hash the canary steps", e);
    }
  }
}
