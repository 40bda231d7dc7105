// Which files are pictures by their name, which of those RuVision reads, and naming the ones it
// cannot (so that `status` and the window can count them per format instead of skipping them).
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "ruvision/engine/CatalogDb.h"

namespace rv {

// The extensions (lower case, without the dot) of every picture file the scanner lists: those
// RuVision decodes (JPEG, PNG, WebP, TIFF, BMP, HEIC/HEIF, AVIF, camera RAW) and those it
// recognises as pictures but cannot read (GIF, PSD, SVG...), which are listed so that each is
// stored as an error and counted, never skipped without a word.
const std::vector<std::string>& picture_extensions();

// True if the extension (any case) names a camera RAW format (CR2, CR3, NEF, ARW, DNG, RAF, ORF,
// RW2, PEF, SRW...): decoded through its embedded preview.
bool has_raw_extension(const std::filesystem::path& path);

// The name of the format ("GIF", "PSD", "AVIF"...) if the file's extension is a picture format
// RuVision cannot read on this machine; "" otherwise. AVIF and HEIC count as unreadable only when
// libheif has no decoder for them (AV1: libaom or dav1d; HEVC: libde265).
std::string unsupported_format(const std::filesystem::path& path);

// Whether libheif can decode AVIF here (it has an AV1 decoder plugin).
bool avif_decoding_available();

struct UnsupportedFormatCount {
    std::string format;  // as unsupported_format() names it
    std::int64_t files = 0;
};

// The files in error whose format RuVision cannot read, counted per format: most files first,
// then by name. Files in error for another reason (damaged, truncated...) are not counted.
std::vector<UnsupportedFormatCount> count_unsupported_formats(const std::vector<CatalogFileError>& errors);

}  // namespace rv
