// Content hashes of library files: the cheap fingerprint that suggests a move, and the hash of the
// whole file that confirms it.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstring>
#include <vector>

#include "ruvision/engine/Library.h"

namespace rv {

namespace fs = std::filesystem;

namespace {

std::string hex64(std::uint64_t v) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
    return buf;
}

// A descriptor of a regular file opened for reading (never waits on a FIFO); -1 otherwise.
class ReadFd {
public:
    explicit ReadFd(const fs::path& path) {
        fd_ = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
        struct stat st {};
        if (fd_ >= 0 && (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode))) {
            ::close(fd_);
            fd_ = -1;
        }
        size_ = fd_ >= 0 ? static_cast<std::int64_t>(st.st_size) : -1;
    }
    ~ReadFd() {
        if (fd_ >= 0) ::close(fd_);
    }
    ReadFd(const ReadFd&) = delete;
    ReadFd& operator=(const ReadFd&) = delete;
    int fd() const { return fd_; }
    std::int64_t size() const { return size_; }
    // Reads exactly n bytes at `at`; false on a short read or an error.
    bool read_at(void* out, std::size_t n, std::int64_t at) const {
        auto* p = static_cast<char*>(out);
        while (n > 0) {
            const ssize_t got = ::pread(fd_, p, n, at);
            if (got < 0 && errno == EINTR) continue;
            if (got <= 0) return false;
            p += got;
            n -= static_cast<std::size_t>(got);
            at += got;
        }
        return true;
    }

private:
    int fd_ = -1;
    std::int64_t size_ = -1;
};

// 128-bit non-cryptographic hash of a byte stream, fed in pieces: four 64-bit lanes take one
// 8-byte word each per 32-byte block (multiply, rotate, multiply), then two different mixes of
// the lanes and the length give the two halves. Accidental collisions are ~2^-128; it is not
// meant to resist someone crafting files.
class StreamHash128 {
public:
    void update(const unsigned char* p, std::size_t n) {
        total_ += n;
        if (held_ > 0) {
            const std::size_t take = std::min(n, kBlock - held_);
            std::memcpy(block_.data() + held_, p, take);
            held_ += take;
            p += take;
            n -= take;
            if (held_ < kBlock) return;
            round(block_.data());
            held_ = 0;
        }
        if (n >= kBlock) {
            // Lanes in locals: the input bytes may alias the members as far as the compiler knows.
            std::uint64_t a = lane_[0], b = lane_[1], c = lane_[2], d = lane_[3];
            for (; n >= kBlock; p += kBlock, n -= kBlock) {
                a = step(a, p), b = step(b, p + 8), c = step(c, p + 16), d = step(d, p + 24);
            }
            lane_ = {a, b, c, d};
        }
        std::memcpy(block_.data(), p, n);
        held_ = n;
    }
    std::string hex() {
        // The tail, zero-padded, then the length: distinct lengths never share a final state.
        std::memset(block_.data() + held_, 0, kBlock - held_);
        if (held_ > 0) round(block_.data());
        std::uint64_t lo = total_ * kP1, hi = ~total_ * kP2;
        for (int i = 0; i < 4; ++i) {
            lo = fmix((lo ^ lane_[i]) * kP2 + rotl(lane_[(i + 1) & 3], 17));
            hi = fmix((hi + rotl(lane_[i], 41)) * kP1 ^ lane_[(i + 3) & 3]);
        }
        return hex64(hi) + hex64(lo);
    }

private:
    static constexpr std::size_t kBlock = 32;
    static constexpr std::uint64_t kP1 = 0x9e3779b185ebca87ull, kP2 = 0xc2b2ae3d27d4eb4full;
    static std::uint64_t rotl(std::uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }
    static std::uint64_t fmix(std::uint64_t x) {  // a bijective avalanche of 64 bits
        x ^= x >> 33;
        x *= 0xff51afd7ed558ccdull;
        x ^= x >> 33;
        x *= 0xc4ceb9fe1a85ec53ull;
        return x ^ (x >> 33);
    }
    static std::uint64_t step(std::uint64_t lane, const unsigned char* p) {
        std::uint64_t w;
        std::memcpy(&w, p, 8);
        return rotl(lane + w * kP2, 31) * kP1;
    }
    void round(const unsigned char* b) {
        for (int i = 0; i < 4; ++i) lane_[i] = step(lane_[i], b + 8 * i);
    }
    std::array<std::uint64_t, 4> lane_ = {kP1 + kP2, kP2, 0, 0 - kP1};
    std::array<unsigned char, kBlock> block_{};
    std::size_t held_ = 0;
    std::uint64_t total_ = 0;
};

}  // namespace

std::string content_fingerprint(const fs::path& path) {
    const ReadFd f(path);
    if (f.fd() < 0) return {};
    const std::int64_t size = f.size();
    constexpr std::int64_t kChunk = 64 * 1024;
    std::vector<unsigned char> buf(static_cast<std::size_t>(std::min(size, kChunk)));
    if (!f.read_at(buf.data(), buf.size(), 0)) return {};
    if (size > kChunk) {
        const std::int64_t from = std::max(kChunk, size - kChunk), n = size - from;
        const std::size_t at = buf.size();
        buf.resize(at + static_cast<std::size_t>(n));
        if (!f.read_at(buf.data() + at, static_cast<std::size_t>(n), from)) return {};
    }
    std::uint64_t h = 14695981039346656037ull ^ static_cast<std::uint64_t>(size);
    for (unsigned char c : buf) h = (h ^ c) * 1099511628211ull;
    return hex64(h) + "-" + std::to_string(size);
}

std::string content_full_hash(const fs::path& path) {
    const ReadFd f(path);
    if (f.fd() < 0) return {};
    StreamHash128 h;
    std::vector<unsigned char> buf(1 << 20);
    std::int64_t at = 0;
    for (;;) {
        const ssize_t got = ::pread(f.fd(), buf.data(), buf.size(), at);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0) return {};
        if (got == 0) break;
        h.update(buf.data(), static_cast<std::size_t>(got));
        at += got;
    }
    if (at != f.size()) return {};  // changed while being read: no hash rather than a wrong one
    return h.hex();
}

}  // namespace rv
