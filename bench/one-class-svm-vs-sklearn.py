#!/usr/bin/python3
"""One-class SVM: ours (containers/pynomaly) against scikit-learn's OneClassSVM, by ROC AUC.

Data: the breast-cancer table of bench/isolation-forest-vs-sklearn.py (scikit-learn's copy of
UCI Breast Cancer Wisconsin (Diagnostic), via Debian's python3-sklearn; malignant = anomaly),
read from src/suites/fixtures/data/breast_cancer.csv. Both SVMs: RBF kernel, gamma='scale',
tol 1e-3, fitted on all rows unsupervised and scoring the same rows, for nu in NUS, on the raw
features and on standardised ones (StandardScaler; ours standardises the same way). The SVM is
deterministic (no seed). For each configuration: ROC AUC of -decision_function for both, the
AUC of our service's calibrated 0..1 score, and the largest |decision difference|.
Ours must come within TOLERANCE of scikit-learn's AUC in every configuration.

Run from anywhere (needs /usr/bin/python3 with python3-sklearn, and npx in /work/main):
    /usr/bin/python3 bench/one-class-svm-vs-sklearn.py
Exit status 1 when a difference exceeds the tolerance.
"""
import csv
import json
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy
import sklearn
from sklearn.metrics import roc_auc_score
from sklearn.preprocessing import StandardScaler
from sklearn.svm import OneClassSVM

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "src/suites/fixtures/data/breast_cancer.csv"
RESULTS = ROOT / "bench/results/one-class-svm-vs-sklearn.json"
NUS = [0.05, 0.1, 0.5]
TOLERANCE = 0.005


def load() -> tuple[numpy.ndarray, numpy.ndarray]:
    with FIXTURE.open() as source:
        rows = list(csv.reader(source))[1:]
    X = numpy.array([[float(v) for v in row[:-1]] for row in rows])
    labels = numpy.array([int(row[-1]) for row in rows])
    return X, labels


def configurations() -> list[dict]:
    return [
        {"name": f"nu={nu} {'standardised' if standardise else 'raw'}", "nu": nu, "standardise": standardise}
        for standardise in (False, True)
        for nu in NUS
    ]


def ours(configs: list[dict]) -> tuple[dict, float]:
    started = time.perf_counter()
    completed = subprocess.run(
        ["npx", "tsx", "bench/one-class-svm-vs-sklearn.ts", str(FIXTURE), json.dumps(configs)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(completed.stdout), time.perf_counter() - started


def main() -> int:
    X, labels = load()
    configs = configurations()
    our_results, our_seconds = ours(configs)
    rows = []
    for config in configs:
        data = StandardScaler().fit_transform(X) if config["standardise"] else X
        started = time.perf_counter()
        svm = OneClassSVM(kernel="rbf", nu=config["nu"], gamma="scale", tol=1e-3).fit(data)
        theirs = svm.decision_function(data)
        sklearn_seconds = time.perf_counter() - started
        mine = our_results[config["name"]]
        decision = numpy.array(mine["decision"])
        auc_sklearn = float(roc_auc_score(labels, -theirs))
        auc_ours = float(roc_auc_score(labels, -decision))
        rows.append(
            {
                "configuration": config["name"],
                "sklearn_roc_auc": round(auc_sklearn, 6),
                "ours_roc_auc": round(auc_ours, 6),
                "ours_service_score_roc_auc": round(float(roc_auc_score(labels, mine["score"])), 6),
                "difference": round(auc_ours - auc_sklearn, 6),
                "max_abs_decision_difference": float(numpy.max(numpy.abs(decision - theirs))),
                "sklearn_support_vectors": int(len(svm.support_)),
                "sklearn_fit_and_score_seconds": round(sklearn_seconds, 3),
                "ours_fit_and_score_seconds": round(mine["seconds"], 3),
                "within_tolerance": abs(auc_ours - auc_sklearn) <= TOLERANCE,
            }
        )
    result = {
        "benchmark": "one_class_svm ROC AUC, ours vs scikit-learn OneClassSVM",
        "dataset": {
            "name": "breast_cancer (UCI Breast Cancer Wisconsin (Diagnostic), scikit-learn's copy via Debian python3-sklearn)",
            "rows": int(X.shape[0]),
            "features": int(X.shape[1]),
            "anomalies": int(labels.sum()),
            "anomaly_label": "malignant = 1",
            "fixture": str(FIXTURE.relative_to(ROOT)),
        },
        "settings": {
            "kernel": "rbf",
            "gamma": "scale",
            "tol": 1e-3,
            "nu": NUS,
            "fit_and_score": "all rows, unsupervised; AUC of -decision_function by sklearn.metrics.roc_auc_score",
        },
        "results": rows,
        "tolerance": TOLERANCE,
        "within_tolerance": all(row["within_tolerance"] for row in rows),
        "ours_wall_seconds_incl_tsx_start": round(our_seconds, 2),
        "sklearn": sklearn.__version__,
        "python": platform.python_version(),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0 if result["within_tolerance"] else 1


if __name__ == "__main__":
    sys.exit(main())
