// A look at a HEIF file's item references before libheif decodes it. libheif 1.15 (Debian 12)
// follows derived images ('dimg': grid, iden, iovl) and alpha planes ('auxl') recursively
// without a guard: an image derived from itself, directly or through others, recurses until the
// stack overflows (found by fuzz_image_decode). This reader finds such loops, and chains deeper
// than any camera writes, from the 'iref' box alone.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace rv {

// Why libheif must not decode `data` (`size` bytes): "image derivations form a loop" or "image
// derivations nested too deep"; empty when the references are sound or absent (a file whose
// boxes do not parse is left to libheif, which reports it). Reads any bytes safely, no
// recursion, time linear in the file's size.
std::string heif_reference_problem(const std::uint8_t* data, std::size_t size);

}  // namespace rv
