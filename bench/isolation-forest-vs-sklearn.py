#!/usr/bin/python3
"""Isolation forest: ours (containers/pynomaly) against scikit-learn's, by ROC AUC.

Data: scikit-learn's copy of the UCI Breast Cancer Wisconsin (Diagnostic) table, shipped
inside Debian's python3-sklearn (no download). The minority class, malignant (212 of 569),
is the anomaly (label 1). Both forests use their defaults (100 trees, 256-row subsamples),
are fitted on all rows unsupervised, and score the same rows; the AUC of each is averaged
over 30 seeds (0..29). Ours must come within TOLERANCE of scikit-learn's.

Also writes the table to src/suites/fixtures/data/breast_cancer.csv for the suites.

Run from anywhere (needs /usr/bin/python3 with python3-sklearn, and npx in /work/main):
    /usr/bin/python3 bench/isolation-forest-vs-sklearn.py
Exit status 1 when the difference exceeds the tolerance.
"""
import csv
import json
import platform
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy
import sklearn
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import IsolationForest
from sklearn.metrics import roc_auc_score

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "src/suites/fixtures/data/breast_cancer.csv"
RESULTS = ROOT / "bench/results/isolation-forest-vs-sklearn.json"
SEEDS = list(range(30))
TOLERANCE = 0.02


def snake_case(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def export_fixture() -> tuple[numpy.ndarray, numpy.ndarray, list[str]]:
    data = load_breast_cancer()
    # scikit-learn's target: 0 = malignant, 1 = benign. Here 1 = malignant = anomaly.
    labels = (data.target == 0).astype(int)
    columns = [snake_case(n) for n in data.feature_names]
    FIXTURE.parent.mkdir(parents=True, exist_ok=True)
    with FIXTURE.open("w", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([*columns, "label"])
        for row, label in zip(data.data, labels):
            writer.writerow([repr(float(v)) for v in row] + [int(label)])
    return data.data, labels, columns


def sklearn_aucs(X: numpy.ndarray, labels: numpy.ndarray) -> list[float]:
    aucs = []
    for seed in SEEDS:
        forest = IsolationForest(n_estimators=100, max_samples="auto", random_state=seed).fit(X)
        # score_samples is the negated paper score: higher = more normal.
        aucs.append(float(roc_auc_score(labels, -forest.score_samples(X))))
    return aucs


def our_aucs(labels: numpy.ndarray) -> tuple[list[float], float]:
    started = time.perf_counter()
    completed = subprocess.run(
        ["npx", "tsx", "bench/isolation-forest-vs-sklearn.ts", str(FIXTURE), *map(str, SEEDS)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    elapsed = time.perf_counter() - started
    scores = json.loads(completed.stdout)
    return [float(roc_auc_score(labels, scores[str(seed)])) for seed in SEEDS], elapsed


def summary(aucs: list[float]) -> dict:
    return {
        "roc_auc_per_seed": [round(a, 6) for a in aucs],
        "roc_auc_mean": round(statistics.mean(aucs), 6),
        "roc_auc_stdev": round(statistics.stdev(aucs), 6),
    }


def main() -> int:
    X, labels, columns = export_fixture()
    theirs = sklearn_aucs(X, labels)
    ours, our_seconds = our_aucs(labels)
    difference = statistics.mean(ours) - statistics.mean(theirs)
    result = {
        "benchmark": "isolation_forest ROC AUC, ours vs scikit-learn",
        "dataset": {
            "name": "breast_cancer (UCI Breast Cancer Wisconsin (Diagnostic), scikit-learn's copy via Debian python3-sklearn)",
            "rows": int(X.shape[0]),
            "features": len(columns),
            "anomalies": int(labels.sum()),
            "anomaly_label": "malignant = 1",
            "fixture": str(FIXTURE.relative_to(ROOT)),
        },
        "settings": {
            "n_estimators": 100,
            "max_samples": "min(256, n)",
            "fit_and_score": "all rows, unsupervised; AUC computed with sklearn.metrics.roc_auc_score",
            "seeds": SEEDS,
        },
        "sklearn": {"version": sklearn.__version__, **summary(theirs)},
        "ours": {**summary(ours), "wall_seconds_all_seeds_incl_tsx_start": round(our_seconds, 2)},
        "mean_difference": round(difference, 6),
        "tolerance": TOLERANCE,
        "within_tolerance": abs(difference) <= TOLERANCE,
        "python": platform.python_version(),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0 if result["within_tolerance"] else 1


if __name__ == "__main__":
    sys.exit(main())
