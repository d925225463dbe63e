package io.vigie.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The verdict on one revision that went through a canary. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RevisionRecord {
  private String revision;
  private Verdict verdict;
  private String reason;
  private String at;

  public enum Verdict { Promoted, RolledBack, Superseded, Reverted }

  public RevisionRecord() {}

  public RevisionRecord(String revision, Verdict verdict, String reason, String at) {
    this.revision = revision;
    this.verdict = verdict;
    this.reason = reason;
    this.at = at;
  }

  public String getRevision() { return revision; }
  public void setRevision(String revision) { this.revision = revision; }
  public Verdict getVerdict() { return verdict; }
  public void setVerdict(Verdict verdict) { this.verdict = verdict; }
  public String getReason() { return reason; }
  public void setReason(String reason) { this.reason = reason; }
  public String getAt() { return at; }
  public void setAt(String at) { this.at = at; }
}
