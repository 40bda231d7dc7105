# Shared by the package tests: what a program's usage text says (sourced, not run).

# The option names (-k, --top) of the label lines of a usage text's option table (stdin), sorted;
# -h and --help are left out (every command has them).
help_options() {
  sed -n '/^[Oo]ptions:$/,/^$/p' | grep -E '^  -' | sed -E 's/^  //; s/  .*//' | tr ',' '\n' |
    sed -E 's/^ *//; s/[ =].*//' | grep -E '^-' | grep -vxE -- '-h|--help' | sort -u || true
}

# The commands `ruvision-cli --help` lists, one a line, in its order.
cli_commands() {
  "$1" --help | sed -n '/^commands:$/,/^$/p' | grep -E '^  [a-z]' | awk '{ print $1 }'
}
