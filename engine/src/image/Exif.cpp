#include "image/Exif.h"

#include <algorithm>
#include <cstring>
#include <vector>

namespace rv::exif {

namespace {

constexpr std::size_t kMaxStringBytes = 256;     // longer ASCII values are cut
constexpr int kMaxJpegSegments = 1000;           // APP1 comes first in practice; this bounds junk
constexpr int kMaxPngChunks = 10000;
constexpr int kMaxWebpChunks = 1000;
constexpr std::uint64_t kMaxChunkExif = 1u << 20;  // a PNG/WebP EXIF block above 1 MB is refused

// TIFF field types and their sizes (TIFF 6.0 section 2, plus 13 = IFD); 0 = unknown type.
std::uint32_t type_size(std::uint16_t type) {
    switch (type) {
        case 1: case 2: case 6: case 7: return 1;     // BYTE ASCII SBYTE UNDEFINED
        case 3: case 8: return 2;                     // SHORT SSHORT
        case 4: case 9: case 11: case 13: return 4;   // LONG SLONG FLOAT IFD
        case 5: case 10: case 12: return 8;           // RATIONAL SRATIONAL DOUBLE
        default: return 0;
    }
}

std::uint32_t be32(const std::uint8_t* p) {
    return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) | p[3];
}
std::uint32_t le32(const std::uint8_t* p) {
    return (std::uint32_t(p[3]) << 24) | (std::uint32_t(p[2]) << 16) | (std::uint32_t(p[1]) << 8) | p[0];
}

// The TIFF structure being read: offsets are relative to `base`, and never reach past `length`.
struct Tiff {
    explicit Tiff(ByteSource& source) : src(source) {}
    ByteSource& src;
    std::uint64_t base = 0, length = 0;
    bool little = true;
    std::string problem;  // the first one met

    bool read(std::uint64_t offset, void* out, std::size_t n) {
        if (offset > length || n > length - offset) return false;
        return src.read(base + offset, out, n);
    }
    std::uint16_t u16(const std::uint8_t* p) const {
        return little ? std::uint16_t(p[0] | (p[1] << 8)) : std::uint16_t((p[0] << 8) | p[1]);
    }
    std::uint32_t u32(const std::uint8_t* p) const { return little ? le32(p) : be32(p); }
    void fail(const std::string& what) {
        if (problem.empty()) problem = what;
    }
};

// One IFD entry: 12 bytes as stored.
struct Entry {
    std::uint16_t tag = 0, type = 0;
    std::uint32_t count = 0;
    std::uint8_t inline_value[4] = {};
};

std::string hex_tag(std::uint16_t tag) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%04X", static_cast<unsigned>(tag));
    return buf;
}

// The value bytes of an entry (at most `cap` of them), checked against the block.
bool value_bytes(Tiff& t, const Entry& e, std::size_t cap, std::vector<std::uint8_t>& out) {
    const std::uint32_t unit = type_size(e.type);
    if (unit == 0) return false;
    const std::uint64_t total = std::uint64_t(e.count) * unit;  // < 2^35: no overflow
    if (total == 0) return false;
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(total, cap));
    out.resize(n);
    if (total <= 4) {
        std::memcpy(out.data(), e.inline_value, n);
        return true;
    }
    const std::uint64_t offset = t.u32(e.inline_value);
    if (offset > t.length || total > t.length - offset) {
        t.fail("tag " + hex_tag(e.tag) + ": value past the end of the EXIF block");
        return false;
    }
    return t.read(offset, out.data(), n);
}

std::string ascii(Tiff& t, const Entry& e) {
    std::vector<std::uint8_t> bytes;
    if ((e.type != 2 && e.type != 7 && e.type != 1) || !value_bytes(t, e, kMaxStringBytes, bytes)) return {};
    std::string s;
    for (std::uint8_t c : bytes) {
        if (c == 0) break;
        if (c < 0x20 || c == 0x7F) continue;  // control bytes are never part of a name
        s.push_back(static_cast<char>(c));
    }
    while (!s.empty() && s.back() == ' ') s.pop_back();
    while (!s.empty() && s.front() == ' ') s.erase(s.begin());
    return s;
}

// The first value of a SHORT or LONG entry; 0 when absent or of another type.
std::uint32_t unsigned_value(Tiff& t, const Entry& e) {
    if (e.count == 0) return 0;
    if (e.type == 3) return t.u16(e.inline_value);
    if (e.type == 4) return t.u32(e.inline_value);
    return 0;
}

// The first value of a RATIONAL or SRATIONAL entry; 0 when absent, of another type, or x/0.
double rational(Tiff& t, const Entry& e) {
    std::vector<std::uint8_t> bytes;
    if ((e.type != 5 && e.type != 10) || !value_bytes(t, e, 8, bytes) || bytes.size() < 8) return 0;
    const std::uint32_t num = t.u32(bytes.data()), den = t.u32(bytes.data() + 4);
    if (den == 0) return 0;
    if (e.type == 10) return double(std::int32_t(num)) / double(std::int32_t(den));
    return double(num) / double(den);
}

