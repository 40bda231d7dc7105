// bench_args.h: a benchmark's command line. Options in any order, each value after its option;
// a number must be whole and in range. Anything else (an unknown option, a missing or bad value)
// prints what was wrong and the usage, and exits with status 2.
//
//   BenchArgs args(argc, argv, "usage: bench_x [--dir DIR] [--size N] [--reuse]");
//   while (args.next()) {
//       if (args.is("--dir")) dir = args.text();
//       else if (args.is("--size")) n = args.count(1, 100'000'000);
//       else if (args.is("--reuse")) reuse = true;
//       else args.unknown();
//   }
#pragma once

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>

class BenchArgs {
public:
    BenchArgs(int argc, char** argv, std::string usage) : argc_(argc), argv_(argv), usage_(std::move(usage)) {}

    // Moves to the next option; false after the last.
    bool next() { return ++at_ < argc_; }
    bool is(const char* option) const { return option_() == option; }

    // The value after the current option.
    std::string text() {
        if (at_ + 1 >= argc_) fail("missing value after " + option_());
        return argv_[++at_];
    }
    // A whole number in [lo, hi].
    long long count(long long lo, long long hi) {
        const std::string option = option_(), v = text();
        errno = 0;
        char* end = nullptr;
        const long long n = std::strtoll(v.c_str(), &end, 10);
        if (v.empty() || *end != '\0' || errno != 0 || n < lo || n > hi)
            fail(option + " takes a whole number from " + std::to_string(lo) + " to " + std::to_string(hi) +
                 ", not \"" + v + "\"");
        return n;
    }
    // A number in [lo, hi].
    double real(double lo, double hi) {
        const std::string option = option_(), v = text();
        errno = 0;
        char* end = nullptr;
        const double x = std::strtod(v.c_str(), &end);
        if (v.empty() || *end != '\0' || errno != 0 || !(x >= lo && x <= hi))
            fail(option + " takes a number from " + std::to_string(lo) + " to " + std::to_string(hi) + ", not \"" +
                 v + "\"");
        return x;
    }
    [[noreturn]] void unknown() const { fail("unknown option " + option_()); }

private:
    std::string option_() const { return argv_[at_]; }
    [[noreturn]] void fail(const std::string& why) const {
        std::fprintf(stderr, "%s\n%s\n", why.c_str(), usage_.c_str());
        std::exit(2);
    }

    int argc_;
    char** argv_;
    std::string usage_;
    int at_ = 0;
};
