package io.vigie.gate;

import java.time.Instant;

/**
 * What a gate answered to one call.
 *
 * @param gate the gate's name
 * @param step the step of a step gate, else null
 * @param openedAt when the gate was reached (its status' openedAt): an answer to an older opening is not its
 * @param calledAt when the call was sent
 * @param passed an HTTP 2xx answer
 * @param answer the HTTP status and the start of the body, or why there was no answer (never a Secret's value)
 */
public record GateAnswer(String gate, Integer step, String openedAt, Instant calledAt, boolean passed, String answer) {}