// Reads the entries of the IFD at `offset`; false (with a problem) if it is not inside the block.
bool read_ifd(Tiff& t, std::uint64_t offset, std::vector<Entry>& entries) {
    std::uint8_t count_bytes[2];
    if (!t.read(offset, count_bytes, 2)) {
        t.fail("IFD at offset " + std::to_string(offset) + " is past the end of the EXIF block");
        return false;
    }
    const std::uint32_t count = t.u16(count_bytes);
    std::vector<std::uint8_t> raw(std::size_t(count) * 12);  // <= 786 KB
    if (!t.read(offset + 2, raw.data(), raw.size())) {
        t.fail("IFD at offset " + std::to_string(offset) + " (" + std::to_string(count) +
               " entries) runs past the end of the EXIF block");
        return false;
    }
    entries.resize(count);
    for (std::uint32_t i = 0; i < count; ++i) {
        const std::uint8_t* p = raw.data() + std::size_t(i) * 12;
        entries[i].tag = t.u16(p);
        entries[i].type = t.u16(p + 2);
        entries[i].count = t.u32(p + 4);
        std::memcpy(entries[i].inline_value, p + 8, 4);
    }
    return true;
}

}  // namespace

bool MemorySource::read(std::uint64_t offset, void* out, std::size_t n) {
    if (offset > size_ || n > size_ - offset) return false;
    if (n) std::memcpy(out, data_ + offset, n);
    return true;
}

FileSource::FileSource(std::FILE* file) : file_(file) {
    if (file_ && std::fseek(file_, 0, SEEK_END) == 0) {
        const long end = std::ftell(file_);
        if (end > 0) size_ = static_cast<std::uint64_t>(end);
    }
}

FileSource::~FileSource() {
    if (file_) std::fclose(file_);
}

bool FileSource::read(std::uint64_t offset, void* out, std::size_t n) {
    if (!file_ || offset > size_ || n > size_ - offset) return false;
    if (std::fseek(file_, static_cast<long>(offset), SEEK_SET) != 0) return false;
    return std::fread(out, 1, n, file_) == n;
}

std::string read_tiff_exif(ByteSource& src, std::uint64_t base, std::uint64_t length, ExifInfo& out) {
    Tiff t(src);
    t.base = base;
    t.length = length;
    std::uint8_t header[8];
    if (!t.read(0, header, 8)) return "EXIF block too short for a TIFF header";
    if (std::memcmp(header, "II*\0", 4) == 0)
        t.little = true;
    else if (std::memcmp(header, "MM\0*", 4) == 0)
        t.little = false;
    else if (std::memcmp(header, "II+\0", 4) == 0 || std::memcmp(header, "MM\0+", 4) == 0)
        return "BigTIFF is not read";
    else
        return "EXIF block does not start with a TIFF header";

    // IFD0, then the Exif IFD it points to: depth 2, no other pointer followed, none twice.
    std::uint64_t ifd = t.u32(header + 4);
    std::uint64_t visited[2] = {~std::uint64_t(0), ~std::uint64_t(0)};
    for (int depth = 0; depth < 2 && ifd != 0; ++depth) {
        if (ifd == visited[0]) {
            t.fail("IFD loop at offset " + std::to_string(ifd));
            break;
        }
        visited[depth] = ifd;
        std::vector<Entry> entries;
        if (!read_ifd(t, ifd, entries)) break;
        std::uint64_t next = 0;
        for (const Entry& e : entries) {
            switch (e.tag) {
                case 0x010F: if (depth == 0) out.make = ascii(t, e); break;
                case 0x0110: if (depth == 0) out.model = ascii(t, e); break;
                case 0x0112:
                    if (depth == 0) {
                        const std::uint32_t o = unsigned_value(t, e);
                        out.orientation = (o >= 1 && o <= 8) ? int(o) : 0;
                    }
                    break;
                case 0x8769:
                    if (depth == 0 && (e.type == 4 || e.type == 13) && e.count >= 1) next = t.u32(e.inline_value);
                    break;
                case 0x829A: if (depth == 1) out.exposure_time = rational(t, e); break;
                case 0x829D: if (depth == 1) out.f_number = rational(t, e); break;
                case 0x8827: if (depth == 1) out.iso = int(std::min<std::uint32_t>(unsigned_value(t, e), 1u << 24)); break;
                case 0x9003: if (depth == 1) out.date_original = ascii(t, e); break;
                case 0x920A: if (depth == 1) out.focal_length = rational(t, e); break;
                case 0xA434: if (depth == 1) out.lens = ascii(t, e); break;
                default: break;
            }
        }
        ifd = next;
    }
    // Nonsense values are no values.
    if (!(out.exposure_time > 0 && out.exposure_time < 1e5)) out.exposure_time = 0;
    if (!(out.f_number > 0 && out.f_number < 1e3)) out.f_number = 0;
    if (!(out.focal_length > 0 && out.focal_length < 1e5)) out.focal_length = 0;
    return t.problem;
}

