#!/usr/bin/env bash
# Runs one libFuzzer target for a while, starting from its seed corpus.
#   run_fuzzer.sh BINARY SEED_DIR [SECONDS]   (SECONDS default: $RUVISION_FUZZ_SECONDS or 60)
# New inputs go to a scratch folder, never into the repository's corpus. A crash, leak, timeout
# (10 s on one input) or memory blow-up (2 GiB) fails with libFuzzer's exit status and leaves the
# input in $RUVISION_FUZZ_ARTIFACTS (default ./fuzz-artifacts)/<target>/ to be added to the corpus
# once fixed.
set -euo pipefail
bin=$1 seeds=$2 seconds=${3:-${RUVISION_FUZZ_SECONDS:-60}}
name=$(basename "$bin")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
artifacts=${RUVISION_FUZZ_ARTIFACTS:-$PWD/fuzz-artifacts}/$name
mkdir -p "$artifacts"
"$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
  -artifact_prefix="$artifacts/" "$work" "$seeds"
