package io.vigie.testkit;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The mock API server's CRUD dispatcher, recording every write with who made it (the
 * {@code X-Vigie-Actor} header of the client), and letting a test inject faults: an answer in
 * place of the real one, before or after the write takes effect. Every request of the operator,
 * reads included, also goes to the {@link ApiRequestLog} that the RBAC check reads.
 */
public final class RecordingDispatcher extends KubernetesCrudDispatcher {
  public static final String ACTOR = "X-Vigie-Actor";
  private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

  /** A write as the server saw it. */
  public record Write(int seq, String actor, String method, String path, String body, int status) {
    public boolean byOperator() {
      return actor != null && actor.startsWith("operator");
    }
  }

  /** What to do with a request: empty lets it through. */
  public interface Fault extends BiFunction<Write, Boolean, Optional<MockResponse>> {}

  private final List<Write> writes = new ArrayList<>();
  private final java.util.Map<String, Integer> operatorReads = new java.util.HashMap<>();
  private volatile Fault before = (w, applied) -> Optional.empty();
  private volatile Fault after = (w, applied) -> Optional.empty();
  private volatile String defaultActor;

  private volatile boolean recordingRequests;
  private final List<String> requests = new java.util.ArrayList<>();

  public RecordingDispatcher() {
    super(List.of());
  }

  /** Faults decided before the write is applied (it is then not applied). */
  public void before(Fault fault) {
    this.before = fault;
  }

  /** Faults decided after the write is applied (its answer is replaced). */
  public void after(Fault fault) {
    this.after = fault;
  }

  /** Who made the requests that name no actor, e.g. an operator run as a process with a kubeconfig. */
  public void defaultActor(String actor) {
    this.defaultActor = actor;
  }

  /** Every request's "METHOD path" by actor, from now on (off by default: the benchmarks make millions). */
  public void recordRequests(boolean on) {
    recordingRequests = on;
  }

  /** The requests {@code actor} made since {@link #recordRequests} was turned on: "GET /apis/...?watch=true". */
  public synchronized List<String> requests(String actor) {
    return requests.stream().filter(r -> r.startsWith(actor + " ")).map(r -> r.substring(actor.length() + 1)).toList();
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    String actor = request.getHeader(ACTOR) != null ? request.getHeader(ACTOR) : defaultActor;
    ApiRequestLog.record(actor, request.getMethod(), request.getPath());
    if (recordingRequests) {
      synchronized (this) {
        requests.add(actor + " " + request.getMethod() + " " + request.getPath());
      }
    }
    if ("GET".equals(request.getMethod()) && actor != null && actor.startsWith("operator")) {
      countRead(request.getPath().replaceFirst("\\?.*$", ""));
    }
    if (!WRITES.contains(request.getMethod())) {
      return super.dispatch(request);
    }
    Write planned = new Write(nextSeq(), actor, request.getMethod(), request.getPath(),
        request.getBody() == null ? "" : new String(request.getBody().getBytes(), java.nio.charset.StandardCharsets.UTF_8), 0);
    Optional<MockResponse> refused = before.apply(planned, false);
    if (refused.isPresent()) {
      return refused.get();
    }
    MockResponse response = applied(request);
    record(new Write(planned.seq(), planned.actor(), planned.method(), planned.path(), planned.body(), response.code()));
    return after.apply(planned, true).orElse(response);
  }

  /**
   * The mock server throws on a JSON patch whose {@code test} operation fails and never answers, so
   * the client hangs until its timeout; a real API server refuses such a patch with 422, in its own
   * words for a failed test ("Testing value /path failed"), which is what the operator is written for.
   */
  private MockResponse applied(RecordedRequest request) {
    try {
      return super.dispatch(request);
    } catch (io.fabric8.zjsonpatch.JsonPatchException e) {
      String message = e.getOperation() == io.fabric8.zjsonpatch.Operation.TEST && e.getPath() != null
          ? "Testing value " + e.getPath() + " failed" : e.getMessage();
      return new MockResponse().setResponseCode(422).setBody(
          "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":422,\"reason\":\"Invalid\",\"message\":"
              + io.fabric8.kubernetes.client.utils.Serialization.asJson(message) + "}");
    }
  }

  private synchronized int nextSeq() {
    return writes.size();
  }

  private synchronized void record(Write write) {
    writes.add(write);
  }

  private synchronized void countRead(String path) {
    operatorReads.merge(path, 1, Integer::sum);
  }

  /** How many times the operator has read this path (a GET, query left out). */
  public synchronized int operatorReads(String path) {
    return operatorReads.getOrDefault(path, 0);
  }

  /** Every path the operator read (query left out) or wrote. */
  public synchronized Set<String> operatorPaths() {
    Set<String> paths = new java.util.HashSet<>(operatorReads.keySet());
    writes.stream().filter(Write::byOperator).forEach(w -> paths.add(w.path()));
    return paths;
  }

  public synchronized List<Write> writes() {
    return List.copyOf(writes);
  }

  public static MockResponse status(int code, String reason) {
    return new MockResponse().setResponseCode(code)
        .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":" + code + ",\"reason\":\"" + reason
            + "\",\"message\":\"injected by the test\"}");
  }
}
