#!/usr/bin/env bash
# The man pages say what the programs do: every command of `ruvision-cli --help`, every option of
# each `ruvision-cli COMMAND --help` and every option of `ruvision --help`, and nothing they do not
# have. Fails on any difference, naming it, so that the pages cannot drift from the programs.
# usage: test_man_pages.sh RUVISION_CLI MAN_DIR [RUVISION]
set -euo pipefail
cli=$1 man_dir=$2 gui=${3:-}
failures=0
source "$(dirname "${BASH_SOURCE[0]}")/cli_help.sh"
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# The troff source as plain text: \- is -, font changes and quotes go.
plain() { sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/"//g' "$1"; }

# The option names of the .TP labels between two lines of a page (a command's .SS or the OPTIONS
# section), sorted, -h and --help left out.
page_options() {
  awk '/^\.TP/ { label = 1; next } label { print; label = 0 }' | tr ' ,' '\n\n' | grep -E '^-' |
    grep -vxE -- '-h|--help' | sort -u || true
}

compare() {  # what, from the program, from the page
  local what=$1 program=$2 page=$3 o
  for o in $program; do grep -qxF -- "$o" <<<"$page" || fail "$what: $o is in --help, not in the man page"; done
  for o in $page; do grep -qxF -- "$o" <<<"$program" || fail "$what: $o is in the man page, not in --help"; done
}

cli_page=$(plain "$man_dir/ruvision-cli.1")
# The title line names the version the program reports (.TH NAME 1 DATE "RuVision X.Y.Z" ...).
version=$("$cli" --version | awk '{ print $2 }' | tr -d ,)
for page in "$man_dir"/ruvision-cli.1 ${gui:+"$man_dir"/ruvision.1}; do
  grep -qE "^\.TH .* \"RuVision $version\" " "$page" || fail "$(basename "$page"): .TH does not say RuVision $version"
done
commands=$(cli_commands "$cli")
[[ $(wc -l <<<"$commands") -ge 10 ]] || fail "ruvision-cli --help lists only: $commands"
page_commands=$(awk '/^\.SH COMMANDS/ { on = 1; next } /^\.SH/ { on = 0 } on && /^\.SS / { print $2 }' <<<"$cli_page")
compare "ruvision-cli commands" "$commands" "$page_commands"

checked=0
for c in $commands; do
  [[ $c == help || $c == version ]] && continue
  program=$("$cli" "$c" --help | help_options)
  page=$(awk -v c="$c" '/^\.S[SH] / { on = ($1 == ".SS" && $2 == c); next } on' <<<"$cli_page" | page_options)
  compare "ruvision-cli $c" "$program" "$page"
  checked=$((checked + $(grep -c . <<<"$program" || true)))
done
# A parse that finds nothing would compare empty with empty: the table has dozens of options.
[[ $checked -ge 40 ]] || fail "only $checked options read from the commands' --help"

if [[ -n $gui ]]; then
  program=$("$gui" --help | help_options)
  [[ $(grep -c . <<<"$program" || true) -ge 8 ]] || fail "ruvision --help lists only: $program"
  page=$(plain "$man_dir/ruvision.1" | awk '/^\.SH / { on = ($2 == "OPTIONS"); next } on' | page_options)
  compare "ruvision" "$program" "$page"
fi

[[ $failures -eq 0 ]] || { echo "$failures difference(s) between the programs and their man pages"; exit 1; }
echo "man pages match: $(wc -w <<<"$commands") commands, $checked command options${gui:+ and the options of ruvision}"
