// Walking the user's folders for image files.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace rv {

struct ScanOptions {
    bool skip_hidden = true;        // names starting with '.' (files and folders)
    bool follow_symlinks = true;    // symlinked folders are walked once; loops are cut
};

// One image file found by a scan. `path` holds the file system's bytes unchanged (names need not
// be UTF-8).
struct ScannedFile {
    std::filesystem::path path;
    std::uint64_t size = 0;
    std::int64_t mtime_ns = 0;
};

// A folder or file the scan could not read (permission, vanished mid-scan), with the reason.
struct ScanProblem {
    std::filesystem::path path;
    std::string reason;
};

// Recursively lists image files under `root`: JPEG, PNG, WebP, TIFF, BMP, HEIC/HEIF, AVIF, camera
// RAW, and the pictures RuVision cannot read (GIF, PSD, SVG...: picture_extensions() in
// ImageFormats.h), recognised by extension (case-insensitive) or, for files without an extension,
// by their first bytes (HEIF and AVIF by their 'ftyp' brands).
// Each real folder is visited once, whatever symlinks point at it, so loops end. Sorted by path.
// Never throws; unreadable entries go to `problems`. `cancelled` is polled between folders.
// `mount_points` (optional) receives every real folder under root that is on another device
// (st_dev) than the folder holding it: a drive or share mounted inside the root.
std::vector<ScannedFile> scan_images(const std::filesystem::path& root, const ScanOptions& options,
                                     std::vector<ScanProblem>* problems = nullptr,
                                     const std::function<bool()>& cancelled = {},
                                     std::vector<std::filesystem::path>* mount_points = nullptr);

// Why `root` cannot be scanned at all right now ("" when it can): missing, not a folder, or
// unreadable (the reason names errno's text). A root for which this is non-empty is offline.
// Does not walk the folder; stat and opendir only, so it is cheap enough for a status call.
std::string root_unavailable(const std::filesystem::path& root);

// True if the name's extension (any case) is one of picture_extensions().
bool has_image_extension(const std::filesystem::path& path);

}  // namespace rv
