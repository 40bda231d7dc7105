// How the ISA / path names of RUVISION_ISA and RUVISION_INT8_ISA are read. Baseline code only (see
// common/simd_common.h): included by src/dispatch/dispatch.cpp and src/int8/int8_dispatch.cpp.
#pragma once

#include <cctype>
#include <string>
#include <string_view>

namespace rv::kernels::detail {

// `name` without surrounding blanks, in lower case ("AVX2 " -> "avx2").
inline std::string normalized_name(std::string_view name) {
    while (!name.empty() && std::isspace(static_cast<unsigned char>(name.front()))) name.remove_prefix(1);
    while (!name.empty() && std::isspace(static_cast<unsigned char>(name.back()))) name.remove_suffix(1);
    std::string lower(name);
    for (char& c : lower) c = char(std::tolower(static_cast<unsigned char>(c)));
    return lower;
}

}  // namespace rv::kernels::detail
