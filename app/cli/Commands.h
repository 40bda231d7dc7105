// ruvision-cli subcommands. Each takes its arguments, parsed against its entry in the command
// table (CommandTable.cpp), and returns the process exit status: 0 success, 1 some input
// failed, 2 usage error.
#pragma once

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/Options.h"
#include "ruvision/engine/Library.h"

namespace rv::cli {

// One JSON line; paths need not be UTF-8: invalid bytes become U+FFFD rather than failing.
std::string dump(const nlohmann::json& j);
// Text for one line of human-readable output: control characters (newline, escape, ...), the
// bidirectional overrides and bytes that are not UTF-8 become visible escapes (\n, \e, \x1B,
// \u202E); a backslash is doubled, so the output is never ambiguous (TextOutput.cpp).
std::string printable(std::string_view text);
// 1234567 -> "1,234,567".
std::string thousands(std::size_t n);
// "1 error", "2 errors", "1,200 images": the count and the noun, singular or plural (plural: noun + "s").
std::string count(std::size_t n, std::string_view noun);
// "ruvision-cli: MESSAGE" on stderr, made printable (TextOutput.cpp).
void print_error(const std::string& message);
// The library of --library opened with `access`, or null after printing why it cannot be
// (TextOutput.cpp; `index`, `search` and the others that report the index state use their own).
std::unique_ptr<Library> open_for(const Parsed& a, LibraryAccess access);

int cmd_models(const Parsed& args);
int cmd_embed(const Parsed& args);
int cmd_rank(const Parsed& args);
int cmd_import_model(const Parsed& args);
int cmd_export_onnx(const Parsed& args);  // OnnxCommands.cpp
int cmd_calibrate_int8(const Parsed& args);  // ModelCommands.cpp
// A MODEL operand: a .rvm file (an existing file, or a path with '/' or ending in .rvm) or the
// name of an installed model (ModelCommands.cpp).
Result<std::filesystem::path> model_file_of(const std::string& model_arg);

// Library commands (LibraryCommands.cpp).
int cmd_index(const Parsed& args);
int cmd_search(const Parsed& args);
int cmd_search_region(const Parsed& args);  // search --region (RegionCommands.cpp, i13-region)
int cmd_status(const Parsed& args);
int cmd_duplicates(const Parsed& args);
int cmd_roots(const Parsed& args);

// Marks (MarkCommands.cpp).
int cmd_mark(const Parsed& args);
int cmd_marks(const Parsed& args);

// Learning (LearnCommands.cpp).
int cmd_learn(const Parsed& args);
int cmd_adapters(const Parsed& args);
// Self-supervised tuning (TuneCommands.cpp, i13-tune).
int cmd_tune(const Parsed& args);

// The hierarchy (HierarchyCommands.cpp). follow_hierarchy brings the library's stored hierarchy up
// to date (after index, or an adapter activation: the map follows), prints one line saying what it
// did (on stderr when `to_stderr`, so that stdout keeps its JSON), and returns it as an object
// ({"error": ...} when it failed; the caller's command goes on).
int cmd_hierarchy(const Parsed& args);
int cmd_search_level(const Parsed& args);
nlohmann::json follow_hierarchy(Library& lib, const std::atomic<bool>& cancel, bool to_stderr);

}  // namespace rv::cli
