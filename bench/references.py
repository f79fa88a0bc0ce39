"""Reference models for the quality benchmark: scikit-learn and XGBoost on one exported split.

Reads a CSV written by bench/run.ts (feature columns, then `__label` 0/1 and `__part` train or
test) and a JSON file naming each feature column's kind (numeric, boolean or categorical).
Trains on the train rows, predicts the test rows, and writes one JSON object:
{"versions": {...}, "models": {name: {"probabilities": [...], "seconds": s}}}.
Missing cells are empty. Categorical columns are one-hot encoded, and values seen fewer than
`min_category_count` times share one column. Numeric columns keep NaN for the tree models. For
logistic regression they are median-imputed with a missing indicator and standardized.
"""

import json
import sys
import time

import numpy as np
import pandas as pd
import sklearn
import xgboost
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler


def read_split(csv_path, spec):
    frame = pd.read_csv(csv_path, dtype=str, keep_default_na=False)
    kinds = spec["kinds"]
    features = pd.DataFrame(index=frame.index)
    for column, kind in kinds.items():
        cells = frame[column].replace("", np.nan)
        if kind == "categorical":
            features[column] = cells.fillna("(missing)")
        else:
            features[column] = pd.to_numeric(cells, errors="raise")
    labels = frame["__label"].astype(int).to_numpy()
    is_train = (frame["__part"] == "train").to_numpy()
    return features, labels, is_train


def encoder(kinds, min_category_count, scale_numbers):
    numeric = [column for column, kind in kinds.items() if kind != "categorical"]
    categorical = [column for column, kind in kinds.items() if kind == "categorical"]
    if scale_numbers:
        numeric_steps = make_pipeline(SimpleImputer(strategy="median", add_indicator=True), StandardScaler())
    else:
        numeric_steps = "passthrough"
    one_hot = OneHotEncoder(handle_unknown="infrequent_if_exist", min_frequency=min_category_count, sparse_output=False)
    return ColumnTransformer([("numeric", numeric_steps, numeric), ("categorical", one_hot, categorical)])


def reference_models(kinds, min_category_count, seed):
    return {
        "logistic regression (sklearn)": make_pipeline(
            encoder(kinds, min_category_count, True), LogisticRegression(C=1.0, max_iter=5000)
        ),
        "hist gradient boosting (sklearn)": make_pipeline(
            encoder(kinds, min_category_count, False), HistGradientBoostingClassifier(random_state=seed)
        ),
        "XGBoost (300 trees, depth 4)": make_pipeline(
            encoder(kinds, min_category_count, False),
            xgboost.XGBClassifier(
                n_estimators=300, max_depth=4, learning_rate=0.1, subsample=0.8, colsample_bytree=0.8,
                random_state=seed, n_jobs=1, tree_method="hist",
            ),
        ),
    }


def main():
    if len(sys.argv) != 4:
        sys.exit("usage: references.py SPLIT.csv SPEC.json OUT.json")
    csv_path, spec_path, out_path = sys.argv[1:]
    with open(spec_path, encoding="utf-8") as handle:
        spec = json.load(handle)
    features, labels, is_train = read_split(csv_path, spec)

    results = {}
    for name, model in reference_models(spec["kinds"], spec["minCategoryCount"], spec["seed"]).items():
        started = time.perf_counter()
        model.fit(features[is_train], labels[is_train])
        seconds = time.perf_counter() - started
        probabilities = model.predict_proba(features[~is_train])[:, 1]
        results[name] = {"probabilities": [float(p) for p in probabilities], "seconds": seconds}

    versions = {"python": sys.version.split()[0], "scikit-learn": sklearn.__version__, "xgboost": xgboost.__version__}
    with open(out_path, "w", encoding="utf-8") as handle:
        json.dump({"versions": versions, "models": results}, handle)


if __name__ == "__main__":
    main()
