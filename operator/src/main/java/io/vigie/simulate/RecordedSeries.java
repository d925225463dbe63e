package io.vigie.simulate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One recorded series: its points in time order. A point stands for its value until the next one,
 * for at most twice the series' usual step: past that the series has a gap, as a Prometheus query
 * finds no sample during a scrape outage.
 */
public final class RecordedSeries {
  /** One sample. */
  public record Point(Instant at, double value) {}

  private final String name;
  private final List<Point> points;
  private final Duration lookback;

  public RecordedSeries(String name, List<Point> points) {
    this.name = name;
    this.points = points.stream().sorted(Comparator.comparing(Point::at)).toList();
    this.lookback = medianGap().multipliedBy(2);
  }

  public String name() {
    return name;
  }

  /** The median time between points (1 s for a series of one point). */
  private Duration medianGap() {
    List<Long> gaps = new ArrayList<>();
    for (int i = 1; i < points.size(); i++) {
      gaps.add(Duration.between(points.get(i - 1).at(), points.get(i).at()).toMillis());
    }
    if (gaps.isEmpty()) {
      return Duration.ofSeconds(1);
    }
    gaps.sort(null);
    return Duration.ofMillis(Math.max(1, gaps.get(gaps.size() / 2)));
  }

  /** The value at {@code t}: the last point at or before it, unless older than twice the series' step. */
  public Optional<Double> valueAt(Instant t) {
    int after = firstAfter(t);
    if (after == 0) {
      return Optional.empty();
    }
    Point last = points.get(after - 1);
    return Duration.between(last.at(), t).compareTo(lookback) > 0 ? Optional.empty() : Optional.of(last.value());
  }

  /** The values of the points in (from, to]. */
  public double[] between(Instant from, Instant to) {
    return points.subList(firstAfter(from), firstAfter(to)).stream().mapToDouble(Point::value).toArray();
  }

  /** The index of the first point after {@code t} (the number of points when none is). */
  private int firstAfter(Instant t) {
    int low = 0;
    int high = points.size();
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (points.get(mid).at().isAfter(t)) {
        high = mid;
      } else {
        low = mid + 1;
      }
    }
    return low;
  }

  public Instant first() {
    return points.get(0).at();
  }

  public Instant last() {
    return points.get(points.size() - 1).at();
  }
}
