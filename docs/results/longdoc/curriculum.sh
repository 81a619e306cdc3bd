#!/usr/bin/env bash
# The long-document comparison of MODELS.md by a length curriculum ("A long-document task", fourth try): fine-tuning
# straight on 2,048-token documents did not learn (run.sh), so each run learns the task where it is easy and is then
# read at TOKENS (default 2,048) tokens without further training:
#   stage 0  MiniLM fine-tuned on 8,000 SST-2 sentences with [CLS] pooling (shared by every run: the classifier and
#            the [CLS] route learn sentiment on plain sentences);
#   stage 1  that model fine-tuned on 4,000 documents of 128 tokens (`sieve data longdoc --tokens 128 --min-offset 8`:
#            one SST-2 sentence among RTE's news, anywhere past token 8) with the run's pattern: [CLS] learns to find
#            the review sentence among news;
#   stage 2  the stage-1 model extended to TOKENS positions (`sieve extend`, Longformer's copy) and evaluated on the
#            first DEV documents of `sieve data longdoc --seed 1 --tokens TOKENS` (the needle at token 512 or later) with
#            the run's pattern; the truncation run reads the same documents cut to 512 tokens with its own positions.
# Usage: [SEED=42 DEV=300 TOKENS=2048] docs/results/longdoc/curriculum.sh [RUN...]   RUN: lg, local, aaa, trunc (default
#   all four). TOKENS: the stage-2 documents' length (`sieve data longdoc --tokens`, the needle still at 512 or later)
#   and the positions the stage-1 model is extended to; the same stage-1 models serve every length.
# Writes runs/longdoc/curriculum/RUN-seedSEED/ and copies each run's stage-1 summary, training log and stage-2
# evaluation here as curriculum-RUN-seedSEED.* (evalTOKENS); a finished stage is skipped when the script is run again.
set -euo pipefail
cd "$(dirname "$0")/../../.."
SIEVE=${SIEVE:-dotnet src/Sieve.Cli/bin/Release/net10.0/sieve.dll}
SEED=${SEED:-42}
DEV=${DEV:-300}
TOKENS=${TOKENS:-2048}
R=runs/longdoc
RESULTS=docs/results/longdoc
longdoc() { [ -f "$R/$1/train.tsv" ] || $SIEVE data longdoc --needles ../shared/data/glue/SST-2 --filler ../shared/data/glue/RTE --seed 1 -o "$R/$1" "${@:2}"; }
longdoc data-128 --tokens 128 --min-offset 8 --train 6000
DATA=data-$([ "$TOKENS" = 2048 ] && echo 2k || echo "$TOKENS")
longdoc "$DATA" --tokens "$TOKENS"
stage0=$R/sst2-cls-8000
if [ ! -f "$stage0/model/config.json" ]; then
  rm -rf "$stage0"
  $SIEVE finetune --model minilm --task sst2 --data ../shared/data/glue/SST-2 --classifier-pooling cls --max-train-examples 8000 \
    --epochs 1 --batch-size 32 --max-length 64 --learning-rate 5e-5 --warmup-ratio 0.1 --weight-decay 0.01 --seed 42 \
    --format json -o "$stage0" > "$RESULTS/sst2-cls-8000-seed42.json"
  cp "$stage0/trainer_log.jsonl" "$RESULTS/sst2-cls-8000-seed42.trainer_log.jsonl"
fi
run() {   # run name, the pattern at stage 2 (empty: the saved one), the evaluation's --max-length (past 512: the
          # extended model's), stage-1 options...
  local name=$1 eval_pattern=$2 eval_length=$3; shift 3
  local tag=curriculum-$name-seed$SEED out=$R/curriculum/$name-seed$SEED
  local result=$RESULTS/$tag.eval$TOKENS.json
  [ -f "$result" ] && { echo "$tag: done already ($result)"; return; }
  if [ ! -f "$out/stage1/model/config.json" ]; then
    rm -rf "$out/stage1"
    $SIEVE finetune --model "$stage0/model" --task sst2 --data $R/data-128 --classifier-pooling cls --max-length 128 \
      --batch-size 16 --epochs 1 --learning-rate 5e-5 --warmup-ratio 0.1 --weight-decay 0.01 --max-train-examples 4000 \
      --seed "$SEED" --format json "$@" -o "$out/stage1" > "$RESULTS/$tag.stage1.json"
    cp "$out/stage1/trainer_log.jsonl" "$RESULTS/$tag.stage1.trainer_log.jsonl"
    rm -rf "$out"/stage1/checkpoint-*
  fi
  local model=$out/stage1/model
  if [ "$eval_length" -gt 512 ]; then
    [ -f "$out/ext$TOKENS/config.json" ] || { rm -rf "$out/ext$TOKENS"; $SIEVE extend --model "$model" --max-positions "$TOKENS" -o "$out/ext$TOKENS"; }
    model=$out/ext$TOKENS
  fi
  local pattern=(); [ -n "$eval_pattern" ] && pattern=(--pattern "$eval_pattern")
  $SIEVE evaluate --model "$model" --task sst2 --data "$R/$DATA" --max-length "$eval_length" "${pattern[@]}" \
    --max-examples "$DEV" --batch-size 8 --seed "$SEED" --format json > "$result.tmp"
  mv "$result.tmp" "$result"
}
wanted=("$@"); [ ${#wanted[@]} -gt 0 ] || wanted=(lg local aaa trunc)
for r in "${wanted[@]}"; do
  case $r in
    lg) run lg "local(64)+global(2)" "$TOKENS" --pattern "local(64)+global(2)" ;;
    local) run local "local(64)" "$TOKENS" --pattern "local(64)" ;;
    # AAA trained towards the ρ local(64)+global(2) has on the 128-token documents; at 2,048 its learned selector
    # chooses the rows and columns of each document.
    aaa) run aaa "" "$TOKENS" --pattern "aaa(local=64)" --match-sparsity-of "local(64)+global(2)" \
           --sparsity-penalty two-sided --alpha 2 --gate-bias-scale 10 --pattern-lr 0.1 ;;
    trunc) run trunc full 512 --pattern full ;;
    *) echo "unknown run $r" >&2; exit 2 ;;
  esac
done
