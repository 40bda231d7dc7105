#include "index/IndexFile.h"

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <exception>
#include <filesystem>
#include <new>
#include <vector>

#include <xxhash.h>

#if defined(__unix__)
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace rv::index_detail {

static_assert(std::endian::native == std::endian::little,
              "index files are little-endian; a big-endian build needs byte swapping here");

namespace fs = std::filesystem;

namespace {

void put_u32(std::string& out, std::uint32_t v) {
    out.append(reinterpret_cast<const char*>(&v), sizeof v);
}
void put_u64(std::string& out, std::uint64_t v) {
    out.append(reinterpret_cast<const char*>(&v), sizeof v);
}
template <class T>
T get(const unsigned char* p) {
    T v;
    std::memcpy(&v, p, sizeof v);
    return v;
}

std::string errno_text() { return std::strerror(errno); }

// Makes a completed rename durable across a power loss (not needed against a process crash).
void sync_directory_of(const std::string& path) {
#if defined(__unix__)
    fs::path dir = fs::path(path).parent_path();
    if (dir.empty()) dir = ".";
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
#else
    (void)path;
#endif
}

}  // namespace

File open_regular(const std::string& path, bool write, std::uint64_t* size) {
#if defined(__unix__)
    // O_NONBLOCK: opening a FIFO returns at once (or fails) instead of waiting for a peer; it has
    // no effect on regular files, the only kind kept.
    const int flags = write ? O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW : O_RDONLY;
    const int fd = ::open(path.c_str(), flags | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0644);
    if (fd < 0) return File();
    struct stat st {};
    const bool stated = ::fstat(fd, &st) == 0;
    if (!stated || !S_ISREG(st.st_mode)) {
        const int saved = stated ? EINVAL : errno;
        ::close(fd);
        errno = saved;
        return File();
    }
    const int fl = ::fcntl(fd, F_GETFL);
    if (fl >= 0) ::fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    std::FILE* f = ::fdopen(fd, write ? "wb" : "rb");
    if (!f) {
        ::close(fd);
        return File();
    }
    if (size) *size = static_cast<std::uint64_t>(st.st_size);
    return File(f);
#else
    File f(std::fopen(path.c_str(), write ? "wb" : "rb"));
    std::error_code ec;
    if (f.get() && size) *size = fs::file_size(path, ec);
    return f;
#endif
}

std::string describe_non_regular(const std::string& path) {
#if defined(__unix__)
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) return {};
    if (S_ISREG(st.st_mode)) return {};
    if (S_ISFIFO(st.st_mode)) return "a named pipe (FIFO)";
    if (S_ISDIR(st.st_mode)) return "a folder";
    if (S_ISLNK(st.st_mode)) return "a symbolic link";
    if (S_ISSOCK(st.st_mode)) return "a socket";
    if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) return "a device";
    return "not a regular file";
#else
    std::error_code ec;
    const auto st = fs::symlink_status(path, ec);
    if (ec || !fs::exists(st) || fs::is_regular_file(st)) return {};
    return fs::is_directory(st) ? "a folder" : "not a regular file";
#endif
}

Status set_aside_unless_regular(const std::string& path) {
    const std::string what = describe_non_regular(path);
    if (what.empty()) return Status::success();
    for (int n = 1; n < 1000; ++n) {
        const std::string aside = path + ".bad-" + std::to_string(n);
        std::error_code ec;
        if (fs::exists(fs::symlink_status(aside, ec))) continue;
        fs::rename(path, aside, ec);
        if (ec) return file_error(path, "is " + what + " and cannot be moved aside to '" + aside + "': " + ec.message());
        return Status::success();
    }
    return file_error(path, "is " + what + " and too many earlier bad entries are beside it");
}

void Fnv1a64::update(const void* data, std::size_t n) {
    const auto* p = static_cast<const unsigned char*>(data);
    std::uint64_t h = h_;
    for (std::size_t i = 0; i < n; ++i) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    h_ = h;
}

PayloadHash::PayloadHash(std::uint32_t version) : fnv_(version == 1) {
    if (fnv_) return;
    xxh3_ = XXH3_createState();
    if (!xxh3_) throw std::bad_alloc();
    XXH3_64bits_reset(static_cast<XXH3_state_t*>(xxh3_));
}

