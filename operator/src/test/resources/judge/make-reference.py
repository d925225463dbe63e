#!/usr/bin/env python3
"""Reference values for the judge's statistics, computed with SciPy and NumPy, not with Vigie's code.

Made with:  python3 operator/src/test/resources/judge/make-reference.py > operator/src/test/resources/judge/reference.csv
(SciPy 1.17.1, NumPy 2.4.6.) Each row: the case, both samples (';'-separated), then
  u       Mann-Whitney U of the first sample (scipy.stats.mannwhitneyu, two-sided, asymptotic,
          continuity correction, tie correction)
  p       its two-sided p-value
  hl      Hodges-Lehmann shift: the median of all differences x_i - y_j
  lo, hi  its 95% confidence interval: the differences of rank C and nm - C + 1, 1-based, with
          C = floor(nm/2 - z(0.975) * sqrt(nm(n+m+1)/12)) (the normal approximation of U's law,
          as R's wilcox.test(conf.int=TRUE, exact=FALSE) and Kayenta's judge use it, without
          the continuity and tie terms)
"""
import numpy as np
from scipy import stats

rng = np.random.default_rng(20261129)
cases = {
    "shifted-normal": (rng.normal(1.2, 1.0, 30), rng.normal(1.0, 1.0, 30)),
    "same-normal": (rng.normal(5.0, 2.0, 25), rng.normal(5.0, 2.0, 40)),
    "ties": (np.array([1, 2, 2, 3, 3, 3, 4, 5, 5, 6], float), np.array([2, 2, 3, 4, 4, 4, 5, 6, 7, 7, 8], float)),
    "small": (np.array([0.21, 0.25, 0.31]), np.array([0.11, 0.12, 0.13, 0.19])),
    "latency-lognormal": (rng.lognormal(-1.0, 0.4, 60), rng.lognormal(-1.2, 0.4, 60)),
    "all-equal": (np.array([1.0, 1.0, 1.0, 1.0]), np.array([1.0, 1.0, 1.0])),
}
print("case,x,y,u,p,hl,lo,hi")
for name, (x, y) in cases.items():
    x = np.round(x, 6)
    y = np.round(y, 6)
    n, m = len(x), len(y)
    res = stats.mannwhitneyu(x, y, use_continuity=True, alternative="two-sided", method="asymptotic")
    p = res.pvalue if np.isfinite(res.pvalue) else 1.0
    d = np.sort((x[:, None] - y[None, :]).ravel())
    hl = float(np.median(d))
    z = stats.norm.ppf(0.975)
    c = int(np.floor(n * m / 2 - z * np.sqrt(n * m * (n + m + 1) / 12)))
    c = max(c, 1)
    lo, hi = d[c - 1], d[n * m - c]
    fmt = lambda a: ";".join(repr(float(v)) for v in a)
    print(f"{name},{fmt(x)},{fmt(y)},{float(res.statistic)!r},{float(p)!r},{hl!r},{float(lo)!r},{float(hi)!r}")
