// The command line of ruvision-cli, declared once: every command lists its options in a table
// (name, short letter, value or flag, help line); the same table parses the arguments and writes
// the usage text, so the two cannot drift apart.
//
// Accepted forms: --name VALUE, --name=VALUE, -k VALUE, -k5, flags (--json, -v), lists (--alike A
// B C: every following argument up to the next option; the option may be given again to add
// more, so operands go before a list or after "--"); "--" ends the
// options (what follows are operands, even when it starts with '-'); --help / -h anywhere before
// "--" asks for the command's usage. Numbers are read whole (std::from_chars must take every
// character) and checked against the option's range before anything else happens.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace rv::cli {

using Args = std::vector<std::string>;

inline constexpr std::size_t kMany = static_cast<std::size_t>(-1);

struct OptionSpec {
    enum class Kind { Flag, Text, Integer, Number, List };
    const char* name;        // without the dashes: "library"
    char short_name = 0;     // 'k' for -k; 0: none
    Kind kind = Kind::Flag;
    const char* value_name = "";  // shown in the usage: DIR, N, T
    const char* help = "";        // one line
    double lo = 0, hi = 0;        // Integer / Number: the accepted range, inclusive
    bool required = false;
    const char* default_text = "";  // shown in the usage: "10"
};

class Parsed;

struct CommandSpec {
    const char* name;
    const char* operands;  // "IMAGE...", "" for none
    const char* summary;   // one line, for the command list
    std::vector<OptionSpec> options;
    const char* example;   // one command line
    const char* notes = "";  // more lines for the command's usage (optional)
    // How many operands the command takes (checked after --help, before anything runs).
    std::size_t min_operands = 0, max_operands = 0;  // kMany: no upper bound
    int (*run)(const Parsed&) = nullptr;  // returns the exit status
};

// The arguments of one command, parsed: options by name (without dashes), operands in order.
class Parsed {
public:
    bool has(std::string_view name) const { return values_.count(std::string(name)) != 0; }
    // The option's value; `fallback` when it was not given.
    std::string text(std::string_view name, const std::string& fallback = {}) const;
    double number(std::string_view name, double fallback) const;
    const std::vector<std::string>& operands() const { return operands_; }
    // A List option's values, in order (empty when it was not given).
    const std::vector<std::string>& list(std::string_view name) const;

private:
    friend int parse(const CommandSpec&, const Args&, Parsed&);
    std::map<std::string, std::string> values_;  // a flag's value is ""
    std::vector<std::string> operands_;
    std::map<std::string, double> numbers_;
    std::map<std::string, std::vector<std::string>> lists_;
};

// Every command, in the order the overall usage lists them (the table: CommandTable.cpp).
const std::vector<CommandSpec>& commands();
const CommandSpec* find_command(std::string_view name);

// Parses `args` (what follows the command's name) for `spec`. Returns -1 when the command should
// run; otherwise the exit status to return at once: 0 after printing the usage on stdout (--help),
// 2 after printing one line on stderr naming the option and the reason (usage_error).
int parse(const CommandSpec& spec, const Args& args, Parsed& out);

// The usage text of one command: synopsis, summary, options with one line each, an example.
std::string command_usage(const CommandSpec& spec);
// The overall usage: the commands with one line each.
std::string overall_usage();
// "ruvision-cli VERSION, SIMD path NAME" (the kernels' choice, or RUVISION_ISA's).
std::string version_text();

// Prints "ruvision-cli COMMAND: MESSAGE (see ruvision-cli COMMAND --help)" on stderr, returns 2.
int usage_error(std::string_view command, const std::string& message);

}  // namespace rv::cli