PayloadHash::~PayloadHash() {
    if (xxh3_) XXH3_freeState(static_cast<XXH3_state_t*>(xxh3_));
}

void PayloadHash::update(const void* data, std::size_t n) {
    if (fnv_) fnv1a_.update(data, n);
    else XXH3_64bits_update(static_cast<XXH3_state_t*>(xxh3_), data, n);
}

std::uint64_t PayloadHash::value() const {
    return fnv_ ? fnv1a_.value() : XXH3_64bits_digest(static_cast<const XXH3_state_t*>(xxh3_));
}

Error file_error(const std::string& path, const std::string& reason) {
    return Error{"index file '" + path + "': " + reason};
}

File& File::operator=(File&& o) noexcept {
    if (this != &o) {
        close();
        f_ = o.f_;
        o.f_ = nullptr;
    }
    return *this;
}

bool File::close() {
    if (!f_) return true;
    const bool ok = std::fclose(f_) == 0;
    f_ = nullptr;
    return ok;
}

bool PayloadWriter::write(const void* data, std::size_t n) {
    if (n == 0) return true;
    if (std::fwrite(data, 1, n, f_) != n) return false;
    hash_.update(data, n);
    length_ += n;
    return true;
}

Status write_index_file(const std::string& path, IndexKind kind, std::uint32_t dim,
                        std::uint64_t count, const std::string& model_id,
                        const std::function<Status(PayloadWriter&)>& produce) {
    if (model_id.size() > kMaxModelIdLength)
        return file_error(path, "model id is longer than " + std::to_string(kMaxModelIdLength) +
                                    " bytes");
    const std::string tmp = path + ".tmp";
    if (Status s = set_aside_unless_regular(tmp); !s.ok()) return s;
    if (Status s = set_aside_unless_regular(path); !s.ok()) return s;
    File f = open_regular(tmp, /*write=*/true);
    if (!f.get()) return file_error(path, "cannot create '" + tmp + "': " + errno_text());
    auto abandon = [&](Error e) {
        f.close();
        std::remove(tmp.c_str());
        return Status(std::move(e));
    };

    std::string header(kIndexMagic, sizeof kIndexMagic);
    put_u32(header, kIndexFormatVersion);
    put_u32(header, static_cast<std::uint32_t>(kind));
    put_u32(header, dim);
    put_u64(header, count);
    put_u32(header, static_cast<std::uint32_t>(model_id.size()));
    header += model_id;
    const long length_offset = static_cast<long>(header.size());
    put_u64(header, 0);  // payload length, patched below
    put_u64(header, 0);  // checksum, patched below
    if (std::fwrite(header.data(), 1, header.size(), f.get()) != header.size())
        return abandon(file_error(path, "write failed: " + errno_text()));

    PayloadWriter writer(f.get());
    try {
        if (Status s = produce(writer); !s.ok()) return abandon(s.error());
    } catch (const std::exception& e) {
        return abandon(file_error(path, std::string("cannot write the payload: ") + e.what()));
    }

    std::string tail;
    put_u64(tail, writer.length());
    put_u64(tail, writer.checksum());
    if (std::fseek(f.get(), length_offset, SEEK_SET) != 0 ||
        std::fwrite(tail.data(), 1, tail.size(), f.get()) != tail.size() ||
        std::fflush(f.get()) != 0)
        return abandon(file_error(path, "write failed: " + errno_text()));
#if defined(__unix__)
    if (::fsync(::fileno(f.get())) != 0)
        return abandon(file_error(path, "cannot sync to disk: " + errno_text()));
#endif
    if (!f.close()) {
        std::remove(tmp.c_str());
        return file_error(path, "write failed: " + errno_text());
    }
    std::error_code ec;
    fs::rename(tmp, path, ec);
    if (ec) {
        std::remove(tmp.c_str());
        return file_error(path, "cannot replace it with '" + tmp + "': " + ec.message());
    }
    sync_directory_of(path);
    return Status::success();
}

