#!/usr/bin/env bash
# The long-document comparison of MODELS.md ("A long-document task"): extended MiniLM (2,048 positions) fine-tuned on
# the first TRAIN documents of `sieve data longdoc --seed 1` with local(64)+global(2), local(64) alone, AAA at the ρ of
# local(64)+global(2), and full attention truncated to 512 tokens (no extension). One seed per run; CLS pooling (HF's
# pooler) by default, so what reaches the classifier is what [CLS] gathered through attention; POOLING=mean reads the
# mean of the last hidden state instead, to which every token contributes without any attention reaching [CLS].
# Usage: [TRAIN=480 DEV=300 LR=1e-4 SEED=42 MODEL=minilm POOLING=cls TOKENS=2048 TAG=] docs/results/longdoc/run.sh [RUN...]
#   RUN: lg, local, aaa, trunc (default all four). MODEL: the model every run starts from (the built-in MiniLM, or a
#   folder such as a model first fine-tuned on SST-2's sentences); TAG names that start in the results' names.
#   TOKENS: the documents' length (`sieve data longdoc --tokens`), and the extended models' positions; runs on
#   documents other than 2,048 tokens carry it in their names (lg768-…).
# Writes runs/longdoc/RUN-TRAINxEPOCHS-seedSEED[-TAG] and copies each run's summary and training log here. A run stopped part-way (Ctrl+C, or the end of a session) resumes
# from its newest checkpoint (every 20 steps) when the script is run again with the same settings.
set -euo pipefail
cd "$(dirname "$0")/../../.."
SIEVE=${SIEVE:-dotnet src/Sieve.Cli/bin/Release/net10.0/sieve.dll}
TRAIN=${TRAIN:-480}
DEV=${DEV:-300}
SEED=${SEED:-42}
MODEL=${MODEL:-minilm}
TAG=${TAG:-}
EPOCHS=${EPOCHS:-1}
TOKENS=${TOKENS:-2048}
DATA=runs/longdoc/data-$([ "$TOKENS" = 2048 ] && echo 2k || echo "$TOKENS")
LENGTH=$([ "$TOKENS" = 2048 ] || echo "$TOKENS")   # in the runs' names
RESULTS=docs/results/longdoc
[ -f "$DATA/train.tsv" ] || $SIEVE data longdoc --needles ../shared/data/glue/SST-2 --filler ../shared/data/glue/RTE --tokens "$TOKENS" --seed 1 -o "$DATA"
common=(finetune --model "$MODEL" --task sst2 --data "$DATA" --classifier-pooling "${POOLING:-cls}" --batch-size 8 --epochs "$EPOCHS"
  --learning-rate "${LR:-1e-4}" --warmup-ratio 0.1 --weight-decay 0.01 --max-train-examples "$TRAIN" --max-eval-examples "$DEV"
  --save-steps 20 --save-total-limit 1 --seed "$SEED" --format json)
long=(--max-positions "$TOKENS" --max-length "$TOKENS")
run() {
  local name=$1; shift
  local tag=$name$LENGTH-${TRAIN}x$EPOCHS-seed$SEED${TAG:+-$TAG}   # run (and length), training documents × epochs, seed, start
  local out=runs/longdoc/$tag
  [ -f "$RESULTS/$tag.json" ] && { echo "$tag: done already ($RESULTS/$tag.json)"; return; }
  local resume=()
  if compgen -G "$out/checkpoint-*" > /dev/null; then resume=(--resume); else rm -rf "$out"; fi
  /usr/bin/time -v $SIEVE "${common[@]}" "$@" "${resume[@]}" -o "$out" > "$RESULTS/$tag.json.tmp" 2>> "$RESULTS/$tag.log"
  mv "$RESULTS/$tag.json.tmp" "$RESULTS/$tag.json"
  cp "$out/trainer_log.jsonl" "$RESULTS/$tag.trainer_log.jsonl"
}
wanted=("$@"); [ ${#wanted[@]} -gt 0 ] || wanted=(lg local aaa trunc)
for r in "${wanted[@]}"; do
  case $r in
    lg) run lg "${long[@]}" --pattern "local(64)+global(2)" ;;
    local) run local "${long[@]}" --pattern "local(64)" ;;
    # AAA trained towards the ρ local(64)+global(2) has on these training documents (AAA Table 4's comparison).
    aaa) run aaa "${long[@]}" --pattern "aaa(local=64)" --match-sparsity-of "local(64)+global(2)" \
           --sparsity-penalty two-sided --alpha 2 --gate-bias-scale 10 --pattern-lr 0.1 ;;
    trunc) run trunc --max-length 512 --pattern full ;;
    *) echo "unknown run $r" >&2; exit 2 ;;
  esac
done
