#!/usr/bin/env python3
"""scipy's figures for the samples of libs/stats' StatsTest.welchTestMatchesScipy, to check RobustLab's
Welch t test (io.robustlab.stats.Difference) against an independent implementation:

  bench/welch-reference.py        (needs python3-scipy)

prints scipy's version, then for each pair of samples Welch's t, its Welch-Satterthwaite df, the
0.975 t quantile at the df rounded down, and the two-sided p value.
"""
import math

import scipy
from scipy import stats

SAMPLES = {
    "Wikipedia's Welch example": (
        [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4],
        [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4]),
    "three replicates each": ([0.60, 0.62, 0.64], [0.50, 0.52, 0.57]),
}

print(f"scipy {scipy.__version__}")
for name, (a, b) in SAMPLES.items():
    va, vb = stats.tvar(a) / len(a), stats.tvar(b) / len(b)
    df = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1))
    result = stats.ttest_ind(a, b, equal_var=False)
    print(f"{name}: t {result.statistic:.6f}, df {df:.6f}, t975(floor df) {stats.t.ppf(0.975, math.floor(df)):.4f},"
          f" p {result.pvalue:.4f}")
for df in (31, 60, 120):
    print(f"t975({df}) {stats.t.ppf(0.975, df):.4f}")
