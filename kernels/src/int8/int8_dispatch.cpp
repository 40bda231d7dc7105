// CPU features, int8 path names, and the one-time choice of each int8 kernel. Baseline code only:
// this file must run on any CPU of the target architecture, so it never touches SIMD code.
#include "common/names.h"
#include "int8/int8_parts.h"
#include "ruvision/kernels/int8.h"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <string>

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif
#if defined(__aarch64__) && defined(__linux__)
#include <asm/hwcap.h>
#include <sys/auxv.h>
#endif

namespace rv::kernels {
namespace {

CpuFeatures detect_features() {
    CpuFeatures f = 0;
#if defined(__x86_64__) || defined(__i386__)
    // __builtin_cpu_supports also checks XCR0 (that the OS saves YMM / ZMM state).
    __builtin_cpu_init();
    if (__builtin_cpu_supports("sse4.1")) f |= kFeatureSse41;
    const bool avx2 = __builtin_cpu_supports("avx2");
    if (avx2) f |= kFeatureAvx2;
    // The AVX-512 source is compiled with F, CD, VL, DQ, BW and VNNI: all must be present.
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512cd") &&
        __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq") &&
        __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vnni"))
        f |= kFeatureAvx512Vnni;
    // AVX-VNNI: CPUID.(EAX=7, ECX=1):EAX bit 4 (clang 14's __builtin_cpu_supports does not know
    // "avxvnni"); it needs only YMM state, which the avx2 check above already confirmed.
    unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
    if (avx2 && __get_cpuid_count(7, 1, &eax, &ebx, &ecx, &edx) && (eax & (1u << 4)))
        f |= kFeatureAvxVnni;
#endif
#if defined(__aarch64__)
    f |= kFeatureNeon;  // Advanced SIMD is mandatory on arm64.
#if defined(__linux__) && defined(HWCAP_ASIMDDP)
    if (getauxval(AT_HWCAP) & HWCAP_ASIMDDP) f |= kFeatureNeonDotprod;
#endif
#endif
    return f;
}

constexpr Int8Path kAllPaths[] = {Int8Path::Scalar,     Int8Path::Sse41, Int8Path::Avx2,
                                  Int8Path::AvxVnni,    Int8Path::Avx512Vnni, Int8Path::Neon,
                                  Int8Path::NeonDotprod};

CpuFeatures path_requires(Int8Path p) {
    switch (p) {
    case Int8Path::Scalar: return 0;
    case Int8Path::Sse41: return kFeatureSse41;
    case Int8Path::Avx2: return kFeatureAvx2;
    case Int8Path::AvxVnni: return kFeatureAvxVnni;
    case Int8Path::Avx512Vnni: return kFeatureAvx512Vnni;
    case Int8Path::Neon: return kFeatureNeon;
    case Int8Path::NeonDotprod: return kFeatureNeonDotprod;
    }
    return ~0u;
}

// The parts this build contains for `p`, without checking the CPU; nullptr if not built.
const detail::Int8Parts* built_parts(Int8Path p) {
    switch (p) {
    case Int8Path::Scalar: return &detail::int8_scalar_table();
#if defined(RUVISION_KERNELS_HAVE_INT8_X86)
    case Int8Path::Sse41: return &detail::int8_sse41_table();
    case Int8Path::Avx2: return &detail::int8_avx2_table();
    case Int8Path::AvxVnni: return &detail::int8_avxvnni_table();
    case Int8Path::Avx512Vnni: return &detail::int8_avx512vnni_table();
#endif
    default: return nullptr;  // NEON paths are not written yet
    }
}

const detail::Int8Parts* runnable_parts(Int8Path p) {
    const detail::Int8Parts* parts = built_parts(p);
    const CpuFeatures need = path_requires(p);
    return parts && (cpu_features() & need) == need ? parts : nullptr;
}

// The paths at or below `cap` on its architecture's ladder, best first.
std::vector<Int8Path> ladder_down_from(Int8Path cap) {
    static constexpr Int8Path x86[] = {Int8Path::Avx512Vnni, Int8Path::AvxVnni, Int8Path::Avx2,
                                       Int8Path::Sse41, Int8Path::Scalar};
    static constexpr Int8Path arm[] = {Int8Path::NeonDotprod, Int8Path::Neon, Int8Path::Scalar};
    std::vector<Int8Path> out;
    const bool on_arm = cap == Int8Path::Neon || cap == Int8Path::NeonDotprod;
    bool started = false;
    for (Int8Path p : on_arm ? std::vector<Int8Path>(std::begin(arm), std::end(arm))
                             : std::vector<Int8Path>(std::begin(x86), std::end(x86))) {
        if (p == cap) started = true;
        if (started) out.push_back(p);
    }
    return out;
}

// The table capped at `cap`: each group of entries from the best path at or below cap that has it.
Int8Kernels assemble(Int8Path cap) {
    const std::vector<Int8Path> ladder = ladder_down_from(cap);
    auto pick = [&](auto has) {
        for (Int8Path p : ladder) {
            if (const detail::Int8Parts* parts = runnable_parts(p); parts && has(*parts)) return p;
        }
        return Int8Path::Scalar;
    };
    const Int8Path g = pick([](const detail::Int8Parts& p) { return p.gemm_u8 != nullptr; });
    const Int8Path d = pick([](const detail::Int8Parts& p) { return p.depthwise_u8 != nullptr; });
    const Int8Path e = pick([](const detail::Int8Parts& p) { return p.quantize != nullptr; });
    const detail::Int8Parts& G = *built_parts(g);
    const detail::Int8Parts& D = *built_parts(d);
    const detail::Int8Parts& E = *built_parts(e);
    const detail::Int8Parts& S = detail::int8_scalar_table();
    return Int8Kernels{
        g, d, e,
        G.gemm_packed_size, G.gemm_pack, G.gemm_f32, G.gemm_u8,
        D.depthwise_f32, D.depthwise_u8,
        E.quantize, E.quantize_channels, E.dequantize, E.add_u8, E.global_avg_pool_u8, E.scale_channels_u8,
        S.lut_u8,
    };
}

struct AllTables {
    std::array<Int8Kernels, std::size(kAllPaths)> table{};
    std::array<bool, std::size(kAllPaths)> present{};
};

const AllTables& all_tables() {
    static const AllTables all = [] {
        AllTables a;
        for (std::size_t i = 0; i < std::size(kAllPaths); ++i) {
            if (runnable_parts(kAllPaths[i])) {
                a.table[i] = assemble(kAllPaths[i]);
                a.present[i] = true;
            }
        }
        return a;
    }();
    return all;
}

const Int8Kernels& choose_int8() {
    const Int8Kernels* best = nullptr;
    for (Int8Path p : kAllPaths) {
        if (const Int8Kernels* t = int8_kernels_for(p)) best = t;  // slowest first
    }
    const char* forced = std::getenv("RUVISION_INT8_ISA");
    if (!forced || !*forced) return *best;
    Int8Path p{};
    if (!parse_int8_path(forced, p)) {
        std::fprintf(stderr,
                     "ruvision: RUVISION_INT8_ISA=%s is not one of "
                     "scalar|sse41|avx2|avxvnni|avx512vnni|neon|neondotprod; using %s\n",
                     forced, int8_paths_string(*best).c_str());
        return *best;
    }
    if (const Int8Kernels* t = int8_kernels_for(p)) return *t;
    std::fprintf(stderr,
                 "ruvision: RUVISION_INT8_ISA=%s is not available on this CPU or build; using %s\n",
                 forced, int8_paths_string(*best).c_str());
    return *best;
}

}  // namespace

CpuFeatures cpu_features() {
    static const CpuFeatures f = detect_features();
    return f;
}

std::string cpu_features_string(CpuFeatures f) {
    static constexpr std::pair<CpuFeature, const char*> names[] = {
        {kFeatureSse41, "sse41"},   {kFeatureAvx2, "avx2"},         {kFeatureAvxVnni, "avxvnni"},
        {kFeatureAvx512Vnni, "avx512vnni"}, {kFeatureNeon, "neon"}, {kFeatureNeonDotprod, "neondotprod"}};
    std::string s;
    for (const auto& n : names) {
        if (f & n.first) s += s.empty() ? n.second : std::string(" ") + n.second;
    }
    return s;
}

std::string_view int8_path_name(Int8Path p) {
    switch (p) {
    case Int8Path::Scalar: return "scalar";
    case Int8Path::Sse41: return "sse41";
    case Int8Path::Avx2: return "avx2";
    case Int8Path::AvxVnni: return "avxvnni";
    case Int8Path::Avx512Vnni: return "avx512vnni";
    case Int8Path::Neon: return "neon";
    case Int8Path::NeonDotprod: return "neondotprod";
    }
    return "unknown";
}

bool parse_int8_path(std::string_view name, Int8Path& out) {
    const std::string lower = detail::normalized_name(name);
    for (Int8Path p : kAllPaths) {
        if (lower == int8_path_name(p)) {
            out = p;
            return true;
        }
    }
    return false;
}

const Int8Kernels* int8_kernels_for(Int8Path cap) {
    const AllTables& all = all_tables();
    for (std::size_t i = 0; i < std::size(kAllPaths); ++i) {
        if (kAllPaths[i] == cap) return all.present[i] ? &all.table[i] : nullptr;
    }
    return nullptr;
}

std::vector<Int8Path> available_int8_paths() {
    std::vector<Int8Path> out;
    for (Int8Path p : kAllPaths) {
        if (int8_kernels_for(p)) out.push_back(p);
    }
    return out;
}

const Int8Kernels& int8_kernels() {
    static const Int8Kernels& k = choose_int8();
    return k;
}

std::string int8_paths_string(const Int8Kernels& k) {
    return "gemm=" + std::string(int8_path_name(k.gemm_path)) +
           " depthwise=" + std::string(int8_path_name(k.depthwise_path)) +
           " elementwise=" + std::string(int8_path_name(k.elementwise_path));
}

}  // namespace rv::kernels
