// Camera RAW files (CR2, CR3, NEF, ARW, DNG, RAF, ORF, RW2, PEF, SRW...) through Debian's libraw:
// never the sensor data, only the preview the camera embedded (what the camera's own screen
// shows), so a RAW costs what a JPEG of the same size costs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "image/ReaderProcess.h"
#include "ruvision/engine/Image.h"
#include "ruvision/engine/Result.h"

namespace rv {

// The embedded JPEG preview of a RAW file (to be decoded like any JPEG), and how the camera says it
// must be turned (`flip`, libraw's dcraw convention: 0 none, 3 180 degrees, 5 90 counter-clockwise,
// 6 90 clockwise; 1, 2, 4 and 7 the mirrored variants). libraw offers the largest preview it finds.
struct RawPreview {
    std::vector<std::uint8_t> jpeg;
    int flip = 0;
};

// Reads the preview of `data` (`size` bytes, owned by the caller, read only during the call).
// A RAW without a usable preview (none, or not a JPEG: libraw 0.20's bitmap previews are not read,
// see RawDecode.cpp) is an error that says "no embedded preview": the sensor data is never
// developed instead. Errors carry the reason only (the caller adds the file name). Memory: the
// preview's bytes, which lie inside the file (the pixel limit applies when the JPEG is decoded).
// libraw runs in a process of its own within `limits` (ReaderProcess.h): a file that crashes or hangs it
// is an error ("the camera RAW reader (libraw) crashed on this file"), never a crash of the caller.
// Thread-safe (one child and one libraw object per call, libraw_r).
Result<RawPreview> read_raw_preview(const std::uint8_t* data, std::size_t size, const ReaderLimits& limits);

// The reader process's side (ReaderProcess.h, kind "raw"): the answer read_raw_preview reads.
std::vector<std::uint8_t> raw_reader_answer(const std::uint8_t* data, std::size_t size);

// Turns `image` as libraw's `flip` asks (see RawPreview).
void apply_raw_flip(RgbImage& image, int flip);

}  // namespace rv
