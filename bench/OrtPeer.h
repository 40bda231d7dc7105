// ONNX Runtime as a speed peer inside a benchmark: packaging/models/ort_run.cjs --serve in a node
// child process, kept alive so that its runs can be interleaved with ours (load changes on a
// shared machine then hit both). The session is created and warmed up before ready(); times
// come from node's own clock around session.run (no pipe round trip in them).
// Not thread-safe; one per model and size.
#pragma once

#include <cstdio>
#include <string>
#include <sys/types.h>
#include <vector>

namespace rv::bench {

class OrtPeer {
public:
    OrtPeer() = default;
    OrtPeer(const OrtPeer&) = delete;
    OrtPeer& operator=(const OrtPeer&) = delete;
    ~OrtPeer();

    // Starts `node script onnx input shape --serve --warmup 2` and waits for its ready line.
    // False with `why` when node, the script or the model fails.
    bool start(const std::string& script, const std::string& onnx, const std::string& input_f32,
               const std::string& shape, std::string* why);
    // `n` timed runs; their times in ms (empty with `why` on failure).
    std::vector<double> run(int n, std::string* why);
    const std::string& version() const { return version_; }  // e.g. "1.30.0"

private:
    pid_t pid_ = -1;
    FILE* to_ = nullptr;    // its stdin
    FILE* from_ = nullptr;  // its stdout
    std::string version_;
    bool read_line(std::string* line);
};

}  // namespace rv::bench
