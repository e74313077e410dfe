"""The baseline: the article's stack (pandas + scikit-learn LinearRegression) on the same CSV. Prints one JSON line."""
import json
import resource
import sys
import time

start = time.perf_counter()
import pandas as pd
from sklearn.linear_model import LinearRegression
from sklearn.model_selection import train_test_split

path = sys.argv[1]
label = sys.argv[2] if len(sys.argv) > 2 else None
phases = {}
clock = time.perf_counter()
frame = pd.read_csv(path)
phases["parse"] = round(time.perf_counter() - clock, 3)

clock = time.perf_counter()
label = label or frame.columns[-1]
X = frame.drop(columns=[label])
X = pd.get_dummies(X) if any(X.dtypes == object) else X
y = frame[label]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
phases["split"] = round(time.perf_counter() - clock, 3)

clock = time.perf_counter()
model = LinearRegression().fit(X_train, y_train)
phases["train"] = round(time.perf_counter() - clock, 3)

clock = time.perf_counter()
score = model.score(X_test, y_test)
phases["evaluate"] = round(time.perf_counter() - clock, 3)

print(json.dumps({
    "seconds": time.perf_counter() - start,
    "phases": phases,
    "rSquared": score,
    "rows": len(frame),
    "peakMemoryMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
