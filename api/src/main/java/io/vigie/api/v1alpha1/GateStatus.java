package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Where one gate of the current canary stands: asked when, how many times, what it answered. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GateStatus {
  /**
   * Waiting: asked until it passes (a load test: called every interval). Passed, Failed: answered for
   * good. Stopped: a load test once the canary left its steps.
   */
  public enum Phase { Waiting, Passed, Failed, Stopped }

  private String name;
  private Gate.Type type;

  @JsonPropertyDescription("For a step gate, the step (0-based) it holds.")
  private Integer step;

  private Phase phase;

  @JsonPropertyDescription("When the gate was reached: answers to calls sent before are not this gate's.")
  private String openedAt;

  @JsonPropertyDescription("When it is asked next, while Waiting.")
  private String nextCallAt;

  private String lastCalledAt;

  @JsonPropertyDescription("How many answers it gave.")
  private Integer calls;

  @JsonPropertyDescription("Failing answers in a row.")
  private Integer failures;

  @JsonPropertyDescription("Its last answer: the HTTP status and the start of the body, or why there was none.")
  private String answer;

  public GateStatus() {}

  public GateStatus(String name, Gate.Type type, Integer step, String openedAt) {
    this.name = name;
    this.type = type;
    this.step = step;
    this.phase = Phase.Waiting;
    this.openedAt = openedAt;
    this.nextCallAt = openedAt;
    this.calls = 0;
    this.failures = 0;
  }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
  public Gate.Type getType() { return type; }
  public void setType(Gate.Type type) { this.type = type; }
  public Integer getStep() { return step; }
  public void setStep(Integer step) { this.step = step; }
  public Phase getPhase() { return phase; }
  public void setPhase(Phase phase) { this.phase = phase; }
  public String getOpenedAt() { return openedAt; }
  public void setOpenedAt(String openedAt) { this.openedAt = openedAt; }
  public String getNextCallAt() { return nextCallAt; }
  public void setNextCallAt(String nextCallAt) { this.nextCallAt = nextCallAt; }
  public String getLastCalledAt() { return lastCalledAt; }
  public void setLastCalledAt(String lastCalledAt) { this.lastCalledAt = lastCalledAt; }
  public Integer getCalls() { return calls; }
  public void setCalls(Integer calls) { this.calls = calls; }
  public Integer getFailures() { return failures; }
  public void setFailures(Integer failures) { this.failures = failures; }
  public String getAnswer() { return answer; }
  public void setAnswer(String answer) { this.answer = answer; }
}
