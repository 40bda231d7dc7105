# bash completion for ruvision-cli, installed as /usr/share/bash-completion/completions/ruvision-cli
# (loaded on first use by bash-completion). Commands and their options as `ruvision-cli --help` and
# `ruvision-cli COMMAND --help` print them (tests/package/test_completion.sh keeps them equal);
# model names from `ruvision-cli models --json`; files and folders where a command takes paths.

_ruvision_cli_commands="models embed rank index search duplicates status roots mark marks hierarchy learn tune
adapters import-model export-onnx calibrate-int8 help version"

# The options of one command (every command also takes -h, --help).
_ruvision_cli_options() {
    case $1 in
        models) echo "--json --nodes" ;;
        embed) echo "--model --descriptor --precision --json" ;;
        rank) echo "--model" ;;
        index) echo "--library --model --precision --json -v --verbose --progress-every --no-hierarchy" ;;
        search) echo "--library -k --top --alike --different --no-adapter --level --region --json -v --verbose" ;;
        duplicates) echo "--library --threshold --no-adapter --json -v --verbose" ;;
        status) echo "--library --errors --json -v --verbose" ;;
        roots) echo "--library --add --remove --json -v --verbose" ;;
        mark) echo "--library --same --alike --different --json" ;;
        marks) echo "--library --json --export --import --remove" ;;
        hierarchy | learn) echo "--library --json" ;;
        tune) echo "--library --json --images --seed" ;;
        adapters) echo "--library --json --activate --none --export --import" ;;
        import-model) echo "" ;;
        export-onnx) echo "--output --size --json" ;;
        calibrate-int8) echo "--out --percentile --float --json" ;;
    esac
}

# The names of the models this ruvision-cli finds (the program being completed, so that another
# build or installation lists its own).
_ruvision_cli_model_names() {
    "$1" models --json 2>/dev/null | sed -n 's/.*"name":"\([^"]*\)".*/\1/p'
}

# One word a line (the completion splits word lists at new lines only, so that paths may have spaces).
_ruvision_cli_lines() {
    local IFS=$' \t\n'
    printf '%s\n' $*
}

_ruvision_cli_files() {  # files and folders
    compopt -o filenames 2>/dev/null
    COMPREPLY=($(compgen -f -- "$1"))
}

_ruvision_cli_dirs() {
    compopt -o filenames 2>/dev/null
    COMPREPLY=($(compgen -d -- "$1"))
}

_ruvision_cli() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev= program=${COMP_WORDS[0]} command= i
    ((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
    # --library=DIR: bash splits at "=" (COMP_WORDBREAKS); the option is the word before it.
    if [[ $cur == = ]]; then
        prev=${COMP_WORDS[COMP_CWORD - 1]}
        cur=
    elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then
        prev=${COMP_WORDS[COMP_CWORD - 2]}
    fi
    COMPREPLY=()
    local IFS=$'\n'

    if ((COMP_CWORD == 1)); then
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W $'--help\n--version' -- "$cur"))
        else
            COMPREPLY=($(compgen -W "$(_ruvision_cli_lines "$_ruvision_cli_commands")" -- "$cur"))
        fi
        return 0
    fi
    command=${COMP_WORDS[1]}

    case $command in
        help)
            ((COMP_CWORD == 2)) && COMPREPLY=($(compgen -W "$(_ruvision_cli_lines "$_ruvision_cli_commands")" -- "$cur"))
            return 0 ;;
        version) return 0 ;;
    esac

    # The value of the option before the cursor.
    case $prev in
        --library | --add | --remove) _ruvision_cli_dirs "$cur"; return 0 ;;
        --model | --nodes)
            COMPREPLY=($(compgen -W "$(_ruvision_cli_model_names "$program")" -- "$cur")); return 0 ;;
        --precision) COMPREPLY=($(compgen -W $'fp32\nint8' -- "$cur")); return 0 ;;
        --export)
            # marks --export FILE; adapters --export N FILE (a version number first: nothing to offer)
            [[ $command == marks ]] && _ruvision_cli_files "$cur"
            return 0 ;;
        --import | --out) _ruvision_cli_files "$cur"; return 0 ;;
        -k | --top | --level | --region | --threshold | --progress-every | --images | --seed | --activate | \
            --size | --percentile | --descriptor)
            return 0 ;;  # a number or a spec: nothing to offer
    esac

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(_ruvision_cli_lines "$(_ruvision_cli_options "$command") -h --help")" -- "$cur"))
        return 0
    fi

    # Operands, and the values of the list options (--alike, --different: library files; --output,
    # --float: node names, nothing to offer).
    for ((i = COMP_CWORD - 1; i > 1; i--)); do
        case ${COMP_WORDS[i]} in
            --output | --float) return 0 ;;
            -*) break ;;
        esac
    done
    case $command in
        index) _ruvision_cli_dirs "$cur" ;;
        export-onnx | calibrate-int8)
            # MODEL first: a model name or a .rvm file
            local operands=0
            for ((i = 2; i < COMP_CWORD; i++)); do
                case ${COMP_WORDS[i]} in
                    --out | --percentile | --size) ((i++)) ;;
                    -* | =) ;;
                    *) ((operands++)) ;;
                esac
            done
            _ruvision_cli_files "$cur"
            if ((operands == 0)); then
                COMPREPLY+=($(compgen -W "$(_ruvision_cli_model_names "$program")" -- "$cur"))
            fi ;;
        models | duplicates | status | roots | hierarchy | learn | tune | adapters) ;;  # no operands
        *) _ruvision_cli_files "$cur" ;;
    esac
    return 0
}

complete -F _ruvision_cli ruvision-cli
