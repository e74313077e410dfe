"""The datasets of the model-quality case (BENCHMARKS.md, case 8) and the scikit-learn reference on each.

    python3 quality_data.py OUT_DIR [REPO_ROOT]

Each dataset is split 80/20 with a fixed seed into OUT_DIR/<name>/train.csv and test.csv (an empty field is a missing
value, as the app reads CSV), with test-instances.json (the test rows without the label, as /api/predict takes them,
null for a missing value). The reference is scikit-learn's LinearRegression after median imputation and standard
scaling of the numbers and one-hot encoding of the categories, fitted on train.csv; its predictions on test.csv go to
reference-predictions.json, so that the harness scores them with the same code as the app's. A gradient-boosted
ensemble fitted the same way says whether a dataset is nonlinear (it beats the linear reference by more than 0.02 R²).
OUT_DIR/datasets.json lists them all.
"""
import json
import math
import os
import sys

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.datasets import load_diabetes, make_friedman1, make_regression
from sklearn.ensemble import HistGradientBoostingRegressor
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LinearRegression
from sklearn.metrics import r2_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

SEED = 42


def diabetes():
    frame = load_diabetes(as_frame=True, scaled=False).frame
    return frame.rename(columns={"target": "progression"}), "progression", \
        "scikit-learn's bundled diabetes data (442 patients, 10 numbers; unscaled: age in years, sex 1 or 2, blood tests in their units)"


def friedman1():
    X, y = make_friedman1(n_samples=2000, n_features=10, noise=1.0, random_state=7)
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(1, 11)]).round(6)
    frame["y"] = np.round(y, 6)
    return frame, "y", \
        "`make_friedman1(n_samples=2000, n_features=10, noise=1.0, random_state=7)`: y = 10 sin(π x1 x2) + 20 (x3 − 0.5)² + 10 x4 + 5 x5 + noise; x6–x10 are noise"


def linear():
    X, y = make_regression(n_samples=2000, n_features=20, n_informative=10, noise=10.0, random_state=7)
    frame = pd.DataFrame(X, columns=[f"x{i}" for i in range(1, 21)]).round(6)
    frame["y"] = np.round(y, 6)
    return frame, "y", \
        "`make_regression(n_samples=2000, n_features=20, n_informative=10, noise=10, random_state=7)`: linear, 10 of 20 features matter"


def auto_mpg_like():
    # The shape of UCI auto-mpg (398 cars): the model year far from zero compared with its spread, a categorical origin,
    # six missing horsepower values, and fuel economy that falls with the inverse of the weight, not linearly.
    random = np.random.default_rng(11)
    rows = 398
    cylinders = random.choice([4, 6, 8], size=rows, p=[0.52, 0.22, 0.26])
    origin = np.where(cylinders == 4, random.choice(["usa", "europe", "japan"], size=rows, p=[0.4, 0.3, 0.3]),
                      np.where(cylinders == 6, random.choice(["usa", "japan"], size=rows, p=[0.9, 0.1]), "usa"))
    displacement = np.round(pd.Series(cylinders).map({4: 110.0, 6: 225.0, 8: 345.0}).to_numpy() + random.normal(0, 20, rows))
    horsepower = np.round(0.35 * displacement + random.normal(35, 10, rows))
    weight = np.clip(np.round(800 + 9 * displacement + random.normal(0, 250, rows)), 1600, 5200)
    acceleration = np.round(22 - 0.04 * horsepower + random.normal(0, 1.5, rows), 1)
    year = random.integers(1970, 1983, size=rows)
    effect = pd.Series(origin).map({"usa": 0.0, "europe": 1.0, "japan": 2.0}).to_numpy()
    mpg = -2 + 70000 / weight + 0.75 * (year - 1970) - 0.03 * (horsepower - 100) + effect + random.normal(0, 2.0, rows)
    frame = pd.DataFrame({
        "cylinders": cylinders, "displacement": displacement, "horsepower": horsepower, "weight": weight,
        "acceleration": acceleration, "model_year": year, "origin": origin, "mpg": np.round(np.maximum(mpg, 8), 1),
    })
    frame.loc[random.choice(rows, size=6, replace=False), "horsepower"] = np.nan
    return frame, "mpg", \
        "synthetic, shaped like UCI auto-mpg: 398 cars, model_year in [1970, 1982], `origin` categorical, 6 missing horsepower values; mpg = 70,000/weight + 0.75 per year − 0.03 per horsepower + origin + noise (σ 2)"


def houses(root):
    frame = pd.read_csv(os.path.join(root, "samples", "houses.csv"))
    return frame, "price", "`samples/houses.csv` (400 homes: 4 numbers, 2 categories, a few missing values)"


def preprocessing(numeric, categorical):
    steps = [("numbers", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric)]
    if categorical:
        steps.append(("categories", make_pipeline(SimpleImputer(strategy="constant", fill_value="missing"),
                                                  OneHotEncoder(handle_unknown="ignore")), categorical))
    return ColumnTransformer(steps)


def main():
    out = sys.argv[1]
    root = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..")
    listing = []
    for name, (frame, label, description) in {
        "diabetes": diabetes(),
        "friedman1": friedman1(),
        "linear": linear(),
        "auto-mpg-like": auto_mpg_like(),
        "houses": houses(root),
    }.items():
        train, test = train_test_split(frame, test_size=0.2, random_state=SEED)
        features = [c for c in frame.columns if c != label]
        categorical = [c for c in features if frame[c].dtype == object]
        numeric = [c for c in features if c not in categorical]

        reference = make_pipeline(preprocessing(numeric, categorical), LinearRegression())
        reference.fit(train[features], train[label])
        predictions = reference.predict(test[features])
        boosted = make_pipeline(preprocessing(numeric, categorical), HistGradientBoostingRegressor(random_state=SEED))
        boosted.fit(train[features], train[label])
        boosted_r2 = r2_score(test[label], boosted.predict(test[features]))
        reference_r2 = r2_score(test[label], predictions)

        directory = os.path.join(out, name)
        os.makedirs(directory, exist_ok=True)
        train.to_csv(os.path.join(directory, "train.csv"), index=False)
        test.to_csv(os.path.join(directory, "test.csv"), index=False)
        instances = [{c: (None if isinstance(v, float) and math.isnan(v) else v) for c, v in row.items()}
                     for row in test[features].astype(object).to_dict(orient="records")]
        with open(os.path.join(directory, "test-instances.json"), "w") as f:
            json.dump(instances, f, default=lambda v: v.item())
        with open(os.path.join(directory, "reference-predictions.json"), "w") as f:
            json.dump([float(p) for p in predictions], f)
        listing.append({
            "name": name, "label": label, "description": description,
            "rows": len(frame), "trainRows": len(train), "testRows": len(test),
            "numeric": numeric, "categorical": categorical, "missing": int(frame[features].isna().sum().sum()),
            "actual": [float(v) for v in test[label]],
            "referenceR2": reference_r2, "boostedR2": boosted_r2, "nonlinear": bool(boosted_r2 > reference_r2 + 0.02),
        })
    with open(os.path.join(out, "datasets.json"), "w") as f:
        json.dump(listing, f, indent=1)
    for d in listing:
        print(f"{d['name']}: {d['rows']} rows, reference R² {d['referenceR2']:.4f}, boosted {d['boostedR2']:.4f}")


main()
