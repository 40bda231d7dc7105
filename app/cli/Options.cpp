// The table-driven parser and usage text of ruvision-cli (Options.h).
#include "cli/Options.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "cli/Commands.h"
#include "ruvision/kernels/kernels.h"

#ifndef RUVISION_VERSION
#error "RUVISION_VERSION must be defined by the build (the project's version)"
#endif

namespace rv::cli {

namespace {

using Kind = OptionSpec::Kind;

std::string long_form(const OptionSpec& o) { return std::string("--") + o.name; }

// "-k, --top N" / "--library DIR" / "--json": how the usage shows an option.
std::string label(const OptionSpec& o) {
    std::string s;
    if (o.short_name) s += std::string("-") + o.short_name + ", ";
    s += long_form(o);
    if (o.kind != Kind::Flag) s += std::string(" ") + o.value_name;
    if (o.kind == Kind::List) s += "...";
    return s;
}

std::string range_text(const OptionSpec& o) {
    std::ostringstream s;
    s << (o.kind == Kind::Integer ? "a whole number" : "a number") << " from " << o.lo << " to " << o.hi;
    return s.str();
}

// Checks a number written whole and within the option's range; "" if fine, else the reason.
std::string check_number(const OptionSpec& o, const std::string& written, const std::string& text, double& out) {
    const char* begin = text.data();
    const char* end = begin + text.size();
    bool ok = !text.empty();
    double v = 0;
    if (ok && o.kind == Kind::Integer) {
        long long n = 0;
        const auto [ptr, ec] = std::from_chars(begin, end, n);
        ok = ec == std::errc() && ptr == end;
        v = static_cast<double>(n);
    } else if (ok) {
        const auto [ptr, ec] = std::from_chars(begin, end, v);
        ok = ec == std::errc() && ptr == end && std::isfinite(v);
    }
    const bool in_range = ok && v >= o.lo && v <= o.hi;
    if (in_range) {
        out = v;
        return {};
    }
    return written + " '" + printable(text) + "': " + (ok ? "out of range, " : "") + "expected " + range_text(o);
}

const OptionSpec* find_long(const CommandSpec& spec, std::string_view name) {
    for (const auto& o : spec.options)
        if (name == o.name) return &o;
    return nullptr;
}

const OptionSpec* find_short(const CommandSpec& spec, char c) {
    for (const auto& o : spec.options)
        if (o.short_name && o.short_name == c) return &o;
    return nullptr;
}

// An option this command does not know: another command's ("status does not take -k; search
// does"), or none.
std::string unknown_option(const CommandSpec& spec, const std::string& written) {
    std::string takers;
    for (const auto& other : commands()) {
        for (const auto& o : other.options) {
            const bool same = written == long_form(o) || (o.short_name && written == std::string("-") + o.short_name);
            if (same) takers += std::string(takers.empty() ? "" : ", ") + other.name;
        }
    }
    if (takers.empty()) return "unknown option " + printable(written);
    if (written == "--model") return std::string(spec.name) + " does not take --model (only index --model changes a library's model)";
    return std::string(spec.name) + " does not take " + written + " (" + takers + " do" + (takers.find(',') == std::string::npos ? "es" : "") + ")";
}

}  // namespace

std::string Parsed::text(std::string_view name, const std::string& fallback) const {
    const auto it = values_.find(std::string(name));
    return it == values_.end() ? fallback : it->second;
}

const std::vector<std::string>& Parsed::list(std::string_view name) const {
    static const std::vector<std::string> none;
    const auto it = lists_.find(std::string(name));
    return it == lists_.end() ? none : it->second;
}

double Parsed::number(std::string_view name, double fallback) const {
    const auto it = numbers_.find(std::string(name));
    return it == numbers_.end() ? fallback : it->second;
}

int parse(const CommandSpec& spec, const Args& args, Parsed& out) {
    for (const auto& a : args) {
        if (a == "--") break;
        if (a == "--help" || a == "-h") {
            std::fputs(command_usage(spec).c_str(), stdout);
            return 0;
        }
    }
    const auto fail = [&](const std::string& message) { return usage_error(spec.name, message); };
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& a = args[i];
        if (a == "--") {
            out.operands_.insert(out.operands_.end(), args.begin() + static_cast<std::ptrdiff_t>(i) + 1, args.end());
            break;
        }
        if (a.size() < 2 || a[0] != '-') {
            out.operands_.push_back(a);
            continue;
        }
        // The option, as written ("--top", "-k"), and a value attached to it ("--top=5", "-k5").
        const OptionSpec* o = nullptr;
        std::string written;
        std::string attached;
        bool has_attached = false;
        if (a[1] == '-') {
            const auto eq = a.find('=');
            written = a.substr(0, eq);
            if (eq != std::string::npos) {
                attached = a.substr(eq + 1);
                has_attached = true;
            }
            o = find_long(spec, std::string_view(written).substr(2));
        } else {
            written = a.substr(0, 2);
            if (a.size() > 2) {
                attached = a.substr(2);
                has_attached = true;
            }
            o = find_short(spec, a[1]);
        }
        if (!o) return fail(unknown_option(spec, written));
        if (o->kind == Kind::Flag) {
            if (has_attached) return fail(written + " takes no value");
            out.values_[o->name] = "";
            continue;
        }
        if (o->kind == Kind::List) {
            // Every following argument up to the next option (or "--") is one of its values.
            auto& values = out.lists_[o->name];
            const std::size_t before = values.size();
            if (has_attached) values.push_back(attached);
            while (i + 1 < args.size() && !(args[i + 1].size() >= 2 && args[i + 1][0] == '-')) values.push_back(args[++i]);
            if (values.size() == before) return fail(written + " needs at least one " + o->value_name);
            out.values_[o->name] = "";
            continue;
        }
        std::string value;
        if (has_attached) {
            value = attached;
        } else {
            // A following option ("--library --json") means the value was forgotten; a value that
            // really starts with "--" can be attached: --library=--odd-name.
            if (i + 1 >= args.size() || args[i + 1].rfind("--", 0) == 0)
                return fail(written + " needs a value (" + o->value_name + ")");
            value = args[++i];
        }
        if (out.values_.count(o->name)) return fail(written + " given twice");
        if (o->kind == Kind::Integer || o->kind == Kind::Number) {
            double v = 0;
            const std::string reason = check_number(*o, written, value, v);
            if (!reason.empty()) return fail(reason);
            out.numbers_[o->name] = v;
        }
        out.values_[o->name] = value;
    }
    for (const auto& o : spec.options)
        if (o.required && !out.has(o.name)) return fail(long_form(o) + " " + o.value_name + " is required");
    const std::size_t n = out.operands_.size();
    if (n < spec.min_operands || n > spec.max_operands) {
        if (n > spec.max_operands && spec.max_operands == 0)
            return fail("unexpected argument " + printable(out.operands_[0]));
        return fail(std::string("expected ") + spec.operands + (n ? "" : ", got none"));
    }
    return -1;
}

