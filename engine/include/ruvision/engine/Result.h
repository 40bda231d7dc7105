// Errors cross the engine's API as values, never as exceptions across threads.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace rv {

// A failure: what went wrong, in words a user can act on (the file and the reason).
struct Error {
    std::string message;
};

// Either a T or an Error. Minimal stand-in for std::expected (C++23, not in GCC 12's C++20).
template <class T>
class [[nodiscard]] Result {
public:
    Result(T value) : value_(std::move(value)) {}
    Result(Error error) : error_(std::move(error)) {}

    bool ok() const { return value_.has_value(); }
    explicit operator bool() const { return ok(); }

    T& value() & { return *value_; }
    const T& value() const& { return *value_; }
    T&& value() && { return std::move(*value_); }
    T* operator->() { return &*value_; }
    const T* operator->() const { return &*value_; }
    T& operator*() { return *value_; }
    const T& operator*() const { return *value_; }

    const Error& error() const { return error_; }

private:
    std::optional<T> value_;
    Error error_;
};

// Success, or an Error.
class [[nodiscard]] Status {
public:
    Status() = default;
    Status(Error error) : error_(std::move(error)), failed_(true) {}
    static Status success() { return {}; }

    bool ok() const { return !failed_; }
    explicit operator bool() const { return ok(); }
    const Error& error() const { return error_; }

private:
    Error error_;
    bool failed_ = false;
};

}  // namespace rv