bool PayloadReader::read(void* data, std::size_t n) {
    if (n > remaining_) return false;
    // Pieces of 4 MiB: each is hashed while still in cache.
    constexpr std::size_t kPiece = std::size_t{4} << 20;
    auto* p = static_cast<unsigned char*>(data);
    for (std::size_t done = 0; done < n;) {
        const std::size_t piece = std::min(kPiece, n - done);
        if (std::fread(p + done, 1, piece, f_) != piece) return false;
        hash_.update(p + done, piece);
        done += piece;
    }
    remaining_ -= n;
    return true;
}

Status PayloadReader::finish() const {
    if (remaining_ != 0)
        return file_error(path_, "corrupt payload: " + std::to_string(remaining_) +
                                     " bytes left unread");
    if (hash_.value() != expected_)
        return file_error(path_, "checksum mismatch (the file is corrupt; rebuild the index)");
    return Status::success();
}

Error PayloadReader::checked_error(Error inconsistency) {
    std::vector<char> scratch(1 << 16);
    while (remaining_ > 0)
        if (!read(scratch.data(), std::min<std::uint64_t>(scratch.size(), remaining_)))
            return inconsistency;
    if (hash_.value() != expected_) return finish().error();
    return inconsistency;
}

namespace {

// An index file opened and its header read and checked, the payload not yet read.
struct OpenedFile {
    File f;
    FileHeader h;
};

Result<OpenedFile> open_checked(const std::string& path, int expected_dim, const std::string& expected_model) {
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (!fs::exists(st)) return file_error(path, "does not exist");
    if (const std::string what = describe_non_regular(path); !what.empty() && !fs::is_regular_file(st))
        return file_error(path, "is " + what + ", not an index file");
    // Every read below is bounded by this size, taken from the descriptor that is read.
    std::uint64_t file_size = 0;
    File f = open_regular(path, /*write=*/false, &file_size);
    if (!f.get()) return file_error(path, "cannot be opened as a regular file: " + errno_text());
    if (file_size == 0) return file_error(path, "is empty (truncated)");

    auto truncated = [&](const std::string& what) {
        return file_error(path, "truncated: " + std::to_string(file_size) + " bytes, " + what);
    };
    unsigned char fixed[32];
    const std::size_t got = std::fread(fixed, 1, sizeof fixed, f.get());
    if (std::memcmp(fixed, kIndexMagic, std::min<std::size_t>(got, sizeof kIndexMagic)) != 0)
        return file_error(path, "not a RuVision index (bad magic)");
    if (got < sizeof fixed) return truncated("shorter than the header");

    FileHeader h;
    const auto version = get<std::uint32_t>(fixed + 8);
    if (version < kOldestIndexFormatVersion || version > kIndexFormatVersion)
        return file_error(path, "format version " + std::to_string(version) +
                                    " is not supported (this build reads versions " +
                                    std::to_string(kOldestIndexFormatVersion) + " to " +
                                    std::to_string(kIndexFormatVersion) + "; rebuild the index)");
    h.version = version;
    const auto kind = get<std::uint32_t>(fixed + 12);
    if (kind != static_cast<std::uint32_t>(IndexKind::Hnsw) &&
        kind != static_cast<std::uint32_t>(IndexKind::BruteForce))
        return file_error(path, "corrupt header: unknown index kind " + std::to_string(kind));
    h.kind = static_cast<IndexKind>(kind);
    h.dim = get<std::uint32_t>(fixed + 16);
    h.count = get<std::uint64_t>(fixed + 20);
    const auto model_len = get<std::uint32_t>(fixed + 28);
    if (h.dim == 0 || h.dim > (1u << 20))
        return file_error(path, "corrupt header: dimension " + std::to_string(h.dim));
    if (expected_dim > 0 && h.dim != static_cast<std::uint32_t>(expected_dim))
        return file_error(path, "dimension mismatch: the index holds " + std::to_string(h.dim) +
                                    "-d vectors, the library uses " +
                                    std::to_string(expected_dim) + "-d (rebuild the index)");
    if (model_len > kMaxModelIdLength)
        return file_error(path, "corrupt header: model id length " + std::to_string(model_len));
    if (file_size < kHeaderFixedSize + model_len) return truncated("shorter than the header");

    h.model_id.resize(model_len);
    unsigned char sizes[16];
    if (std::fread(h.model_id.data(), 1, model_len, f.get()) != model_len ||
        std::fread(sizes, 1, sizeof sizes, f.get()) != sizeof sizes)
        return file_error(path, "read failed: " + errno_text());
    if (!expected_model.empty() && h.model_id != expected_model)
        return file_error(path, "built for model '" + h.model_id + "', library uses '" +
                                    expected_model + "' (rebuild the index)");
    h.payload_length = get<std::uint64_t>(sizes);
    h.checksum = get<std::uint64_t>(sizes + 8);

    const std::uint64_t payload_at = kHeaderFixedSize + model_len;
    const std::uint64_t present = file_size - payload_at;
    if (present < h.payload_length)
        return truncated("the payload should be " + std::to_string(h.payload_length) +
                         " bytes and only " + std::to_string(present) + " are present");
    if (present > h.payload_length)
        return file_error(path, "corrupt: " + std::to_string(present - h.payload_length) +
                                    " unexpected bytes after the payload");

    return OpenedFile{std::move(f), std::move(h)};
}

Result<std::unique_ptr<VectorIndex>> load_index_unguarded(const std::string& path, int expected_dim,
                                                          const std::string& expected_model) {
    auto opened = open_checked(path, expected_dim, expected_model);
    if (!opened) return opened.error();
    const FileHeader& h = opened->h;
    PayloadReader reader(opened->f.get(), h, path);
    auto loaded = h.kind == IndexKind::Hnsw ? load_hnsw_payload(reader, h) : load_brute_force_payload(reader, h);
    // A file of an older format version is written anew by the next save, changed or not.
    if (loaded && h.version == kIndexFormatVersion) (*loaded)->note_file(path);
    return loaded;
}

}  // namespace

}  // namespace rv::index_detail

