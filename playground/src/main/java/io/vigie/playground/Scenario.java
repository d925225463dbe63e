package io.vigie.playground;

import io.vigie.api.v1alpha1.RolloutPhase;

/** What `vigie demo --scenario` releases, and where the Rollout should end. */
enum Scenario {
  GOOD("good", "ghcr.io/example/web:v2", RolloutPhase.Healthy, "a healthy v2: every step and analysis passes"),
  BAD_ERRORS("bad-errors", "ghcr.io/example/web:v2-errors", RolloutPhase.RolledBack, "v2 answers 20% of requests with 503"),
  BAD_LATENCY("bad-latency", "ghcr.io/example/web:v2-slow", RolloutPhase.RolledBack, "v2 takes 400 ms longer per request"),
  METRICS_OUTAGE("metrics-outage", "ghcr.io/example/web:v2", RolloutPhase.Paused,
      "a healthy v2, but the metrics backend goes down mid-canary: no data is never a pass"),
  SURGE("surge", "ghcr.io/example/web:v2", RolloutPhase.Healthy,
      "a healthy v2, guarded against surges; the users' traffic triples mid-release for 3 minutes: held, then promoted"),
  BAD_DURING_SURGE("bad-during-surge", "ghcr.io/example/web:v2-errors", RolloutPhase.RolledBack,
      "v2 answers 20% of requests with 503; the users' traffic triples as it is released and the metrics go dark for a "
          + "minute: held, then rolled back as soon as the data shows the errors"),
  WARM_UP("warm-up", "ghcr.io/example/web:v2", RolloutPhase.Healthy,
      "a healthy v2 on an app whose new pods, of any version, are 150 ms slower for their first minute: judged against "
          + "a baseline of equally new v1 pods, nothing to roll back"),
  QUIET("quiet", "ghcr.io/example/web:v2", RolloutPhase.Healthy,
      "a healthy v2 on a quiet service, 6 requests a minute: too few for the analysis' minRequests, so a loadTest gate has "
          + "Flagger's loadtester send the canary its own traffic, and the canary is judged on it");

  final String word;
  final String image;
  final RolloutPhase expected;
  final String story;

  Scenario(String word, String image, RolloutPhase expected, String story) {
    this.word = word;
    this.image = image;
    this.expected = expected;
    this.story = story;
  }

  /** The scenario's Rollout has a surge guard (spec.guards.surge). */
  boolean surgeGuard() {
    return this == SURGE || this == BAD_DURING_SURGE;
  }

  /** The scenario's service is quiet: a load test gives the canary the traffic its analysis needs. */
  boolean quiet() {
    return this == QUIET;
  }

  /** The judge the scenario shows when none is asked for: warm-up is about the baseline's judges. */
  Judge defaultJudge(boolean prometheus) {
    return this == WARM_UP && prometheus ? Judge.SEQUENTIAL : Judge.THRESHOLD;
  }

  static Scenario of(String word) {
    for (Scenario s : values()) {
      if (s.word.equals(word)) {
        return s;
      }
    }
    throw new IllegalArgumentException("no scenario '" + word + "': use good, bad-errors, bad-latency, metrics-outage, "
        + "warm-up, surge, bad-during-surge or quiet");
  }
}