std::string command_usage(const CommandSpec& spec) {
    std::string s = std::string("usage: ruvision-cli ") + spec.name;
    for (const auto& o : spec.options)
        if (o.required) s += " " + long_form(o) + " " + o.value_name;
    if (!spec.options.empty()) s += " [OPTIONS]";
    if (*spec.operands) s += std::string(" ") + spec.operands;
    s += std::string("\n\n") + spec.summary + "\n";
    if (*spec.notes) s += std::string("\n") + spec.notes + "\n";
    s += "\noptions:\n";
    std::vector<std::pair<std::string, std::string>> rows;
    for (const auto& o : spec.options) {
        std::string help = o.help;
        std::string extra;
        if (o.kind == Kind::Integer || o.kind == Kind::Number) {
            std::ostringstream range;
            range << o.lo << " to " << o.hi;
            extra = range.str();
        }
        if (*o.default_text) extra += (extra.empty() ? "default " : "; default ") + std::string(o.default_text);
        if (!extra.empty()) help += " (" + extra + ")";
        rows.emplace_back(label(o), help);
    }
    rows.emplace_back("-h, --help", "show this help");
    std::size_t width = 0;
    for (const auto& r : rows) width = std::max(width, r.first.size());
    for (const auto& r : rows) s += "  " + r.first + std::string(width - r.first.size() + 2, ' ') + r.second + "\n";
    s += std::string("\nexample:\n  ") + spec.example + "\n";
    return s;
}

std::string overall_usage() {
    std::string s =
        "usage: ruvision-cli COMMAND [OPTIONS] [ARGUMENTS]\n"
        "       ruvision-cli COMMAND --help     the command's options, with an example\n"
        "\ncommands:\n";
    std::size_t width = 0;
    for (const auto& c : commands()) width = std::max(width, std::string_view(c.name).size());
    for (const auto& c : commands())
        s += std::string("  ") + c.name + std::string(width - std::string_view(c.name).size() + 2, ' ') + c.summary + "\n";
    s += std::string("  help") + std::string(width - 2, ' ') + "help COMMAND: the same as COMMAND --help\n";
    s += std::string("  version") + std::string(width - 5, ' ') + "the version and the SIMD path in use (also --version)\n";
    s += "\nenvironment:\n"
         "  RUVISION_MODELS  model folders, colon-separated (searched before the installed ones)\n"
         "  RUVISION_ISA     force a SIMD path: scalar, sse2, avx2, avx512, neon\n";
    return s;
}

std::string version_text() {
    return std::string("ruvision-cli ") + RUVISION_VERSION + ", SIMD path " +
           std::string(kernels::isa_name(kernels::kernels().isa)) + "\n";
}

int usage_error(std::string_view command, const std::string& message) {
    const std::string cmd(command);
    // A message that starts with the command's name reads on its own: "ruvision-cli: status does not take -k".
    const bool named = message.rfind(cmd + " ", 0) == 0;
    std::fprintf(stderr, "ruvision-cli%s%s: %s (see ruvision-cli %s --help)\n", named ? "" : " ", named ? "" : cmd.c_str(),
                 message.c_str(), cmd.c_str());
    return 2;
}

}  // namespace rv::cli
