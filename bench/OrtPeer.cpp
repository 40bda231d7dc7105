#include "OrtPeer.h"

#include <csignal>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

namespace rv::bench {

OrtPeer::~OrtPeer() {
    if (to_) {
        std::fputs("quit\n", to_);
        std::fclose(to_);
    }
    if (from_) std::fclose(from_);
    if (pid_ > 0) {
        int status = 0;
        waitpid(pid_, &status, 0);
    }
}

bool OrtPeer::read_line(std::string* line) {
    line->clear();
    char buf[65536];
    while (std::fgets(buf, sizeof buf, from_)) {
        *line += buf;
        if (!line->empty() && line->back() == '\n') return true;
    }
    return !line->empty();
}

bool OrtPeer::start(const std::string& script, const std::string& onnx, const std::string& input_f32,
                    const std::string& shape, std::string* why) {
    int in_pipe[2], out_pipe[2];
    if (pipe(in_pipe) != 0 || pipe(out_pipe) != 0) {
        *why = "pipe failed";
        return false;
    }
    pid_ = fork();
    if (pid_ < 0) {
        *why = "fork failed";
        return false;
    }
    if (pid_ == 0) {
        dup2(in_pipe[0], 0);
        dup2(out_pipe[1], 1);
        close(in_pipe[1]);
        close(out_pipe[0]);
        execlp("node", "node", script.c_str(), onnx.c_str(), input_f32.c_str(), shape.c_str(), "--serve", "--warmup",
               "2", static_cast<char*>(nullptr));
        std::printf("{\"error\": \"cannot run node (is nodejs installed?)\"}\n");
        std::fflush(stdout);
        _exit(127);
    }
    close(in_pipe[0]);
    close(out_pipe[1]);
    to_ = fdopen(in_pipe[1], "w");
    from_ = fdopen(out_pipe[0], "r");
    std::string line;
    if (!read_line(&line)) {
        *why = "ort_run.cjs ended without a word";
        return false;
    }
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.value("ready", false)) {
        *why = "ort_run.cjs: " + line;
        return false;
    }
    version_ = j.value("onnxruntime", "");
    return true;
}

std::vector<double> OrtPeer::run(int n, std::string* why) {
    std::fprintf(to_, "%d\n", n);
    std::fflush(to_);
    std::string line;
    if (!read_line(&line)) {
        *why = "ort_run.cjs stopped answering";
        return {};
    }
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.contains("times_ms")) {
        *why = "ort_run.cjs: " + line;
        return {};
    }
    return j["times_ms"].get<std::vector<double>>();
}

}  // namespace rv::bench
