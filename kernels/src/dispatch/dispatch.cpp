// ISA names, CPU feature checks and the one-time choice of the kernel table. Baseline code only:
// this file must run on any CPU of the target architecture, so it never touches SIMD templates.
#include "common/names.h"
#include "common/tables.h"
#include "ruvision/kernels/kernels.h"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace rv::kernels {
namespace {

// What the CPU and OS can run. On x86 GCC/Clang's __builtin_cpu_supports also checks XCR0 (that
// the OS saves the YMM/ZMM state), which xsimd 8.1's own cpuid probe does not.
bool cpu_runs(Isa isa) {
    switch (isa) {
    case Isa::Scalar: return true;
#if defined(__x86_64__) || defined(__i386__)
    case Isa::Sse2: __builtin_cpu_init(); return __builtin_cpu_supports("sse2");
    case Isa::Avx2:
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case Isa::Avx512:
        // The AVX-512 source is compiled with F, CD, VL, DQ, BW and FMA: all must be present.
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512cd") &&
               __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq") &&
               __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx2") &&
               __builtin_cpu_supports("fma");
#endif
#if defined(__aarch64__)
    case Isa::Neon: return true;  // Advanced SIMD is mandatory on arm64.
#endif
    default: return false;
    }
}

// The table this build contains for `isa`, without checking the CPU; nullptr if not built.
const KernelTable* built_table(Isa isa) {
    switch (isa) {
    case Isa::Scalar: return &detail::scalar_table();
#if defined(RUVISION_KERNELS_HAVE_SSE2)
    case Isa::Sse2: return &detail::sse2_table();
#endif
#if defined(RUVISION_KERNELS_HAVE_AVX2)
    case Isa::Avx2: return &detail::avx2_table();
#endif
#if defined(RUVISION_KERNELS_HAVE_AVX512)
    case Isa::Avx512: return &detail::avx512_table();
#endif
#if defined(RUVISION_KERNELS_HAVE_NEON)
    case Isa::Neon: return &detail::neon_table();
#endif
    default: return nullptr;
    }
}

// Slowest first; available_isas() keeps this order and kernels() takes the last available one.
constexpr Isa kAllIsas[] = {Isa::Scalar, Isa::Sse2, Isa::Neon, Isa::Avx2, Isa::Avx512};

const KernelTable& choose_table() {
    const KernelTable* best = &detail::scalar_table();
    for (Isa isa : kAllIsas) {
        if (const KernelTable* t = kernels_for(isa)) best = t;
    }
    const char* forced = std::getenv("RUVISION_ISA");
    if (!forced || !*forced) return *best;
    Isa isa{};
    if (!parse_isa(forced, isa)) {
        std::fprintf(
            stderr,
            "ruvision: RUVISION_ISA=%s is not one of scalar|sse2|avx2|avx512|neon; using %s\n",
            forced, std::string(isa_name(best->isa)).c_str());
        return *best;
    }
    if (const KernelTable* t = kernels_for(isa)) return *t;
    std::fprintf(stderr,
                 "ruvision: RUVISION_ISA=%s is not available on this CPU or build; using %s\n",
                 forced, std::string(isa_name(best->isa)).c_str());
    return *best;
}

}  // namespace

std::string_view isa_name(Isa isa) {
    switch (isa) {
    case Isa::Scalar: return "scalar";
    case Isa::Sse2: return "sse2";
    case Isa::Avx2: return "avx2";
    case Isa::Avx512: return "avx512";
    case Isa::Neon: return "neon";
    }
    return "unknown";
}

bool parse_isa(std::string_view name, Isa& out) {
    // Surrounding blanks are ignored and letters may be upper case ("AVX2 " works too).
    const std::string lower = detail::normalized_name(name);
    for (Isa isa : kAllIsas) {
        if (lower == isa_name(isa)) {
            out = isa;
            return true;
        }
    }
    return false;
}

const KernelTable* kernels_for(Isa isa) {
    const KernelTable* t = built_table(isa);
    return t && cpu_runs(isa) ? t : nullptr;
}

std::vector<Isa> available_isas() {
    std::vector<Isa> isas;
    for (Isa isa : kAllIsas) {
        if (kernels_for(isa)) isas.push_back(isa);
    }
    return isas;
}

const KernelTable& kernels() {
    static const KernelTable& table = choose_table();
    return table;
}

}  // namespace rv::kernels
