// What a person wants to know about an image file without decoding it: its size on disk and in
// pixels, when it was taken, with what camera and lens and exposure (from its EXIF block).
//
// Reads JPEG (APP1 "Exif"), PNG (eXIf chunk), WebP (EXIF chunk) and TIFF (the file's own IFDs).
// Other formats (HEIC, camera RAW, BMP, GIF) give the file fields only, for now.
// Any bytes are safe: reads are bounded, every offset is checked against the data, IFD loops and
// nesting are cut, so a hostile or damaged file gives empty fields (and exif_problem), never a
// crash or a hang. Thread: reentrant, any thread; never throws.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "ruvision/engine/Result.h"

namespace rv {

// Fields of the EXIF block; an absent field is empty / 0.
struct ExifInfo {
    std::string make;           // camera maker, e.g. "Canon"
    std::string model;          // camera model, e.g. "Canon EOS 80D"
    std::string lens;           // LensModel, e.g. "EF-S18-135mm f/3.5-5.6 IS USM"
    std::string date_original;  // DateTimeOriginal as written: "YYYY:MM:DD HH:MM:SS" (camera's local time)
    int orientation = 0;        // 1..8 as EXIF defines it; 0 = not given
    double f_number = 0;        // e.g. 5.6
    double exposure_time = 0;   // seconds, e.g. 0.004 for 1/250 s
    int iso = 0;                // ISO speed (PhotographicSensitivity)
    double focal_length = 0;    // millimetres, as on the lens (not 35-mm equivalent)

    bool empty() const {
        return make.empty() && model.empty() && lens.empty() && date_original.empty() && orientation == 0 &&
               f_number == 0 && exposure_time == 0 && iso == 0 && focal_length == 0;
    }
};

struct ImageInfo {
    std::string format;               // "JPEG", "PNG", … or "" when not recognised
    int width = 0, height = 0;        // stored pixels (before EXIF orientation); 0 when unknown
    std::uint64_t file_size = 0;      // bytes
    std::int64_t modified_unix = 0;   // the file's mtime, seconds since 1970 (UTC)
    bool has_exif = false;            // an EXIF block was found (some of its fields may still be empty)
    ExifInfo exif;
    std::string exif_problem;         // why (part of) the EXIF block could not be read; empty if fine
};

// Reads the file's header and metadata (at most a few MB, whatever the file's size). An error
// names the file and why it cannot be read at all (missing, a folder, unreadable); a damaged
// EXIF block is not an error: the fields read so far are kept and exif_problem says what is wrong.
Result<ImageInfo> read_image_info(const std::string& path);

// The same for bytes in memory (the whole file); file_size is `size`, modified_unix 0.
ImageInfo read_image_info(const std::uint8_t* data, std::size_t size);

}  // namespace rv
