// bench_learning's Markdown output, from the JSON the run builds (one source for both outputs).
#pragma once

#include <nlohmann/json.hpp>

namespace rvlearn {

// Prints the curve table, the forgetting table, the speed lines and the settings on stdout.
void print_table(const nlohmann::json& run);

}  // namespace rvlearn
