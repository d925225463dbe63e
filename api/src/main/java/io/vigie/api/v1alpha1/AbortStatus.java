package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Why and when the current update was aborted. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AbortStatus {
  private String reason;
  private String message;
  private String revision;
  private String at;

  public AbortStatus() {}

  public AbortStatus(String reason, String message, String revision, String at) {
    this.reason = reason;
    this.message = message;
    this.revision = revision;
    this.at = at;
  }

  public String getReason() { return reason; }
  public void setReason(String reason) { this.reason = reason; }
  public String getMessage() { return message; }
  public void setMessage(String message) { this.message = message; }
  public String getRevision() { return revision; }
  public void setRevision(String revision) { this.revision = revision; }
  public String getAt() { return at; }
  public void setAt(String at) { this.at = at; }
}
