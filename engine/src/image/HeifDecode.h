// HEIC/HEIF and AVIF files through libheif (Debian's libheif 1.15 with its libde265, dav1d and
// libaom plugins).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "image/ImageHeader.h"
#include "ruvision/engine/Image.h"
#include "ruvision/engine/Result.h"

namespace rv {

// Decodes the primary image of `data` (`size` bytes, owned by the caller, read only during the
// call). Its geometric transformations (irot, imir, clap) are applied by libheif as the file
// asks; EXIF orientation is NOT applied as well (HEIF writers put the same turn in both, and the
// HEIF specification makes irot/imir the authority). Alpha is composited over
// kTransparencyBackdrop; samples of more than 8 bits are scaled to 8. A primary image of more than
// `opt.max_pixels` is refused before any pixel is decoded (`opt.min_side` is ignored: full size).
// `format` is what the header sniff found (Heif or Avif): an AVIF without an AV1 decoder in
// libheif is "AVIF decoding is not available". Errors are "<name>: <reason>", libheif's own
// message included. libheif runs in a process of its own (ReaderProcess.h) within opt.reader_seconds
// and a memory bound that grows with opt.max_pixels: a file that crashes, hangs or bloats it is an
// error for that file. Thread-safe (one child and one libheif context per call).
Result<DecodedImage> decode_heif(const std::uint8_t* data, std::size_t size, const std::string& name,
                                 ImageFormat format, const DecodeOptions& opt);

// The reader process's side (ReaderProcess.h, kind "heif"): args = {"heif" or "avif", max_pixels,
// name}; the answer decode_heif reads.
std::vector<std::uint8_t> heif_reader_answer(const std::uint8_t* data, std::size_t size,
                                             const std::vector<std::string>& args);

}  // namespace rv
