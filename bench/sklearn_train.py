"""The baseline: the article's stack (pandas + scikit-learn LinearRegression) on the same CSV.

    python3 sklearn_train.py data.csv [repeat]

Runs the path (read_csv, train_test_split, fit, score) `repeat` times in this process (default 1) and prints one
JSON line: the first run's phases, every run's path time, R², rows and the peak memory.
"""
import json
import resource
import sys
import time

import pandas as pd
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import train_test_split


def run(path):
    phases = {}
    clock = time.perf_counter()
    frame = pd.read_csv(path)
    phases["parse"] = time.perf_counter() - clock

    clock = time.perf_counter()
    label = frame.columns[-1]
    features = frame.drop(columns=[label])
    features = pd.get_dummies(features) if any(features.dtypes == object) else features
    X_train, X_test, y_train, y_test = train_test_split(features, frame[label], test_size=0.2, random_state=42)
    phases["split"] = time.perf_counter() - clock

    clock = time.perf_counter()
    model = LinearRegression().fit(X_train, y_train)
    phases["train"] = time.perf_counter() - clock

    clock = time.perf_counter()
    score = model.score(X_test, y_test)
    phases["evaluate"] = time.perf_counter() - clock
    return phases, score, len(frame)


path = sys.argv[1]
repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 1
runs = [run(path) for _ in range(repeat)]
phases, score, rows = runs[0]
print(json.dumps({
    "seconds": sum(phases.values()),
    "phases": {name: round(value, 3) for name, value in phases.items()},
    "repeats": [sum(p.values()) for p, _, _ in runs],
    "rSquared": score,
    "rows": rows,
    "peakMemoryMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
