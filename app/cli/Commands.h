// ruvision-cli subcommands. Each takes its arguments (after the subcommand name) and returns
// the process exit status: 0 success, 1 some input failed, 2 usage error.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace rv::cli {

using Args = std::vector<std::string>;

// One JSON line; paths need not be UTF-8: invalid bytes become U+FFFD rather than failing.
std::string dump(const nlohmann::json& j);
// Text for one line of human-readable output: control characters (newline, escape, ...), the
// bidirectional overrides and bytes that are not UTF-8 become visible escapes (\n, \e, \x1B,
// \u202E); a backslash is doubled, so the output is never ambiguous (TextOutput.cpp).
std::string printable(std::string_view text);
// Prints "ruvision-cli: MSG (see ruvision-cli --help)" and returns the usage exit status, 2.
int usage_error(const std::string& msg);

int cmd_models(const Args& args);
int cmd_embed(const Args& args);
int cmd_rank(const Args& args);
int cmd_import_model(const Args& args);

// Library commands (LibraryCommands.cpp).
int cmd_index(const Args& args);
int cmd_search(const Args& args);
int cmd_status(const Args& args);
int cmd_duplicates(const Args& args);
int cmd_roots(const Args& args);

}  // namespace rv::cli
