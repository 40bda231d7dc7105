// Strict reading of the JSON in a model file's header: every field is checked for its type and
// range before use, because a model file is untrusted input (one changed byte must give an error
// naming the field, never an abort, a hang or a silently converted value).
//
// Contract: the functions throw FieldError (and only it) on a missing field, a wrong type or a
// value out of range. They are meant to be called inside one parse function that catches
// FieldError and turns it into an rv::Error; the exception never leaves that function.
#pragma once

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

namespace rv::json_fields {

using nlohmann::json;

struct FieldError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

inline const char* type_of(const json& v) { return v.type_name(); }

// `obj[key]`; obj must be an object holding key.
inline const json& member(const json& obj, const std::string& key, const std::string& where) {
    if (!obj.is_object()) throw FieldError(where + " is " + type_of(obj) + ", expected an object");
    auto it = obj.find(key);
    if (it == obj.end()) throw FieldError(where + " has no field '" + key + "'");
    return *it;
}

inline bool has(const json& obj, const std::string& key) { return obj.is_object() && obj.contains(key); }

inline std::string string_value(const json& v, const std::string& what, std::size_t max_len = 4096) {
    if (!v.is_string()) throw FieldError(what + " is " + type_of(v) + ", expected a string");
    const auto& s = v.get_ref<const std::string&>();
    if (s.size() > max_len) throw FieldError(what + " is longer than " + std::to_string(max_len) + " characters");
    return s;
}

// An integer in [lo, hi] (a float such as 3.0 or 1e300 is refused, not converted).
inline std::int64_t int_value(const json& v, const std::string& what, std::int64_t lo, std::int64_t hi) {
    if (v.is_number_unsigned()) {
        const auto u = v.get<std::uint64_t>();
        if (u > static_cast<std::uint64_t>(hi))
            throw FieldError(what + " = " + std::to_string(u) + " is out of range [" + std::to_string(lo) + ", " +
                             std::to_string(hi) + "]");
        return static_cast<std::int64_t>(u);
    }
    if (!v.is_number_integer()) throw FieldError(what + " is " + type_of(v) + ", expected an integer");
    const auto i = v.get<std::int64_t>();
    if (i < lo || i > hi)
        throw FieldError(what + " = " + std::to_string(i) + " is out of range [" + std::to_string(lo) + ", " +
                         std::to_string(hi) + "]");
    return i;
}

// A finite number in [lo, hi].
inline double number_value(const json& v, const std::string& what, double lo, double hi) {
    if (!v.is_number()) throw FieldError(what + " is " + type_of(v) + ", expected a number");
    const double d = v.get<double>();
    if (!std::isfinite(d) || d < lo || d > hi) throw FieldError(what + " is out of range");
    return d;
}

inline bool bool_value(const json& v, const std::string& what) {
    if (!v.is_boolean()) throw FieldError(what + " is " + type_of(v) + ", expected true or false");
    return v.get<bool>();
}

// An array of at most max_size elements.
inline const json& array_value(const json& v, const std::string& what, std::size_t max_size) {
    if (!v.is_array()) throw FieldError(what + " is " + type_of(v) + ", expected an array");
    if (v.size() > max_size) throw FieldError(what + " has more than " + std::to_string(max_size) + " elements");
    return v;
}

}  // namespace rv::json_fields
