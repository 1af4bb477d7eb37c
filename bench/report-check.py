#!/usr/bin/env python3
"""Figures read off features-not-bugs reports (the JSON of `robustlab experiment report --format json`).

  bench/report-check.py REPORT.json [OTHER.json]

For REPORT: every evaluation step's robust accuracy per eps over the replicates (values, mean, 95 %
interval), computed here independently of RobustLab's Java with scipy: the spread between seeds
(sd^2 / k, k - 1 df) plus the test set's binomial noise p (1 - p) / n, Welch-Satterthwaite df rounded
down, t quantile from scipy.stats.t; one replicate gets Wilson's interval. With OTHER: the steps both
reports ran whose outputs agree once artifact ids and timings are set aside, the robust accuracies of the
first replicate side by side, and (when each JSON has its `.html` with inlined images beside it)
how many of OTHER's images REPORT's page holds byte for byte. Needs python3-scipy.
"""
import base64
import hashlib
import json
import math
import re
import sys
from pathlib import Path

from scipy import stats

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def outputs(report):
    return {s["name"]: s.get("outputs") for s in report["steps"] if s.get("outputs") is not None}


# Wall-clock figures, which no seed fixes.
TIMINGS = {"seconds", "imagesPerSecond"}


def comparable(value):
    """A step's output without artifact ids and timings; an unmeasured figure counts as absent, whether
    it is the string "NaN" (results before NaN became JSON null), null, or left out (the gateway leaves
    nested nulls out)."""
    if isinstance(value, dict):
        kept = {k: comparable(v) for k, v in value.items() if k not in TIMINGS and not (isinstance(v, str) and UUID.match(v))}
        return {k: v for k, v in kept.items() if v is not None}
    if isinstance(value, list):
        return [comparable(v) for v in value]
    return None if value == "NaN" else value


def interval(values, n):
    k = len(values)
    mean = sum(values) / k
    if k == 1:
        z = stats.norm.ppf(0.975)
        centre = (mean + z * z / (2 * n)) / (1 + z * z / n)
        half = z / (1 + z * z / n) * math.sqrt(mean * (1 - mean) / n + z * z / (4 * n * n))
        return mean, max(0.0, centre - half), min(1.0, centre + half)
    seed = stats.tvar(values) / k
    sampling = mean * (1 - mean) / n
    df = math.inf if seed == 0 else (seed + sampling) ** 2 / (seed ** 2 / (k - 1))
    t = stats.norm.ppf(0.975) if math.isinf(df) else stats.t.ppf(0.975, max(1, math.floor(df)))
    half = t * math.sqrt(seed + sampling)
    return mean, max(0.0, mean - half), min(1.0, mean + half)


def robust_accuracies(report):
    """{eval step without its -rK suffix: {eps: ([values over replicates], n)}}."""
    table = {}
    for name, out in outputs(report).items():
        if not name.startswith("eval-") or not out.get("robust"):
            continue
        base = re.sub(r"-r\d+$", "", name)
        for point in out["robust"]:
            values, _ = table.setdefault(base, {}).setdefault(point["eps"], ([], out["robustExamples"]))
            values.append(point["accuracy"])
    return table


def images(json_path):
    html = Path(json_path).with_suffix(".html")
    if not html.exists():
        return None
    found = re.findall(r"data:image/png;base64,([A-Za-z0-9+/=]+)", html.read_text())
    return {hashlib.sha256(base64.b64decode(b)).hexdigest() for b in found}


def main(paths):
    a = json.loads(Path(paths[0]).read_text())
    print(f"== {paths[0]}: robust accuracy per eps over {a['replicates']} replicate(s): mean (95 % interval) [values], n per replicate")
    for step, by_eps in sorted(robust_accuracies(a).items()):
        cells = []
        for eps, (values, n) in sorted(by_eps.items()):
            mean, low, high = interval(values, n)
            cells.append(f"eps {eps:g}: {100 * mean:.1f} % ({100 * low:.1f}-{100 * high:.1f}) [{', '.join(f'{100 * v:.1f}' for v in values)}]")
        print(f"{step} (n {n}): " + "; ".join(cells))
    if len(paths) < 2:
        return
    b = json.loads(Path(paths[1]).read_text())
    oa, ob = outputs(a), outputs(b)
    common = sorted(set(oa) & set(ob))
    same = [s for s in common if comparable(oa[s]) == comparable(ob[s])]
    print(f"\n== steps of both reports: {len(common)}; outputs equal but for artifact ids and timings: {len(same)}")
    print("   differ: " + ", ".join(s for s in common if s not in same))
    print(f"\n== robust accuracy of the first replicate: {paths[0]} | {paths[1]}")
    for step in sorted(s for s in common if s.startswith("eval-") and oa[s].get("robust")):
        pairs = [f"eps {p['eps']:g}: {100 * p['accuracy']:.1f} | {100 * q['accuracy']:.1f}" for p, q in zip(oa[step]["robust"], ob[step]["robust"])]
        print(f"{step}: " + "; ".join(pairs))
    ia, ib = images(paths[0]), images(paths[1])
    if ia is not None and ib is not None:
        print(f"\n== images inlined in {paths[1]}'s page found byte for byte in {paths[0]}'s: {len(ib & ia)} of {len(ib)}")


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    main(sys.argv[1:])
