// Fuzz target: the index file reader (rv::load_index: our header, then the HNSW graph or the
// brute-force rows) on arbitrary bytes.
//
// Input: one mode byte, then the file. Mode bit 0 set: before loading, the header's payload
// length and checksum (FNV-1a or XXH3, by the header's version) are recomputed over the bytes that follow the header, so that
// mutations reach the payload checks (read_hnsw_graph: sizes, links, labels, the vector
// checks) instead of stopping at the checksum. A file that loads is then searched,
// extended and saved, and the saved file must load again with the same size.
//
// The file lives in a memfd (a regular file with no name on disk) opened through /proc/self/fd,
// so each run costs no disk I/O; the saved copy goes to TMPDIR (set to /dev/shm when it exists).
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <xxhash.h>

#include "ruvision/engine/VectorIndex.h"

namespace {

int g_in = -1, g_out = -1;
std::string g_in_path, g_out_path;

void put_file(int fd, const std::uint8_t* data, std::size_t size) {
    if (::ftruncate(fd, 0) != 0) std::abort();
    std::size_t done = 0;
    while (done < size) {
        const ssize_t n = ::pwrite(fd, data + done, size - done, static_cast<off_t>(done));
        if (n <= 0) std::abort();
        done += static_cast<std::size_t>(n);
    }
}

// Header layout: engine/src/index/IndexFile.h (payload length at 32 + L, checksum at 40 + L).
void fix_checksum(std::vector<std::uint8_t>& f) {
    if (f.size() < 32) return;
    std::uint32_t len;
    std::memcpy(&len, f.data() + 28, 4);
    if (len > 4096 || f.size() < 48u + len) return;
    const std::size_t at = 48u + len;
    std::uint32_t version;
    std::memcpy(&version, f.data() + 8, 4);
    std::uint64_t h = 0xcbf29ce484222325ull;  // version 1: FNV-1a 64; later ones XXH3-64
    if (version == 1)
        for (std::size_t i = at; i < f.size(); ++i) h = (h ^ f[i]) * 0x100000001b3ull;
    else
        h = XXH3_64bits(f.data() + at, f.size() - at);
    const std::uint64_t payload = f.size() - at;
    std::memcpy(f.data() + at - 16, &payload, 8);
    std::memcpy(f.data() + at - 8, &h, 8);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    if (::access("/dev/shm", W_OK) == 0) ::setenv("TMPDIR", "/dev/shm", 1);
    g_in = ::memfd_create("fuzz-index-in", 0);
    g_out = ::memfd_create("fuzz-index-out", 0);
    if (g_in < 0 || g_out < 0) std::abort();
    g_in_path = "/proc/self/fd/" + std::to_string(g_in);
    g_out_path = (std::string(std::getenv("TMPDIR") ? std::getenv("TMPDIR") : "/tmp")) + "/fuzz-index-" +
                 std::to_string(::getpid()) + ".rvi";
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    std::vector<std::uint8_t> file(data + 1, data + size);
    if (data[0] & 1) fix_checksum(file);
    put_file(g_in, file.data(), file.size());

    auto loaded = rv::load_index(g_in_path, 0, {});
    if (!loaded.ok()) {
        if (loaded.error().message.find(g_in_path) == std::string::npos) std::abort();  // errors name the file
        return 0;
    }
    rv::VectorIndex& index = **loaded;
    const int dim = index.dim();
    if (dim <= 0 || dim > (1 << 20)) std::abort();
    std::vector<float> q(static_cast<std::size_t>(dim), 0.0f);
    q[0] = 1.0f;
    for (const rv::Hit& h : index.search(q.data(), 10))
        if (!(h.score >= -1.001f && h.score <= 1.001f)) std::abort();  // vectors were checked
    const std::size_t before = index.size();
    if (!index.add(-7, q.data()).ok()) std::abort();
    if (!index.save(g_out_path).ok()) std::abort();
    auto again = rv::load_index(g_out_path, dim, index.model_id());
    if (!again.ok() || (*again)->size() != index.size() || index.size() < before) std::abort();
    std::remove(g_out_path.c_str());
    return 0;
}
