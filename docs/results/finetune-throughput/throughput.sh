#!/usr/bin/env bash
# Fine-tuning throughput of MiniLM on SST-2 and RTE, with and without --group-by-length (quiet machine).
set -u
S="dotnet src/Sieve.Cli/bin/Release/net10.0/sieve.dll"   # run from the repository root after a Release build
out=${OUT:-/tmp/sieve-throughput}; rm -rf $out; mkdir -p $out
run() { # name task data batch maxlen steps extra...
  local name=$1 task=$2 data=$3 bs=$4 len=$5 steps=$6; shift 6
  $S finetune --model minilm --task $task --data $data --pattern "${PATTERN:-full}" --batch-size $bs --max-length $len \
    --max-steps $steps --max-eval-examples 1 --learning-rate 5e-5 --save-strategy no -o $out/$name "$@" > $out/$name.log 2>&1
  local t=$(grep -o "training time *[0-9.]* s" $out/$name.log | grep -o "[0-9.]*")
  local tok=$(grep -o "[0-9]* tok/s" $out/$name.log | tail -1)
  echo "$name task=$task batch=$bs maxlen=$len steps=$steps examples=$((bs*steps)) time=${t}s ex/s=$(python3 -c "print(round($bs*$steps/$t,1))") $tok $*"
}
run sst2-padded sst2 ../shared/data/glue/SST-2 32 128 40
run sst2-grouped sst2 ../shared/data/glue/SST-2 32 128 40 --group-by-length
run rte-padded rte ../shared/data/glue/RTE 16 128 20
run rte-grouped rte ../shared/data/glue/RTE 16 128 20 --group-by-length
