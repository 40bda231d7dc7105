// The EXIF reader behind read_image_info(): finds the TIFF-structured EXIF block in a JPEG, PNG,
// WebP or TIFF file and reads the fields ExifInfo names from IFD0 and the Exif sub-IFD.
//
// Safety contract: every read goes through a ByteSource, which refuses any range outside the
// data; counts are multiplied in 64 bits and checked against what is left; IFDs are followed to a
// fixed depth (IFD0 -> Exif IFD), each offset at most once; container walks stop after a fixed
// number of chunks/segments; values are read up to a size cap. So any input ends, in bounded
// time and memory, with fields or a problem string. Reentrant; never throws.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

#include "image/ImageHeader.h"
#include "ruvision/engine/ImageInfo.h"

namespace rv::exif {

// Random access to bytes (a file or memory). read() is all-or-nothing: false, with nothing
// guaranteed in `out`, when [offset, offset + n) is not entirely inside the data.
class ByteSource {
public:
    virtual ~ByteSource() = default;
    virtual std::uint64_t size() const = 0;
    virtual bool read(std::uint64_t offset, void* out, std::size_t n) = 0;
};

class MemorySource final : public ByteSource {
public:
    MemorySource(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
    std::uint64_t size() const override { return size_; }
    bool read(std::uint64_t offset, void* out, std::size_t n) override;

private:
    const std::uint8_t* data_;
    std::size_t size_;
};

// Owns an open FILE*; size() is the size when opened.
class FileSource final : public ByteSource {
public:
    explicit FileSource(std::FILE* file);
    ~FileSource() override;
    FileSource(const FileSource&) = delete;
    FileSource& operator=(const FileSource&) = delete;
    std::uint64_t size() const override { return size_; }
    bool read(std::uint64_t offset, void* out, std::size_t n) override;

private:
    std::FILE* file_;
    std::uint64_t size_ = 0;
};

// Reads the EXIF fields of a TIFF structure ("II*\0" or "MM\0*" header) that starts at `base` in
// `src` and spans `length` bytes (offsets inside it are relative to `base`). Fields read before a
// problem are kept in `out`; returns the problem ("" if none).
std::string read_tiff_exif(ByteSource& src, std::uint64_t base, std::uint64_t length, ExifInfo& out);

// Finds the EXIF block of a file of format `format` and reads it. `found` tells whether a block
// was there. Returns the problem ("" if none, also when there is no block).
std::string read_exif(ByteSource& src, ImageFormat format, ExifInfo& out, bool& found);

}  // namespace rv::exif
