#!/usr/bin/env bash
# The bash completion of ruvision-cli (packaging/completion/ruvision-cli.bash), sourced in bash and
# asked as bash asks it (COMP_WORDS, COMP_CWORD, then the function): the commands and each command's
# options are exactly those the CLI's --help prints, option values (models, precisions, folders,
# files) are offered where the option takes them.
# usage: test_completion.sh RUVISION_CLI COMPLETION_FILE   (RUVISION_MODELS as the CLI should see it)
set -euo pipefail
cli=$1 completion=$2
source "$(dirname "${BASH_SOURCE[0]}")/cli_help.sh"
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

source "$completion"
complete -p ruvision-cli >/dev/null || fail "the file does not register a completion for ruvision-cli"

# complete WORD...: the candidates for the last word, one a line, sorted.
complete_words() {
  COMP_WORDS=("$cli" "$@")
  COMP_CWORD=$#
  COMPREPLY=()
  _ruvision_cli
  [[ ${#COMPREPLY[@]} -eq 0 ]] || printf '%s\n' "${COMPREPLY[@]}" | sort
}
expect() {  # what, expected (one a line), the words
  local what=$1 want=$2 got
  shift 2
  got=$(complete_words "$@")
  [[ $got == "$want" ]] || fail "$what: ruvision-cli $* <TAB> gave [${got//$'\n'/ }], expected [${want//$'\n'/ }]"
}

commands=$(cli_commands "$cli")
[[ $(wc -l <<<"$commands") -ge 10 ]] || fail "ruvision-cli --help lists only: $commands"
expect "the commands" "$(sort <<<"$commands")" ""
expect "a command's prefix" "search" "sea"
expect "help's argument" "index" help ind

checked=0
for c in $commands; do
  [[ $c == help || $c == version ]] && continue
  options=$("$cli" "$c" --help | help_options)
  expect "the options of $c" "$(printf '%s\n' $options -h --help | sort)" "$c" -
  checked=$((checked + $(grep -c . <<<"$options" || true)))
done
[[ $checked -ge 40 ]] || fail "only $checked options read from the commands' --help"

# Model names: those `ruvision-cli models` lists (its text, not the JSON the completion reads).
models=$("$cli" models | grep -E '^[a-z]' | awk '{ print $1 }' | sort)
[[ -n $models ]] || fail "ruvision-cli models lists no model (RUVISION_MODELS=${RUVISION_MODELS:-})"
expect "--model" "$models" embed --model ""
expect "--nodes" "$models" models --nodes ""
expect "--model=" "$models" index --library L --model = ""
expect "calibrate-int8's MODEL" "$(grep '^mobilenet_v' <<<"$models")" calibrate-int8 mobilenet_v
expect "--precision" $'fp32\nint8' index --precision ""
expect "-k takes a number" "" search -k ""

# Paths: folders only for --library and index's operands, files and folders for images.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir "$scratch/photos dir" "$scratch/library"
touch "$scratch/photo.jpg"
expect "--library (folders only)" "$scratch/photos dir" index --library "$scratch/ph"
expect "index's FOLDER" "$scratch/library" index --library "$scratch/library" "$scratch/l"
expect "search's IMAGE" "$scratch/photo.jpg"$'\n'"$scratch/photos dir" search --library "$scratch/library" "$scratch/ph"
expect "--alike's IMAGEs" "$scratch/photo.jpg" search --library L q.jpg --alike a.jpg "$scratch/photo."
expect "status takes no operand" "" status --library L "$scratch/ph"

[[ $failures -eq 0 ]] || { echo "$failures failure(s) in the bash completion"; exit 1; }
echo "completion matches: $(wc -w <<<"$commands") commands, $checked command options, models, paths"