namespace rv {

VectorIndex::FileMark VectorIndex::mark_of(const std::string& path, std::uint64_t changes) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return {};
    return {path, changes, static_cast<std::uint64_t>(st.st_size),
            static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec};
}

void VectorIndex::note_file(const std::string& path) {
    FileMark mark = mark_of(path, changes());
    std::lock_guard lock(file_mutex_);
    file_ = std::move(mark);
}

Status VectorIndex::save_if_changed(const std::string& path) {
    const std::uint64_t now = changes();  // before writing: a change meanwhile is saved next time
    {
        std::lock_guard lock(file_mutex_);
        if (!file_.path.empty() && file_.path == path && file_.changes == now) {
            const FileMark there = mark_of(path, now);
            if (there.path == path && there.size == file_.size && there.mtime_ns == file_.mtime_ns)
                return Status::success();
        }
    }
    if (auto st = save(path); !st) return st;
    FileMark mark = mark_of(path, now);
    std::lock_guard lock(file_mutex_);
    file_ = std::move(mark);
    return Status::success();
}

Result<std::unique_ptr<VectorIndex>> load_index(const std::string& path, int expected_dim,
                                                const std::string& expected_model_id) {
    try {
        return index_detail::load_index_unguarded(path, expected_dim, expected_model_id);
    } catch (const std::bad_alloc&) {
        return index_detail::file_error(path, "not enough memory to load it");
    } catch (const std::exception& e) {
        return index_detail::file_error(path, std::string("cannot be loaded: ") + e.what());
    }
}

Result<std::uint64_t> peek_index(const std::string& path, int expected_dim, const std::string& expected_model_id) {
    try {
        auto opened = index_detail::open_checked(path, expected_dim, expected_model_id);
        if (!opened) return opened.error();
        return opened->h.count;
    } catch (const std::exception& e) {
        return index_detail::file_error(path, std::string("cannot be read: ") + e.what());
    }
}

Result<std::unique_ptr<VectorIndex>> load_library_index(const std::string& path, int expected_dim,
                                                        const std::string& expected_model_id) {
    auto loaded = load_index(path, expected_dim, expected_model_id);
    if (!loaded) return loaded;
    const auto* hnsw = dynamic_cast<const HnswIndex*>(loaded->get());
    if (!hnsw || hnsw->storage() == storage_for_dim(hnsw->dim())) return loaded;
    auto compact = hnsw->with_storage(VectorStorage::Auto);
    if (!compact) return index_detail::file_error(path, compact.error().message);
    return std::unique_ptr<VectorIndex>(std::move(*compact));
}

}  // namespace rv
