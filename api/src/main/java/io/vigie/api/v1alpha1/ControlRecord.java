package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The last manual control (promote, abort, retry, pause, resume) the operator applied. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ControlRecord {
  private String action;
  private String value;
  /** Identity of the accepted request, so a restart never applies it twice. */
  private String id;
  private String at;
  private String result;

  public ControlRecord() {}

  public ControlRecord(String action, String value, String id, String at, String result) {
    this.action = action;
    this.value = value;
    this.id = id;
    this.at = at;
    this.result = result;
  }

  public String getAction() { return action; }
  public void setAction(String action) { this.action = action; }
  public String getValue() { return value; }
  public void setValue(String value) { this.value = value; }
  public String getId() { return id; }
  public void setId(String id) { this.id = id; }
  public String getAt() { return at; }
  public void setAt(String at) { this.at = at; }
  public String getResult() { return result; }
  public void setResult(String result) { this.result = result; }
}
