// The index file container shared by every VectorIndex kind. Engine-internal.
//
// Layout (integers little-endian; the engine only builds for little-endian targets):
//   offset  size  field
//    0       8    magic "RUVIDX01"
//    8       4    u32 format version (kIndexFormatVersion)
//   12       4    u32 kind (IndexKind)
//   16       4    u32 dim
//   20       8    u64 count: live vectors
//   28       4    u32 L: model id length (<= kMaxModelIdLength)
//   32       L    model id, UTF-8, no terminator
//   32+L     8    u64 payload length P
//   40+L     8    u64 checksum of the P payload bytes: XXH3-64 (seed 0) in version 2,
//                 FNV-1a 64 in version 1
//   48+L     P    payload (kind-specific; see HnswIndex.cpp and BruteForceIndex.cpp)
// Nothing follows the payload. save() writes version 2; load_index() reads 1 and 2.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>

#include "ruvision/engine/Result.h"
#include "ruvision/engine/VectorIndex.h"

namespace rv::index_detail {

inline constexpr char kIndexMagic[8] = {'R', 'U', 'V', 'I', 'D', 'X', '0', '1'};
// Version 2 (issue 14): XXH3-64 checksum (FNV-1a at ~1 byte per cycle took seconds at 1M vectors),
// HNSW payload with its vector storage. Version 1: FNV-1a 64, HNSW vectors f32.
inline constexpr std::uint32_t kIndexFormatVersion = 2;
inline constexpr std::uint32_t kOldestIndexFormatVersion = 1;
inline constexpr std::uint32_t kMaxModelIdLength = 4096;
// Size of the header before the model id bytes; the payload starts at kHeaderFixedSize + L.
inline constexpr std::uint64_t kHeaderFixedSize = 48;

struct FileHeader {
    std::uint32_t version = kIndexFormatVersion;
    IndexKind kind = IndexKind::Hnsw;
    std::uint32_t dim = 0;
    std::uint64_t count = 0;
    std::string model_id;
    std::uint64_t payload_length = 0;
    std::uint64_t checksum = 0;
};

// FNV-1a 64, fed in pieces (format version 1).
class Fnv1a64 {
public:
    void update(const void* data, std::size_t n);
    std::uint64_t value() const { return h_; }

private:
    std::uint64_t h_ = 0xcbf29ce484222325ull;
};

// The payload checksum of a format version (FNV-1a 64 for 1, XXH3-64 for 2), fed in pieces.
class PayloadHash {
public:
    explicit PayloadHash(std::uint32_t version);
    ~PayloadHash();
    PayloadHash(const PayloadHash&) = delete;
    PayloadHash& operator=(const PayloadHash&) = delete;
    void update(const void* data, std::size_t n);
    std::uint64_t value() const;

private:
    bool fnv_;
    Fnv1a64 fnv1a_;
    void* xxh3_ = nullptr;  // XXH3_state_t*, owned
};

// "index file '<path>': <reason>".
Error file_error(const std::string& path, const std::string& reason);

// Owns a FILE*; closes it on destruction.
class File {
public:
    File() = default;
    explicit File(std::FILE* f) : f_(f) {}
    ~File() { close(); }
    File(File&& o) noexcept : f_(o.f_) { o.f_ = nullptr; }
    File& operator=(File&& o) noexcept;
    File(const File&) = delete;
    File& operator=(const File&) = delete;
    std::FILE* get() const { return f_; }
    // fclose; false if it failed (buffered data lost).
    bool close();

private:
    std::FILE* f_ = nullptr;
};

// Opens path for reading (write = false) or creates/truncates it for writing, only if it is a
// regular file: a FIFO, a folder, a device (or, for writing, a symlink) is refused at once, with
// errno set, never waited on. `size` (reading): the file's size from the opened descriptor.
File open_regular(const std::string& path, bool write, std::uint64_t* size = nullptr);

// What path is when it exists and is not a regular file ("a named pipe (FIFO)", "a folder", ...);
// "" when it is a regular file or absent. Does not follow a final symlink.
std::string describe_non_regular(const std::string& path);

// If path exists and is not a regular file, renames it to path + ".bad-N" (first free N), so that
// an index can be written there; nothing unknown is deleted. Error if the rename fails.
[[nodiscard]] Status set_aside_unless_regular(const std::string& path);

// Where a kind writes its payload; tracks length and checksum. Not thread-safe.
class PayloadWriter {
public:
    explicit PayloadWriter(std::FILE* f) : f_(f) {}
    bool write(const void* data, std::size_t n);
    std::uint64_t length() const { return length_; }
    std::uint64_t checksum() const { return hash_.value(); }

private:
    std::FILE* f_;
    std::uint64_t length_ = 0;
    PayloadHash hash_{kIndexFormatVersion};
};

// Writes header + payload to path + ".tmp", syncs it, then renames it over path. `produce`
// writes the payload; its error (or a write failure) aborts the save and removes the temp file.
Status write_index_file(const std::string& path, IndexKind kind, std::uint32_t dim,
                        std::uint64_t count, const std::string& model_id,
                        const std::function<Status(PayloadWriter&)>& produce);

// Reads the payload of an opened file in order, checksumming as it goes. The caller must call
// finish() and see it succeed before using anything read (the checksum covers the whole payload).
class PayloadReader {
public:
    PayloadReader(std::FILE* f, const FileHeader& h, std::string path)
        : f_(f), remaining_(h.payload_length), expected_(h.checksum), path_(std::move(path)), hash_(h.version) {}
    // False if fewer than n payload bytes remain or the read fails. Large reads go straight to
    // data (no copy through a buffer) and are checksummed in cache-sized pieces.
    bool read(void* data, std::size_t n);
    std::uint64_t remaining() const { return remaining_; }
    // Checks that the payload was read to its end and that the checksum matches.
    Status finish() const;
    // For a payload found inconsistent before its end: reads the rest, so that damage is reported
    // as a checksum mismatch when it is one; otherwise returns `inconsistency`.
    Error checked_error(Error inconsistency);
    const std::string& path() const { return path_; }

private:
    std::FILE* f_;
    std::uint64_t remaining_;
    std::uint64_t expected_;
    std::string path_;
    PayloadHash hash_;
};

// Loaders of each kind's payload; header already validated (dim, model id, sizes).
Result<std::unique_ptr<VectorIndex>> load_hnsw_payload(PayloadReader& in, const FileHeader& h);
Result<std::unique_ptr<VectorIndex>> load_brute_force_payload(PayloadReader& in,
                                                              const FileHeader& h);

}  // namespace rv::index_detail
