#!/usr/bin/env bash
# Every sentiment evaluation, fp32 and fast path, plus the latency benchmark.
# Usage: benchmarks/sentiment_report.sh [SHARED_DATA_DIR]   (default ../shared/data)
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${1:-../shared/data}
K=.venv/bin/kizuna
summary() { .venv/bin/python -c "
import json, sys
d = json.load(sys.stdin)
extra = ''.join(f' {k}={d[k]:.3f}' for k in ('neutral_recall', 'calibration_error', 'intensity_spearman') if k in d)
print(f\"{d['path']:5} n={d['n']:6} acc={d['accuracy']:.3f} macroF1={d['macro_f1']:.3f} macroRecall={d['macro_recall']:.3f}{extra}\")"; }
run() {  # name file format
  for flag in --fp32 ""; do printf '%-22s' "$1"; $K sentiment eval --data "$2" --format "$3" $flag 2>/dev/null | summary; done
}
run heldout data/sentiment/heldout.csv csv
run dev data/sentiment/dev.csv csv
if [ -d "$DATA" ]; then
  run sst2-dev "$DATA/sst2/dev.tsv" sst2
  run tweeteval-test "$DATA/tweeteval/test_text.txt" tweeteval
  run vader-tweets "$DATA/vader/tweets_GroundTruth.txt" vader
  run vader-amazon "$DATA/vader/amazonReviewSnippets_GroundTruth.txt" vader
else
  echo "no $DATA: public evaluation sets skipped"
fi
$K sentiment bench 2>/dev/null
