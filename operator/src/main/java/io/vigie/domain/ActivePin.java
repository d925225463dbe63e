package io.vigie.domain;

import java.util.HashMap;
import java.util.Map;

/**
 * What Vigie adds to the selector of a blue-green Rollout's active Service (the user's Service, when
 * no traffic router switches): the target's pods of one pod-template-hash (blue, or the Deployment
 * once it runs the new version), or the green pods. The user's own selector is what remains.
 *
 * @param podTemplateHash the target's pods of this hash, when not green
 * @param green the green pods (the canary Deployment's, label vigie.io/role=canary)
 */
public record ActivePin(String podTemplateHash, boolean green) {
  public static final String POD_TEMPLATE_HASH = "pod-template-hash";
  public static final String ROLE = "vigie.io/role";
  public static final String GREEN_ROLE = "canary";
  /** No pin: the Service selects what its owner wrote. */
  public static final ActivePin NONE = new ActivePin(null, false);
  public static final ActivePin GREEN = new ActivePin(null, true);

  public static ActivePin target(String podTemplateHash) {
    return podTemplateHash == null ? NONE : new ActivePin(podTemplateHash, false);
  }

  /** The pin a selector carries. */
  public static ActivePin of(Map<String, String> selector) {
    if (GREEN_ROLE.equals(selector.get(ROLE))) {
      return GREEN;
    }
    return target(selector.get(POD_TEMPLATE_HASH));
  }

  /** The selector without Vigie's pin: what the Service's owner wrote. */
  public static Map<String, String> userSelector(Map<String, String> selector) {
    Map<String, String> user = new HashMap<>(selector == null ? Map.of() : selector);
    user.remove(POD_TEMPLATE_HASH);
    if (GREEN_ROLE.equals(user.get(ROLE))) {
      user.remove(ROLE);
    }
    return user;
  }

  /** The owner's selector with this pin. */
  public Map<String, String> applyTo(Map<String, String> selector) {
    Map<String, String> pinned = userSelector(selector);
    if (green) {
      pinned.put(ROLE, GREEN_ROLE);
    } else if (podTemplateHash != null) {
      pinned.put(POD_TEMPLATE_HASH, podTemplateHash);
    }
    return pinned;
  }

  /** For messages: "green", "pod-template-hash 5d8f", "the Service's own selector". */
  public String describe() {
    return green ? "the green pods" : podTemplateHash != null ? "pods of pod-template-hash " + podTemplateHash
        : "every pod its own selector selects";
  }
}