namespace {

bool starts_with_exif_marker(ByteSource& src, std::uint64_t at, std::uint64_t len) {
    std::uint8_t id[6];
    return len >= 6 && src.read(at, id, 6) && std::memcmp(id, "Exif\0\0", 6) == 0;
}

std::string jpeg_exif(ByteSource& src, ExifInfo& out, bool& found) {
    std::uint64_t pos = 2;  // after SOI
    for (int segment = 0; segment < kMaxJpegSegments; ++segment) {
        std::uint8_t m[2];
        if (!src.read(pos, m, 2)) return {};
        if (m[0] != 0xFF) return {};  // not a marker: metadata segments are over (or damaged)
        if (m[1] == 0xFF) {           // fill byte
            ++pos;
            continue;
        }
        pos += 2;
        if (m[1] == 0x01 || (m[1] >= 0xD0 && m[1] <= 0xD8)) continue;  // no length
        if (m[1] == 0xD9 || m[1] == 0xDA) return {};                    // end of image, start of scan
        std::uint8_t l[2];
        if (!src.read(pos, l, 2)) return {};
        const std::uint64_t len = (std::uint64_t(l[0]) << 8) | l[1];
        if (len < 2) return "JPEG segment with a length below 2";
        if (m[1] == 0xE1 && starts_with_exif_marker(src, pos + 2, len - 2)) {
            found = true;
            if (pos + len > src.size()) return "EXIF segment runs past the end of the file";
            return read_tiff_exif(src, pos + 2 + 6, len - 2 - 6, out);
        }
        pos += len;
    }
    return {};
}

std::string png_exif(ByteSource& src, ExifInfo& out, bool& found) {
    std::uint64_t pos = 8;
    for (int chunk = 0; chunk < kMaxPngChunks; ++chunk) {
        std::uint8_t h[8];
        if (!src.read(pos, h, 8)) return {};
        const std::uint64_t len = be32(h);
        if (len > 0x7FFFFFFFu) return "PNG chunk length above 2^31";
        if (std::memcmp(h + 4, "eXIf", 4) == 0) {
            found = true;
            if (len > kMaxChunkExif) return "eXIf chunk larger than 1 MB";
            if (pos + 8 + len > src.size()) return "eXIf chunk runs past the end of the file";
            return read_tiff_exif(src, pos + 8, len, out);
        }
        if (std::memcmp(h + 4, "IEND", 4) == 0) return {};
        pos += 12 + len;
    }
    return {};
}

std::string webp_exif(ByteSource& src, ExifInfo& out, bool& found) {
    std::uint8_t riff[12];
    if (!src.read(0, riff, 12)) return {};
    const std::uint64_t end = std::min<std::uint64_t>(src.size(), 8 + std::uint64_t(le32(riff + 4)));
    std::uint64_t pos = 12;
    for (int chunk = 0; chunk < kMaxWebpChunks && pos + 8 <= end; ++chunk) {
        std::uint8_t h[8];
        if (!src.read(pos, h, 8)) return {};
        const std::uint64_t len = le32(h + 4);
        if (std::memcmp(h, "EXIF", 4) == 0) {
            found = true;
            if (len > kMaxChunkExif) return "EXIF chunk larger than 1 MB";
            if (pos + 8 + len > src.size()) return "EXIF chunk runs past the end of the file";
            // Some writers keep the JPEG "Exif\0\0" prefix in the chunk.
            const std::uint64_t skip = starts_with_exif_marker(src, pos + 8, len) ? 6 : 0;
            return read_tiff_exif(src, pos + 8 + skip, len - skip, out);
        }
        pos += 8 + len + (len & 1);
    }
    return {};
}

}  // namespace

std::string read_exif(ByteSource& src, ImageFormat format, ExifInfo& out, bool& found) {
    found = false;
    switch (format) {
        case ImageFormat::Jpeg: return jpeg_exif(src, out, found);
        case ImageFormat::Png: return png_exif(src, out, found);
        case ImageFormat::Webp: return webp_exif(src, out, found);
        case ImageFormat::Tiff: {
            found = true;  // the file is its own EXIF block (IFD0 holds Make, Model, …)
            std::string problem = read_tiff_exif(src, 0, src.size(), out);
            if (out.empty() && problem.empty()) found = false;
            return problem;
        }
        default: return {};
    }
}

}  // namespace rv::exif
